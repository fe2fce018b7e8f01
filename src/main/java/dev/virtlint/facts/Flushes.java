package dev.virtlint.facts;

import java.util.Locale;
import java.util.Optional;

/** Whether a guest sends flushes (barriers) at journal commits and fsync. */
public enum Flushes {
    YES, NO, COND;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Flushes> byId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        for (Flushes f : values()) {
            if (f.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
