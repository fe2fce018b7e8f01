package dev.virtlint.report;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

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

    /**
     * GitLab's location.path: the file's path relative to the project directory, which GitLab
     * links in the merge request ("the relative path to the file containing the code quality
     * violation", docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format).
     * {@code projectDir} is CI_PROJECT_DIR, "the full path the repository is cloned to, and where
     * the job runs from" (docs.gitlab.com/ci/variables/predefined_variables/), when set, else the
     * working directory, as ruff does for its GitLab format (astral-sh/ruff#3443, pull request
     * 3475). The name is resolved against the working directory and normalized as text
     * ({@code a/../b.xml} is {@code b.xml}; symbolic links are not followed: the repository's
     * path is the one the job named). A file outside the project directory keeps its name as
     * given without {@code ./}: GitLab cannot link it, and no other name would let it; so do the
     * names of what is no file (standard input's {@code -}, {@code --drive[1]}).
     */
    static String inProject(String name, Path workingDir, String projectDir) {
        if (name.equals("-") || name.startsWith("--drive[")) {
            return name; // standard input, a --drive string (Lint.gather): no file
        }
        try {
            Path cwd = workingDir.toAbsolutePath().normalize();
            Path base = projectDir == null || projectDir.isEmpty() ? cwd : cwd.resolve(projectDir).normalize();
            Path file = cwd.resolve(name).normalize();
            if (!file.equals(base) && file.startsWith(base)) {
                return base.relativize(file).toString();
            }
        } catch (InvalidPathException e) {
            // a name with a NUL: not a path of this file system
        }
        return relative(name);
    }
}
