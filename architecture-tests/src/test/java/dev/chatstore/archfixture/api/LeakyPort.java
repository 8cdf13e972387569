package dev.chatstore.archfixture.api;

import org.assertj.core.api.Assertions;

/** VIOLATION of apiDependsOnlyOnJdk: an API class that uses a library (AssertJ). */
public final class LeakyPort {

    public void check(String value) {
        Assertions.assertThat(value).isNotEmpty();
    }
}
