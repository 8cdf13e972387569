package dev.chatstore.archfixture.cycle.alpha;

import dev.chatstore.archfixture.cycle.beta.Beta;

/** VIOLATION of noPackageCycles, half one: cycle.alpha uses cycle.beta ... */
public final class Alpha {
    public Beta next() {
        return new Beta();
    }
}
