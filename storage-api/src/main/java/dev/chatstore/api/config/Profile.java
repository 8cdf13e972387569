package dev.chatstore.api.config;

import java.util.Locale;
import java.util.Map;

/** Named sets of defaults, as in the seed design: {@code development} and {@code production}. */
public enum Profile {
    /** The built-in defaults. */
    DEFAULT(Map.of()),
    /** Local development: data under {@code ./dev_data}. */
    DEVELOPMENT(Map.of(Setting.URL, "file:./dev_data")),
    /** Production: data under {@code /var/lib/chatdb/data}, smaller default pages. */
    PRODUCTION(Map.of(
            Setting.URL, "file:/var/lib/chatdb/data",
            Setting.MESSAGE_DEFAULT_LIMIT, "50",
            Setting.SEARCH_DEFAULT_LIMIT, "10"));

    private final Map<Setting, String> overrides;

    Profile(Map<Setting, String> overrides) {
        this.overrides = overrides;
    }

    /** The values this profile sets instead of the built-in defaults. */
    public Map<Setting, String> overrides() {
        return overrides;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The profile with the given name (case-insensitive), or empty. */
    public static java.util.Optional<Profile> byName(String name) {
        for (Profile p : values()) {
            if (p.id().equalsIgnoreCase(name.trim())) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }
}
