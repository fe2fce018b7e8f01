package dev.virtlint.report;

import dev.virtlint.lint.InputError;
import dev.virtlint.model.Position;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Rule;
import dev.virtlint.rules.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GitLab Code Quality JSON, which the merge request widget and the pipeline's Code Quality tab show
 * (artifacts: reports: codequality). The fields are the ones GitLab reads, from its "Code Quality
 * report format" (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format):
 * a single JSON array of objects with description, check_name, fingerprint, severity (info, minor,
 * major, critical or blocker), location.path (a relative path in the repository: {@link
 * ReportPath#inProject}, relative to CI_PROJECT_DIR when set) and location.lines.begin; no byte
 * order mark.
 *
 * <p>Severity: error is critical (data the guest was told is durable is lost), warning is major,
 * info is info; an input that cannot be read is blocker (nothing in it was checked). Suppressed
 * findings are left out. The fingerprint is that of SARIF's partialFingerprints (domain, disk, rule
 * and value, no line number) with the path: GitLab shows findings with one fingerprint as one entry,
 * and two files may define domains of the same name.
 */
final class GitlabReport implements Report {

    /** The variable GitLab sets to the project's directory in a job; read by this format only. */
    static final String PROJECT_DIR = "CI_PROJECT_DIR";

    private final java.util.function.UnaryOperator<String> env;
    private final Path workingDir;

    /** The report of a run: CI_PROJECT_DIR from the environment, the process's working directory. */
    GitlabReport() {
        this(System::getenv, Path.of(""));
    }

    /** With {@code env} for the environment and {@code workingDir} for the working directory. */
    GitlabReport(java.util.function.UnaryOperator<String> env, Path workingDir) {
        this.env = env;
        this.workingDir = workingDir;
    }

    /** Code Quality carries no figures, so the lint need not simulate. */
    @Override
    public boolean evidence() {
        return false;
    }

    @Override
    public String render(RunResult run, List<Rule> rules, ReportSettings settings) {
        List<Object> issues = new ArrayList<>();
        String projectDir = env.apply(PROJECT_DIR);
        for (Checked c : run.files()) {
            Fingerprints prints = new Fingerprints();
            String path = ReportPath.inProject(c.file().name(), workingDir, projectDir);
            for (Finding f : c.findings()) {
                Position start = c.file().source().positionOf(f.span().start());
                Position end = c.file().source().positionOf(f.span().end());
                String print = Fingerprints.hash("gitlab\u0000" + path + "\u0000" + prints.next(c.file(), f));
                issues.add(issue(f.message() + FixLine.inline(f), f.rule(), print, severity(f.severity()), path,
                        start.line(), end.line()));
            }
        }
        for (InputError e : run.errors()) {
            String path = ReportPath.inProject(e.name(), workingDir, projectDir);
            int line = e.position() == null ? 1 : e.position().line();
            String print = Fingerprints.hash("gitlab\u0000" + path + "\u0000input-error\u0000" + e.message());
            issues.add(issue(e.message(), e.internal() ? "internal-error" : "input-error", print, "blocker", path,
                    line, line));
        }
        return Json.write(issues) + "\n";
    }

    /** The documented mapping (README, "GitLab Code Quality"). */
    static String severity(Severity s) {
        return switch (s) {
            case ERROR -> "critical";
            case WARNING -> "major";
            case INFO -> "info";
        };
    }

    private static Map<String, Object> issue(String description, String check, String fingerprint, String severity,
                                             String path, int begin, int end) {
        Map<String, Object> lines = new LinkedHashMap<>();
        lines.put("begin", begin);
        if (end > begin) {
            lines.put("end", end);
        }
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("path", path);
        location.put("lines", lines);
        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("description", description);
        issue.put("check_name", check);
        issue.put("fingerprint", fingerprint);
        issue.put("severity", severity);
        issue.put("location", location);
        return issue;
    }
}
