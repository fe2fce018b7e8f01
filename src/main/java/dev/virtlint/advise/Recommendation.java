package dev.virtlint.advise;

import dev.virtlint.model.CacheMode;

/**
 * The setting the advisor recommends for one disk.
 *
 * @param cache  the cache mode to use
 * @param io     the io mode to set, or null to leave it as it is
 * @param reason why, in one clause
 */
public record Recommendation(CacheMode.Preset cache, String io, String reason) {
}
