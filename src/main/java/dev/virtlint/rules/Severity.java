package dev.virtlint.rules;

import java.util.Locale;
import java.util.Optional;

/** How serious a finding is; the order is from most to least serious. */
public enum Severity {
    ERROR, WARNING, INFO;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this severity is at least as serious as {@code threshold}. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }

    public static Optional<Severity> byId(String id) {
        for (Severity s : values()) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
