package dev.virtlint.report;

/**
 * The report formats, by their {@code --format} name: a plain list of constructors (no classpath
 * scanning or reflection, which a lint would pay for at start-up).
 */
public enum Format {
    text(new TextReport()),
    concise(new ConciseReport()),
    json(new JsonReport()),
    sarif(new SarifReport()),
    github(new GithubReport()),
    junit(new JunitReport()),
    gitlab(new GitlabReport()),
    html(new HtmlReport());

    private final Report report;

    Format(Report report) {
        this.report = report;
    }

    public Report report() {
        return report;
    }
}
