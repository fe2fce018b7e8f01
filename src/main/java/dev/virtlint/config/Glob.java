package dev.virtlint.config;

import java.util.regex.Pattern;

/**
 * Path and name patterns of the configuration, with the meaning gitignore and ruff users expect:
 * {@code *} and {@code ?} stay within one path segment, {@code **} crosses segments ({@code a/**}
 * is everything under {@code a}), a trailing {@code /} means everything under that directory, and
 * a pattern without {@code /} matches the last segment wherever it is. A character class
 * {@code [abc]}, {@code [a-z]}, {@code [!a-z]} or {@code [^a-z]} matches one character (never a
 * {@code /} of a path), and {@code {a,b}} matches either alternative, which may hold any of these,
 * braces too. The syntax is close to ruff's (its globs are the globset crate's: see "Syntax" at
 * https://docs.rs/globset, which lists {@code [ab]}, {@code [!ab]}, {@code [^ab]}, ranges and
 * {@code {a,b}}), but not the same: globset's default lets {@code *} cross {@code /}
 * ({@code literal_separator} is off unless set), reads {@code \} as an escape, and refuses a
 * {@code **} that is not a whole segment; here {@code *} stays in its segment, {@code \} is a
 * literal character and {@code a**b} crosses segments. A pattern with none of these means the
 * same in both. A
 * {@code ]} right after the opening bracket (or its {@code !}/{@code ^}) and a {@code -} first or
 * last are literal; {@code [*]} is how a literal metacharacter is written. A malformed pattern is
 * refused ({@link Invalid}) rather than left to match nothing.
 */
final class Glob {

    /** A pattern that cannot be read; {@link #index()} is the offending character's (0-based). */
    static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final int index;

        Invalid(String glob, int index, String message) {
            super("invalid pattern '" + glob + "': " + message + " (character " + (index + 1) + ")");
            this.index = index;
        }

        int index() {
            return index;
        }
    }

    private final String text;
    private final Pattern pattern;
    private final boolean anySegment;

    private Glob(String text, Pattern pattern, boolean anySegment) {
        this.text = text;
        this.pattern = pattern;
        this.anySegment = anySegment;
    }

    /** A pattern for paths ({@code /} separates segments). */
    public static Glob path(String glob) {
        String g = glob.endsWith("/") ? glob + "**" : glob;
        int skipped = 0;
        if (g.startsWith("./")) {
            g = g.substring(2);
            skipped = 2;
        }
        Translation t = new Translation(glob, g, skipped, true);
        return new Glob(glob, Pattern.compile(t.translate()), !g.contains("/"));
    }

    /** A pattern for a name that has no segments, such as a domain name. */
    public static Glob name(String glob) {
        Translation t = new Translation(glob, glob, 0, false);
        return new Glob(glob, Pattern.compile(t.translate()), false);
    }

    /** Whether the pattern has no {@code /} and so matches the last segment wherever it is. */
    boolean anySegment() {
        return anySegment;
    }

    public boolean matches(String path) {
        if (anySegment) {
            int slash = path.lastIndexOf('/');
            return pattern.matcher(path.substring(slash + 1)).matches();
        }
        return pattern.matcher(path).matches();
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * The regular expression of one pattern, read left to right. {@code shift} is how many
     * characters of the pattern as written come before {@code glob} (a {@code ./} dropped), so
     * that errors count characters as the user wrote them.
     */
    private static final class Translation {
        private final String written;
        private final String glob;
        private final int shift;
        /** Whether {@code /} separates segments (paths) or is a character like any other (names). */
        private final boolean segments;
        private final String one;
        private final StringBuilder out = new StringBuilder();
        private int i;

        Translation(String written, String glob, int shift, boolean segments) {
            this.written = written;
            this.glob = glob;
            this.shift = shift;
            this.segments = segments;
            this.one = segments ? "[^/]" : "[\\s\\S]";
        }

        String translate() {
            sequence(0);
            if (i < glob.length()) {
                // sequence stops early only at a '}' or ',' of a group, and there is none open.
                throw invalid(i, "'}' without an opening '{'");
            }
            return out.toString();
        }

        /** Reads up to the end, or to the ',' or '}' that ends an alternative at this depth. */
        private void sequence(int depth) {
            while (i < glob.length()) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*' && segments) {
                    boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                    // "**/" also matches no directory at all.
                    out.append(slashAfter ? "(?:[\\s\\S]*/)?" : "[\\s\\S]*");
                    i += slashAfter ? 3 : 2;
                } else if (c == '*') {
                    out.append(one).append('*');
                    i++;
                } else if (c == '?') {
                    out.append(one);
                    i++;
                } else if (c == '[') {
                    charClass();
                } else if (c == '{') {
                    group(depth + 1);
                } else if (c == '}' || (c == ',' && depth > 0)) {
                    return;
                } else {
                    out.append(Pattern.quote(String.valueOf(c)));
                    i++;
                }
            }
        }

        /** {@code {a,b,...}}: any one of the alternatives, each a pattern of its own. */
        private void group(int depth) {
            int open = i;
            i++;
            out.append("(?:");
            while (true) {
                sequence(depth);
                if (i >= glob.length()) {
                    throw invalid(open, "'{' is never closed by '}'");
                }
                if (glob.charAt(i) == '}') {
                    i++;
                    out.append(')');
                    return;
                }
                out.append('|');
                i++;
            }
        }

        /** {@code [...]}: one character of a set, of ranges, or (with ! or ^) of neither. */
        private void charClass() {
            int open = i;
            int j = i + 1;
            boolean negated = j < glob.length() && (glob.charAt(j) == '!' || glob.charAt(j) == '^');
            if (negated) {
                j++;
            }
            int first = j;
            StringBuilder set = new StringBuilder();
            while (true) {
                if (j >= glob.length()) {
                    throw invalid(open, "'[' is never closed by ']'");
                }
                char c = glob.charAt(j);
                if (c == ']' && j > first) {
                    break;
                }
                boolean range = j + 2 < glob.length() && glob.charAt(j + 1) == '-'
                        && glob.charAt(j + 2) != ']';
                char last = range ? glob.charAt(j + 2) : c;
                if (last < c) {
                    throw invalid(j, "the range " + c + "-" + last + " is reversed");
                }
                if (segments && c <= '/' && '/' <= last) {
                    throw invalid(j, "a character class never matches '/' in a path; write the"
                            + " '/' outside it");
                }
                set.append(escape(c));
                if (range) {
                    set.append('-').append(escape(last));
                }
                j += range ? 3 : 1;
            }
            out.append('[').append(negated ? "^" : "").append(set);
            if (negated && segments) {
                out.append('/');
            }
            out.append(']');
            i = j + 1;
        }

        private static String escape(char c) {
            return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
        }

        private Invalid invalid(int at, String message) {
            return new Invalid(written, at + shift, message);
        }
    }
}
