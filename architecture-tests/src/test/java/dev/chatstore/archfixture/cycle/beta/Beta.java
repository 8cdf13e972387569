package dev.chatstore.archfixture.cycle.beta;

import dev.chatstore.archfixture.cycle.alpha.Alpha;

/** ... half two: and cycle.beta uses cycle.alpha. */
public final class Beta {
    public Alpha back() {
        return new Alpha();
    }
}
