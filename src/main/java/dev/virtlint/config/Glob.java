package dev.virtlint.config;

import java.util.regex.Pattern;

/**
 * Path and name patterns of the configuration, with the meaning gitignore and ruff users expect:
 * {@code *} and {@code ?} stay within one path segment, {@code **} crosses segments ({@code a/**}
 * is everything under {@code a}), a trailing {@code /} means everything under that directory, and
 * a pattern without {@code /} matches the last segment wherever it is.
 */
final class Glob {

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
        if (g.startsWith("./")) {
            g = g.substring(2);
        }
        return new Glob(glob, Pattern.compile(regex(g)), !g.contains("/"));
    }

    /** A pattern for a name that has no segments, such as a domain name. */
    public static Glob name(String glob) {
        return new Glob(glob, Pattern.compile(regex(glob).replace("[^/]", "[\\s\\S]")), false);
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

    private static String regex(String glob) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                // "**/" also matches no directory at all.
                out.append(slashAfter ? "(?:[\\s\\S]*/)?" : "[\\s\\S]*");
                i += slashAfter ? 2 : 1;
            } else if (c == '*') {
                out.append("[^/]*");
            } else if (c == '?') {
                out.append("[^/]");
            } else {
                out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return out.toString();
    }
}
