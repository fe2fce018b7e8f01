package dev.virtlint.report;

import dev.virtlint.model.Disk;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.Position;
import dev.virtlint.model.Setting;
import dev.virtlint.rules.Evidences;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.FixPlan;
import dev.virtlint.rules.Rule;
import dev.virtlint.rules.Severity;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report for people: each finding as {@code path:line:column: severity [rule] message}, with
 * its disk's simulator figures and fix under the disk's first finding, then a summary.
 */
final class TextReport implements Report {

    @Override
    public String render(RunResult run, List<Rule> rules, ReportSettings settings) {
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
                // The slowdown is on the fix line too (issue 18: the line a user acts on says it),
                // though the speed line above shows the same ratio among its figures.
                String fix = FixLine.label(f);
                boolean figures = d != null && (f.evidence() != null || omitted != null);
                if (figures && told.containsKey(d)) {
                    if (fix != null && !fix.equals(told.get(d))) {
                        out.append("  ").append(fix).append('\n');
                    }
                    assumedBeyondFix(f, out);
                    continue;
                }
                if (figures) {
                    told.put(d, fix);
                }
                if (f.evidence() != null) {
                    Dialect dl = d == null ? null : d.dialect();
                    // The assumptions line leaves out what the fix line and the finding's own
                    // line of assumptions say.
                    List<String> said = new java.util.ArrayList<>(f.assumptions());
                    if (f.unsafeFix()) {
                        said.addAll(f.fixAssumptions());
                    }
                    for (String line : EvidenceReport.lines(f.evidence(), mode -> dl == null
                            ? "cache=" + mode : dl.render(dl.name(Setting.CACHE), mode), fix,
                            said)) {
                        out.append("  ").append(line).append('\n');
                    }
                } else if (omitted != null) {
                    out.append("  ").append(omitted).append('\n');
                    if (fix != null) {
                        out.append("  ").append(fix).append('\n');
                    }
                } else if (fix != null) {
                    out.append("  ").append(fix).append('\n');
                }
                assumedBeyondFix(f, out);
            }
        }
        out.append(summary(run)).append('\n');
        return out.toString();
    }

    /** The clauses a finding's detection assumed beyond what its fix line says, on a line. */
    private static void assumedBeyondFix(Finding f, StringBuilder out) {
        List<String> assumed = FixLine.beyondFix(f);
        if (!assumed.isEmpty()) {
            out.append("  ").append(String.join("; ", assumed)).append('\n');
        }
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
        s.append(fixes(run));
        return s.toString();
    }

    /**
     * What {@code fix} would do, as the plans say: {@code ; 2 disks fixable by fix, 3 unsafe fixes
     * not applied by fix (fix --unsafe-fixes applies them)}, counting disks (a fix is one change
     * per disk); empty when nothing is fixable.
     */
    private static String fixes(RunResult run) {
        int safe = 0;
        int unsafe = 0;
        for (Checked c : run.files()) {
            // Counted from the findings shown (a baseline may have hidden some the plan fixes),
            // in one pass over each: a domain may have tens of thousands of disks.
            Map<Disk, FixPlan.DiskFix> planned = new IdentityHashMap<>();
            for (FixPlan.DiskFix d : c.plan().fixed()) {
                planned.put(d.disk(), d);
            }
            Set<Disk> fixed = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<Disk> left = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Finding f : c.findings()) {
                FixPlan.DiskFix d = f.disk() == null ? null : planned.get(f.disk());
                if (d != null && d.rules().contains(f.rule())) {
                    fixed.add(f.disk());
                }
                if (f.unsafeFix() && f.disk() != null) {
                    left.add(f.disk());
                }
            }
            safe += fixed.size();
            unsafe += left.size();
        }
        if (safe + unsafe == 0) {
            return "";
        }
        String fixable = safe > 0 ? "; " + safe + plural(safe, " disk") + " fixable by fix" : "";
        if (unsafe == 0) {
            return fixable;
        }
        String them = unsafe == 1 ? " unsafe fix not applied by fix (fix --unsafe-fixes applies it)"
                : " unsafe fixes not applied by fix (fix --unsafe-fixes applies them)";
        return fixable + (safe > 0 ? ", " : "; ") + unsafe + them;
    }

    private static String plural(long n, String word) {
        return n == 1 ? word : word + "s";
    }
}
