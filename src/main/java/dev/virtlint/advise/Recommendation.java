package dev.virtlint.advise;

import dev.virtlint.model.CacheMode;

/**
 * The setting the advisor recommends for one disk.
 *
 * @param cache      the cache mode to use
 * @param io         the io mode to set, or null to leave it as it is
 * @param reason     why, in one clause
 * @param assumption what the advice takes for granted that no host profile states, in a few words
 *                   ({@code assumes O_DIRECT works on /path: no host profile}), or null
 * @param automatic  whether {@code fix} may apply it: false when it rests on an assumed
 *                   filesystem, since nothing is rewritten on the strength of an assumption alone
 */
public record Recommendation(CacheMode.Preset cache, String io, String reason, String assumption,
                             boolean automatic) {

    /** A recommendation that rests on stated facts only. */
    public Recommendation(CacheMode.Preset cache, String io, String reason) {
        this(cache, io, reason, null, true);
    }
}
