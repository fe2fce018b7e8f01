package dev.virtlint;

/**
 * Positions for tests, computed from the input instead of written as numbers: where a piece of
 * text first occurs, as {@code line:column} (1-based; columns count characters, as virtlint's
 * messages do).
 */
public final class At {

    private At() {
    }

    /** {@code line:column} of the first {@code needle} in {@code text} (after {@code from}, if given). */
    public static String of(String text, String needle) {
        return of(text, needle, 0);
    }

    /** The same, the {@code n}th occurrence counting from 0. */
    public static String of(String text, String needle, int n) {
        int at = -1;
        for (int i = 0; i <= n; i++) {
            at = text.indexOf(needle, at + 1);
            if (at < 0) {
                throw new IllegalArgumentException("'" + needle + "' occurs " + i + " times in the text");
            }
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return line + ":" + (at - lineStart + 1);
    }
}
