package dev.virtlint.advise;

import dev.virtlint.model.CacheMode;
import java.util.List;

/**
 * The setting the advisor recommends for one disk, and what it rests on.
 *
 * @param cache       the cache mode to use
 * @param io          the io mode to set, or null to leave it as it is
 * @param reason      why, in one clause
 * @param assumptions what the advice takes for granted that nothing stated says (the file, its
 *                    metadata, the configuration or a host profile), one short clause each, each
 *                    starting with "assumes" ({@code assumes O_DIRECT works on /path: no host
 *                    profile}); empty when it rests on stated facts only (see {@link Advisor})
 */
public record Recommendation(CacheMode.Preset cache, String io, String reason,
                             List<String> assumptions) {

    public Recommendation {
        assumptions = List.copyOf(assumptions);
    }

    /** A recommendation that rests on stated facts only. */
    public Recommendation(CacheMode.Preset cache, String io, String reason) {
        this(cache, io, reason, List.of());
    }

    /**
     * Whether its fix is safe: every fact it rests on is stated, so {@code fix} applies it
     * without {@code --unsafe-fixes}.
     */
    public boolean safe() {
        return assumptions.isEmpty();
    }
}
