package dev.virtlint.report;

/**
 * Text from a linted file (a path, a value quoted in a message, a line of source) made safe to
 * print on a line of a terminal report: every control character but tab, C0 (newline and ESC
 * among them), DEL and C1 (U+0080 to U+009F, where CSI is U+009B), the line and paragraph
 * separators and the bidirectional controls (which reorder what a terminal or an editor shows),
 * is written as a visible {@code \\uXXXX}. A newline from the file then cannot start a line that
 * reads as another finding, and an escape sequence cannot set the title, clear the screen or hide
 * what follows. Tab is kept: {@code --show-source} lines up its caret under it.
 */
public final class Visible {

    private Visible() {
    }

    /** {@code text} with each such character as {@code \\uXXXX}; the same string when it has none. */
    public static String of(String text) {
        int i = 0;
        while (i < text.length() && !hidden(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, i);
        for (; i < text.length(); i++) {
            append(text.charAt(i), out);
        }
        return out.toString();
    }

    /** Appends {@code c} as it is, or as {@code \\uXXXX} when it is hidden. */
    static void append(char c, StringBuilder out) {
        if (hidden(c)) {
            String hex = Integer.toHexString(c);
            out.append("\\u").append("0000", hex.length(), 4).append(hex);
        } else {
            out.append(c);
        }
    }

    /** How many characters {@link #append} writes for {@code c}. */
    static int width(char c) {
        return hidden(c) ? 6 : 1;
    }

    /** Whether {@code c} is written as an escape. */
    static boolean hidden(char c) {
        return c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029'
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069';
    }
}
