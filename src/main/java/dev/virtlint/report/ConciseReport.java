package dev.virtlint.report;

import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Rule;
import java.util.List;
import java.util.Set;

/**
 * One line per finding, {@code path:line:column: severity[rule] [*] message}, then the text
 * report's summary: for editors, grep and long runs. Ruff's default concise line is
 * {@code path:row:col: CODE [*] message} with no severity, since every ruff finding fails the run
 * alike (ruff's CLI snapshots, crates/ruff/tests/cli/snapshots/cli__lint__output_format_*.snap);
 * virtlint's severities differ by rule and configuration and decide the exit code with
 * {@code --fail-on}, so the line keeps it, as ruff's newer renderer does for ty ({@code
 * error[rule] message}, ruff_db src/diagnostic/render/concise.rs). {@code [*]}: {@code fix} fixes
 * it. The evidence is the text format's; this one leaves it out (and the lint does not simulate).
 */
final class ConciseReport implements Report {

    @Override
    public String render(RunResult run, List<Rule> rules, ReportSettings settings) {
        StringBuilder out = new StringBuilder();
        Style style = Style.of(settings);
        if (settings.display().statistics()) {
            TextReport.statistics(run, rules, out);
        } else {
            for (Checked checked : run.files()) {
                Set<Finding> fixable = TextReport.fixable(checked);
                for (Finding f : checked.findings()) {
                    out.append(TextReport.position(checked, f, style)).append(": ")
                            .append(style.severity(f.severity(), f.severity().id())).append('[')
                            .append(style.rule(f.rule())).append("] ")
                            .append(fixable.contains(f) ? "[*] " : "").append(Visible.of(f.message()))
                            .append('\n');
                    if (settings.display().showSource()) {
                        TextReport.source(checked, f, out);
                    }
                }
            }
        }
        TextReport.end(run, settings, out);
        return out.toString();
    }

    @Override
    public boolean evidence() {
        return false;
    }
}
