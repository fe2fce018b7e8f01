package dev.virtlint.report;

import dev.virtlint.model.Disk;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.Position;
import dev.virtlint.model.Setting;
import dev.virtlint.rules.Evidences;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Rule;
import dev.virtlint.rules.Severity;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report for people: each finding as {@code path:line:column: severity [rule] message}, with
 * its disk's simulator figures and fix under the disk's first finding, then a summary.
 */
final class TextReport implements Report {

    @Override
    public String render(RunResult run, List<Rule> rules, String version) {
        StringBuilder out = new StringBuilder();
        for (Checked checked : run.files()) {
            // A disk's figures are printed once, under its first finding; its other findings carry
            // the same evidence and, being the advisor's, the same fix.
            Map<Disk, String> told = new IdentityHashMap<>();
            for (Finding f : checked.findings()) {
                Position p = checked.file().source().positionOf(f.span().start());
                out.append(checked.file().name()).append(':').append(p.line()).append(':').append(p.column())
                        .append(": ").append(f.severity().id()).append(" [").append(f.rule()).append("] ")
                        .append(f.message()).append('\n');
                Disk d = f.disk();
                String omitted = d == null || f.evidence() != null ? null : Evidences.omitted(d).orElse(null);
                if (d != null && told.containsKey(d) && (f.evidence() != null || omitted != null)) {
                    if (f.fix() != null && !f.fix().equals(told.get(d))) {
                        out.append("  fix: ").append(f.fix()).append('\n');
                    }
                    continue;
                }
                if (d != null && (f.evidence() != null || omitted != null)) {
                    told.put(d, f.fix());
                }
                if (f.evidence() != null) {
                    Dialect dl = d == null ? null : d.dialect();
                    for (String line : EvidenceReport.lines(f.evidence(), mode -> dl == null
                            ? "cache=" + mode : dl.render(dl.name(Setting.CACHE), mode), f.fix())) {
                        out.append("  ").append(line).append('\n');
                    }
                } else if (omitted != null) {
                    out.append("  ").append(omitted)
                            .append(f.fix() != null ? "   fix: " + f.fix() : "").append('\n');
                } else if (f.fix() != null) {
                    out.append("  fix: ").append(f.fix()).append('\n');
                }
            }
        }
        out.append(summary(run)).append('\n');
        return out.toString();
    }

    private static String summary(RunResult run) {
        long files = run.files().size() - run.skippedCount();
        StringBuilder s = new StringBuilder();
        int total = run.findings().size();
        if (total == 0) {
            s.append("no findings in ");
        } else {
            s.append(total).append(plural(total, " finding")).append(" (")
                    .append(run.count(Severity.ERROR)).append(plural(run.count(Severity.ERROR), " error")).append(", ")
                    .append(run.count(Severity.WARNING)).append(plural(run.count(Severity.WARNING), " warning")).append(", ")
                    .append(run.count(Severity.INFO)).append(" info) in ");
        }
        s.append(files).append(plural(files, " file")).append(" (").append(run.diskCount())
                .append(plural(run.diskCount(), " disk")).append(")");
        if (run.skippedCount() > 0) {
            s.append(", skipped ").append(run.skippedCount()).append(" not a domain");
        }
        if (!run.errors().isEmpty()) {
            s.append(", ").append(run.errors().size()).append(plural(run.errors().size(), " input"))
                    .append(" could not be read");
        }
        return s.toString();
    }

    private static String plural(long n, String word) {
        return n == 1 ? word : word + "s";
    }
}
