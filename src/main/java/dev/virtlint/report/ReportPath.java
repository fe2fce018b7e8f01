package dev.virtlint.report;

/**
 * How the formats that locate a file in a repository (SARIF's artifact URI, GitLab's
 * location.path) name an input: as given, without a leading {@code ./}, which names the same file
 * and which GitLab's "relative path in the repository" does not have. The text, JSON, JUnit and
 * GitHub formats keep the name exactly as given, as a compiler does.
 */
final class ReportPath {

    private ReportPath() {
    }

    /** The name without its leading {@code ./} (repeated: {@code ././a.xml} is {@code a.xml}). */
    static String relative(String name) {
        String s = name;
        while (s.startsWith("./") && s.length() > 2) {
            s = s.substring(2);
            while (s.startsWith("/") && s.length() > 1) {
                s = s.substring(1); // .//a.xml
            }
        }
        return s;
    }
}
