package dev.virtlint.report;

import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.Position;
import dev.virtlint.model.Setting;
import dev.virtlint.model.SourceText;
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
 * its disk's simulator figures and fix under the disk's first finding, then a summary. What the
 * user asked to see ({@link ReportSettings.Display}) and colour ({@link Style}) apply here and in
 * {@link ConciseReport}, which shares the parts below.
 */
final class TextReport implements Report {

    @Override
    public String render(RunResult run, List<Rule> rules, ReportSettings settings) {
        StringBuilder out = new StringBuilder();
        Style style = Style.of(settings);
        ReportSettings.Display display = settings.display();
        if (display.statistics()) {
            statistics(run, rules, out);
        } else {
            for (Checked checked : run.files()) {
                findings(checked, display.showSource(), style, out);
            }
        }
        end(run, settings, out);
        return out.toString();
    }

    private static void findings(Checked checked, boolean showSource, Style style, StringBuilder out) {
        // A disk's figures are printed once, under its first finding; its other findings carry
        // the same evidence and, being the advisor's, the same fix.
        Map<Disk, String> told = new IdentityHashMap<>();
        for (Finding f : checked.findings()) {
            out.append(position(checked, f, style)).append(": ")
                    .append(style.severity(f.severity(), f.severity().id())).append(" [")
                    .append(style.rule(f.rule())).append("] ").append(Visible.of(f.message())).append('\n');
            if (showSource) {
                source(checked, f, out);
            }
            Disk d = f.disk();
            String omitted = d == null || f.evidence() != null ? null : Evidences.omitted(d).orElse(null);
            // The slowdown is on the fix line too (issue 18: the line a user acts on says it),
            // though the speed line above shows the same ratio among its figures.
            String fix = FixLine.label(f);
            boolean figures = d != null && (f.evidence() != null || omitted != null);
            if (figures && told.containsKey(d)) {
                if (fix != null && !fix.equals(told.get(d))) {
                    out.append("  ").append(Visible.of(fix)).append('\n');
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
                    out.append("  ").append(Visible.of(line)).append('\n');
                }
            } else if (omitted != null) {
                out.append("  ").append(Visible.of(omitted)).append('\n');
                if (fix != null) {
                    out.append("  ").append(Visible.of(fix)).append('\n');
                }
            } else if (fix != null) {
                out.append("  ").append(Visible.of(fix)).append('\n');
            }
            assumedBeyondFix(f, out);
        }
    }

    /** {@code path:line:column} of a finding, the path coloured when colour is on. */
    static String position(Checked checked, Finding f, Style style) {
        Position p = checked.file().source().positionOf(f.span().start());
        return style.path(Visible.of(checked.file().name())) + ":" + p.line() + ":" + p.column();
    }

    /**
     * What follows the findings: unless {@code --quiet}, the summary line. The files skipped that
     * {@code --verbose} lists go to standard error (LintRun), so that every line of a concise
     * report on standard output is a finding or the summary.
     */
    static void end(RunResult run, ReportSettings settings, StringBuilder out) {
        if (!settings.display().quiet()) {
            out.append(summary(run)).append('\n');
        }
    }

    /**
     * The offending line under a finding, as {@code   12 | <text>}, and a caret under the
     * finding's column. The caret's padding repeats the line's own tabs (a tab is as wide under
     * the line as in it, whatever the terminal's tab stops) and gives anything else as many spaces
     * as it takes columns: by code point, not UTF-16 unit ({@link #columns}), and a control
     * character as wide as its visible escape ({@link Visible}).
     */
    static void source(Checked checked, Finding f, StringBuilder out) {
        SourceText text = checked.file().source();
        int start = f.span().start();
        Position p = text.positionOf(start);
        int lineStart = text.offsetOf(p.line(), 1);
        int lineEnd = lineStart;
        String all = text.text();
        while (lineEnd < all.length() && all.charAt(lineEnd) != '\n' && all.charAt(lineEnd) != '\r') {
            lineEnd++;
        }
        String number = Integer.toString(p.line());
        out.append("  ").append(number).append(" | ");
        for (int i = lineStart; i < lineEnd; i++) {
            Visible.append(all.charAt(i), out);
        }
        out.append('\n');
        out.append("  ").append(" ".repeat(number.length())).append(" | ");
        for (int i = lineStart; i < start && i < lineEnd; ) {
            int cp = all.codePointAt(i);
            if (cp == '\t') {
                out.append('\t');
            } else if (cp < Character.MIN_SUPPLEMENTARY_CODE_POINT && Visible.hidden((char) cp)) {
                out.append(" ".repeat(Visible.width((char) cp)));
            } else {
                out.append(" ".repeat(columns(cp)));
            }
            i += Character.charCount(cp);
        }
        out.append("^\n");
    }

    /**
     * The columns a terminal gives a code point: 0 for a combining mark or a format character
     * (a zero-width joiner), 2 for an East Asian wide or fullwidth one (Unicode's
     * EastAsianWidth.txt W and F: Hangul jamo, CJK and its punctuation, kana, Hangul syllables,
     * compatibility ideographs, fullwidth forms, the emoji blocks), else 1: the usual wcwidth, a
     * close enough table for a caret.
     */
    static int columns(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.FORMAT) {
            return 0;
        }
        boolean wide = cp >= 0x1100 && cp <= 0x115f
                || cp >= 0x2e80 && cp <= 0xa4cf && cp != 0x303f
                || cp >= 0xac00 && cp <= 0xd7a3
                || cp >= 0xf900 && cp <= 0xfaff
                || cp >= 0xfe30 && cp <= 0xfe4f
                || cp >= 0xff00 && cp <= 0xff60
                || cp >= 0xffe0 && cp <= 0xffe6
                || cp >= 0x1f300 && cp <= 0x1f64f
                || cp >= 0x1f900 && cp <= 0x1f9ff
                || cp >= 0x20000 && cp <= 0x3fffd;
        return wide ? 2 : 1;
    }

    /**
     * Counts per rule, most frequent first (ruff's {@code --statistics}: count, code, a {@code [*]}
     * when some of them are fixable, the rule's name): {@code   3  rule-id  [*] summary}.
     */
    static void statistics(RunResult run, List<Rule> rules, StringBuilder out) {
        Map<String, int[]> counts = new java.util.LinkedHashMap<>();
        for (Checked c : run.files()) {
            Set<Finding> fixable = fixable(c);
            for (Finding f : c.findings()) {
                int[] n = counts.computeIfAbsent(f.rule(), k -> new int[2]);
                n[0]++;
                if (fixable.contains(f)) {
                    n[1]++;
                }
            }
        }
        Map<String, String> summaries = new java.util.HashMap<>();
        rules.forEach(r -> summaries.put(r.id(), r.info().summary()));
        List<Map.Entry<String, int[]>> rows = new java.util.ArrayList<>(counts.entrySet());
        rows.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? b.getValue()[0] - a.getValue()[0]
                : a.getKey().compareTo(b.getKey()));
        int countWidth = 1;
        int idWidth = 1;
        for (Map.Entry<String, int[]> row : rows) {
            countWidth = Math.max(countWidth, Integer.toString(row.getValue()[0]).length());
            idWidth = Math.max(idWidth, row.getKey().length());
        }
        for (Map.Entry<String, int[]> row : rows) {
            String count = Integer.toString(row.getValue()[0]);
            out.append(" ".repeat(countWidth - count.length())).append(count).append("  ")
                    .append(row.getKey()).append(" ".repeat(idWidth - row.getKey().length())).append("  ")
                    .append(row.getValue()[1] > 0 ? "[*] " : "    ")
                    .append(Visible.of(summaries.getOrDefault(row.getKey(), ""))).append('\n');
        }
    }

    /** The findings of a file that {@code fix} would fix: its plan fixes their disk for their rule. */
    static Set<Finding> fixable(Checked c) {
        Map<Disk, FixPlan.DiskFix> planned = new IdentityHashMap<>();
        for (FixPlan.DiskFix d : c.plan().fixed()) {
            planned.put(d.disk(), d);
        }
        Set<Finding> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Finding f : c.findings()) {
            FixPlan.DiskFix d = f.disk() == null ? null : planned.get(f.disk());
            if (d != null && d.rules().contains(f.rule())) {
                out.add(f);
            }
        }
        return out;
    }

    /** The clauses a finding's detection assumed beyond what its fix line says, on a line. */
    private static void assumedBeyondFix(Finding f, StringBuilder out) {
        List<String> assumed = FixLine.beyondFix(f);
        if (!assumed.isEmpty()) {
            out.append("  ").append(Visible.of(String.join("; ", assumed))).append('\n');
        }
    }

    static String summary(RunResult run) {
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
