package dev.virtlint.parse;

import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for a name the user typed that is not one of the known names (a rule id, a
 * configuration or host profile key, an option value): the known name fewest edits away, if it is
 * close enough to be what was meant. An edit is inserting, deleting or replacing one character, or
 * swapping two adjacent ones (a transposition, the commonest typo: Damerau's optimal string
 * alignment distance); case does not count. A known name that starts with what was typed (three
 * characters or more: {@code warn} for {@code warning}) is as close as one edit.
 */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * The known name closest to {@code typed}: at most a third of its length in edits (at least
     * one), the first of equally close ones in {@code known}'s order; empty when none is that close.
     */
    public static Optional<String> closest(String typed, Iterable<String> known) {
        String t = typed.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, t.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            if (k.equals(typed)) {
                continue;
            }
            String lower = k.toLowerCase(Locale.ROOT);
            int d = t.length() >= 3 && lower.startsWith(t) ? 1 : distance(t, lower, limit);
            if (d <= limit && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code ; did you mean 'name'?} for {@link #closest}, or the empty string. */
    public static String didYouMean(String typed, Iterable<String> known) {
        return closest(typed, known).map(k -> "; did you mean '" + k + "'?").orElse("");
    }

    /**
     * The edit distance of {@code a} and {@code b} (optimal string alignment, as {@link
     * Accepted#distance} computes it for option names), or more than {@code limit} when the lengths
     * alone put it beyond.
     */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        return Accepted.distance(a, b);
    }
}
