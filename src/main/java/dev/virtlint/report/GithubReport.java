package dev.virtlint.report;

import dev.virtlint.lint.InputError;
import dev.virtlint.model.Position;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Rule;
import java.util.List;

/**
 * GitHub Actions workflow commands: one {@code ::error}, {@code ::warning} or {@code ::notice} line
 * per finding, which the Actions runner shows as an annotation on the line in the pull request.
 */
public final class GithubReport implements Report {

    /** The annotations carry no figures, so the lint need not simulate. */
    @Override
    public boolean evidence() {
        return false;
    }

    @Override
    public String render(RunResult run, List<Rule> rules, ReportSettings settings) {
        StringBuilder out = new StringBuilder();
        for (Checked c : run.files()) {
            for (Finding f : c.findings()) {
                Position start = c.file().source().positionOf(f.span().start());
                Position end = c.file().source().positionOf(f.span().end());
                String kind = switch (f.severity()) {
                    case ERROR -> "error";
                    case WARNING -> "warning";
                    case INFO -> "notice";
                };
                out.append("::").append(kind)
                        .append(" file=").append(property(c.file().name()))
                        .append(",line=").append(start.line())
                        .append(",col=").append(start.column())
                        .append(",endLine=").append(end.line())
                        .append(",endColumn=").append(end.column())
                        .append(",title=").append(property("virtlint " + f.rule()))
                        .append("::").append(data(f.message() + FixLine.inline(f)))
                        .append('\n');
            }
        }
        for (InputError e : run.errors()) {
            out.append("::error file=").append(property(e.name()));
            if (e.position() != null) {
                out.append(",line=").append(e.position().line()).append(",col=").append(e.position().column());
            }
            out.append(",title=").append(property("virtlint input error")).append("::").append(data(e.message())).append('\n');
        }
        return out.toString();
    }

    /** A command's message: %, CR and LF are escaped as the runner expects. */
    public static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A command's property value: additionally : and , which separate properties. */
    public static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
