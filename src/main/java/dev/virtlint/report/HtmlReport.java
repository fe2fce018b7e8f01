package dev.virtlint.report;

import dev.virtlint.lint.InputError;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Position;
import dev.virtlint.model.Refused;
import dev.virtlint.model.Setting;
import dev.virtlint.model.SourceKind;
import dev.virtlint.rules.Evidences;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Rule;
import dev.virtlint.rules.Severity;
import dev.virtlint.sim.Evidence;
import dev.virtlint.sim.Prediction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report as one self-contained HTML page: the files, their disks and findings with the
 * evidence the text report prints, and for each disk with a finding a chart of its five cache
 * modes ({@link ModeChart}). Nothing is fetched: the style is inline, there is no script, no
 * font, no image file, and a Content-Security-Policy forbids any fetch. Every text from the
 * input (file names, messages, paths) is escaped.
 */
public final class HtmlReport implements Report {

    /** Only {@link Format} makes one; {@link #whatIf} is for {@code simulate}. */
    HtmlReport() {
    }

    @Override
    public String render(RunResult run, List<Rule> rules, ReportSettings settings) {
        Page page = new Page("virtlint report", settings.version());
        StringBuilder out = page.body;
        out.append("<header>\n<h1>virtlint report</h1>\n<p class=\"summary\">")
                .append(escape(summary(run))).append("</p>\n<p class=\"meta\">")
                .append(escape("virtlint " + settings.version() + "; " + (settings.failOn() == null
                        ? "no finding fails the run (--fail-on never)"
                        : "findings at or above " + settings.failOn().id() + " fail the run")))
                .append("</p>\n</header>\n");
        if (!run.errors().isEmpty()) {
            out.append("<section class=\"errors\">\n<h2>Inputs that could not be read</h2>\n<ul>\n");
            for (InputError e : run.errors()) {
                out.append("<li>").append(escape(e.format())).append("</li>\n");
            }
            out.append("</ul>\n</section>\n");
        }
        files(run, out);
        int n = 0;
        for (Checked c : run.files()) {
            n++;
            if (!c.findings().isEmpty()) {
                file(c, "f" + n, page, out);
            }
        }
        return page.finish();
    }

    /** The table of every file, each with a link to its section when it has findings. */
    private static void files(RunResult run, StringBuilder out) {
        out.append("<section class=\"files\">\n<h2>Files</h2>\n<table>\n<thead><tr><th scope=\"col\">file</th>"
                + "<th scope=\"col\">kind</th><th scope=\"col\">domain</th><th scope=\"col\">disks</th>"
                + "<th scope=\"col\">findings</th></tr></thead>\n<tbody>\n");
        int n = 0;
        for (Checked c : run.files()) {
            n++;
            ParsedFile f = c.file();
            out.append("<tr><td>");
            if (c.findings().isEmpty()) {
                out.append(escape(f.name()));
            } else {
                out.append("<a href=\"#f").append(n).append("\">").append(escape(f.name())).append("</a>");
            }
            out.append("</td><td>").append(escape(f.kind().id()))
                    .append(f.note() == null ? "" : ": " + escape(f.note())).append("</td><td>")
                    .append(escape(f.domain() == null || f.domain().name() == null ? "" : f.domain().name()))
                    .append("</td><td>").append(f.disks().size()).append("</td><td>")
                    .append(counts(c.findings())).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    private static String counts(List<Finding> findings) {
        if (findings.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (Severity s : Severity.values()) {
            long k = findings.stream().filter(f -> f.severity() == s).count();
            if (k > 0) {
                parts.add("<span class=\"sev " + s.id() + "\">" + k + " " + s.id() + "</span>");
            }
        }
        return String.join(" ", parts);
    }

    /** A file's section: its findings about the file, then one section per disk with findings. */
    private static void file(Checked c, String id, Page page, StringBuilder out) {
        ParsedFile f = c.file();
        out.append("<section class=\"file\" id=\"").append(id).append("\" data-file=\"").append(escape(f.name()))
                .append("\">\n<h2>").append(escape(f.name()))
                .append("</h2>\n");
        if (f.domain() != null && f.domain().name() != null) {
            out.append("<p class=\"meta\">domain ").append(escape(f.domain().name())).append("</p>\n");
        }
        List<Finding> aboutFile = new ArrayList<>();
        List<Disk> order = new ArrayList<>();
        Map<Disk, List<Finding>> byDisk = new IdentityHashMap<>();
        for (Finding finding : c.findings()) {
            if (finding.disk() == null) {
                aboutFile.add(finding);
            } else {
                byDisk.computeIfAbsent(finding.disk(), d -> {
                    order.add(d);
                    return new ArrayList<>();
                }).add(finding);
            }
        }
        disks(f, byDisk, out);
        if (!aboutFile.isEmpty()) {
            findings(f, aboutFile, out);
        }
        for (Disk d : order) {
            disk(f, d, byDisk.get(d), page, out);
        }
        out.append("</section>\n");
    }

    /** The table of a file's disks, each with its findings' counts (a link to its section). */
    private static void disks(ParsedFile f, Map<Disk, List<Finding>> byDisk, StringBuilder out) {
        if (f.disks().isEmpty()) {
            return;
        }
        out.append("<table class=\"disks\">\n<thead><tr><th scope=\"col\">disk</th><th scope=\"col\">source</th>"
                + "<th scope=\"col\">cache</th><th scope=\"col\">findings</th></tr></thead>\n<tbody>\n");
        for (Disk d : f.disks()) {
            List<Finding> found = byDisk.getOrDefault(d, List.of());
            out.append("<tr><td>").append(escape(d.target())).append("</td><td>")
                    .append(escape(d.source().orElse(""))).append("</td><td>").append(escape(d.cache().toString()))
                    .append("</td><td>").append(counts(found)).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private static void findings(ParsedFile f, List<Finding> findings, StringBuilder out) {
        out.append("<ul class=\"findings\">\n");
        for (Finding finding : findings) {
            Position p = f.source().positionOf(finding.span().start());
            out.append("<li class=\"finding\"><span class=\"sev ").append(finding.severity().id()).append("\">")
                    .append(finding.severity().id()).append("</span> <code class=\"rule\">")
                    .append(escape(finding.rule())).append("</code> <span class=\"pos\">")
                    .append(escape(f.name() + ":" + p.line() + ":" + p.column())).append("</span>")
                    .append("<p>").append(escape(finding.message())).append("</p>");
            String fix = FixLine.label(finding);
            if (fix != null) {
                out.append("<p class=\"fix\">").append(escape(fix)).append("</p>");
            }
            List<String> assumed = FixLine.beyondFix(finding);
            if (!assumed.isEmpty()) {
                out.append("<p class=\"assumed\">").append(escape(String.join("; ", assumed))).append("</p>");
            }
            out.append("</li>\n");
        }
        out.append("</ul>\n");
    }

    /**
     * A disk's section: what it is, its findings, the simulator's lines as the text report prints
     * them (without the fix, which each finding shows), and the chart of its cache modes, or an
     * SVG saying why there is none.
     */
    private static void disk(ParsedFile f, Disk d, List<Finding> findings, Page page, StringBuilder out) {
        // data-index: the disk's place among the file's disks (from 1), which tells apart two
        // disks of one target (the two branches of a script that starts QEMU either way).
        int index = 0;
        for (int i = 0; i < f.disks().size() && index == 0; i++) {
            index = f.disks().get(i) == d ? i + 1 : 0;
        }
        out.append("<section class=\"disk\" data-disk=\"").append(escape(d.target())).append("\" data-index=\"")
                .append(index).append("\">\n<h3>disk ")
                .append(escape(d.target())).append("</h3>\n<p class=\"meta\">")
                .append(escape(d.source().orElse("no source") + "; " + d.device().id()
                        + d.bus().map(b -> ", bus " + b).orElse("") + d.format().map(x -> ", " + x).orElse("")
                        + "; cache " + d.cache()))
                .append("</p>\n");
        findings(f, findings, out);
        Finding first = findings.stream().filter(x -> x.evidence() != null).findFirst().orElse(null);
        String title = "disk " + d.target() + " of " + f.name();
        String id = page.nextId();
        if (first == null) {
            String why = Evidences.omitted(d).orElse(noFigures(d, findings));
            out.append("<figure class=\"modes\">\n<figcaption>").append(escape("No simulator figures: " + title))
                    .append("</figcaption>\n")
                    .append(ModeChart.unavailable(id, "Cache modes of " + title, List.of("No chart: " + why)))
                    .append("</figure>\n");
            out.append("</section>\n");
            return;
        }
        Evidence e = first.evidence();
        Dialect dl = d.dialect();
        List<String> said = new ArrayList<>(first.assumptions());
        if (first.unsafeFix()) {
            said.addAll(first.fixAssumptions());
        }
        out.append("<ul class=\"evidence\">\n");
        for (String line : EvidenceReport.lines(e, mode -> dl == null ? "cache=" + mode
                : dl.render(dl.name(Setting.CACHE), mode), null, said)) {
            out.append("<li>").append(escape(line)).append("</li>\n");
        }
        out.append("</ul>\n");
        if (e.scenario() == null) {
            out.append("<figure class=\"modes\">\n").append(ModeChart.unavailable(id, "Cache modes of " + title,
                    List.of("No chart: the figures of the other cache modes are not known here.")))
                    .append("</figure>\n");
        } else {
            boolean advised = findings.stream().anyMatch(x -> x.recommended() != null);
            // simulate's table for the disk, with what it says the table holds under: the
            // evidence above says it for the current and recommended modes only, so the lines it
            // does not print (the qcow2 L2 entries the other write-cache modes lose) go under
            // the chart. A file image's scenario is preallocated exactly when the host profile
            // states it so (Evidences.scenario), which is simulate's l2Allocated for it
            // (Evidences.qcow2Allocated); a block device's is preallocated host space only.
            boolean l2Allocated = d.sourceKind() == SourceKind.FILE && e.scenario().preallocated();
            Evidences.WhatIf table = Evidences.whatIf(e.scenario(), List.<String>of(), e.basis(), l2Allocated);
            List<String> caveats = new ArrayList<>();
            for (String a : table.assumptions()) {
                if (!said.contains(a) && !e.assumptions().contains(a) && !e.notes().contains(a)) {
                    caveats.add(a);
                }
            }
            out.append(ModeChart.figure(id, title, new ModeChart.Data(table.modes(), e.current(),
                    advised ? e.recommended().cache() : null, e.basis(), e.guestFlushes(), caveats)));
        }
        out.append("</section>\n");
    }

    /**
     * Why a disk with findings has no figures, from its findings first: the simulator runs for a
     * disk that gets cache advice and that libvirt or QEMU would start (DiskCheck.writable; a disk
     * with a refused setting gets that finding alone, Linter), and only a finding about its cache
     * mode carries the figures. A refused setting comes before what the disk is (a CD-ROM written
     * {@code device='cd-rom'} is refused, whatever else it would be).
     */
    static String noFigures(Disk d, List<Finding> findings) {
        if (findings.stream().anyMatch(x -> x.rule().equals("cache-mode-refused"))) {
            return "no simulator figures for this disk (libvirt or QEMU refuses its cache setting, see"
                    + " cache-mode-refused)";
        }
        List<String> refused = new ArrayList<>();
        String reader = null;
        for (Finding x : findings) {
            if (!x.rule().equals("invalid-setting")) {
                continue;
            }
            for (Refused r : d.refused()) {
                if (r.span().equals(x.span())) {
                    Dialect dl = d.dialect();
                    refused.add(dl == null ? r.name() + "=" + r.value() : dl.render(r.name(), r.value()));
                    reader = reader == null || reader.equals(r.reader()) ? r.reader() : "libvirt or QEMU";
                }
            }
        }
        if (!refused.isEmpty()) {
            return "no simulator figures for this disk (" + reader + " refuses " + String.join(", ", refused)
                    + ", see invalid-setting, so it does not run as written)";
        }
        Optional<String> noAdvice = d.noCacheAdvice();
        if (noAdvice.isPresent()) {
            return "no simulator figures for this disk (" + noAdvice.get() + ")";
        }
        return "no simulator figures for this disk";
    }

    /**
     * {@code virtlint simulate --format html}: one disk's what-if as a page, with the chart and
     * table of its five modes.
     *
     * @param about       the lines {@code simulate} prints above its table (subject, workload, guest)
     * @param assumptions what the figures assume
     */
    public static String whatIf(String version, List<String> about, List<Prediction> modes, Prediction current,
                                Evidence.Basis basis, boolean guestFlushes, List<String> assumptions) {
        Page page = new Page("virtlint simulate", version);
        StringBuilder out = page.body;
        out.append("<header>\n<h1>virtlint simulate</h1>\n");
        for (String line : about) {
            out.append("<p class=\"summary\">").append(escape(line)).append("</p>\n");
        }
        out.append("<p class=\"meta\">virtlint ").append(escape(version)).append("</p>\n</header>\n");
        out.append("<section class=\"disk\">\n");
        out.append(ModeChart.figure(page.nextId(), about.isEmpty() ? "the given facts" : about.get(0),
                new ModeChart.Data(modes, current, null, basis, guestFlushes)));
        if (!assumptions.isEmpty()) {
            out.append("<p class=\"assumed\">assumed: ").append(escape(String.join("; ", assumptions)))
                    .append("</p>\n");
        }
        out.append("</section>\n");
        return page.finish();
    }

    /** The run in a line, as the text report's summary counts it. */
    private static String summary(RunResult run) {
        long files = run.files().size() - run.skippedCount();
        int total = run.findings().size();
        String s = total == 0 ? "no findings" : total + (total == 1 ? " finding" : " findings") + " ("
                + run.count(Severity.ERROR) + " error, " + run.count(Severity.WARNING) + " warning, "
                + run.count(Severity.INFO) + " info)";
        s += " in " + files + (files == 1 ? " file" : " files") + " (" + run.diskCount()
                + (run.diskCount() == 1 ? " disk" : " disks") + ")";
        if (run.skippedCount() > 0) {
            s += ", skipped " + run.skippedCount() + " not a domain";
        }
        if (!run.errors().isEmpty()) {
            s += ", " + run.errors().size() + (run.errors().size() == 1 ? " input" : " inputs")
                    + " could not be read";
        }
        return s;
    }

    /**
     * Text as HTML character data or a quoted attribute value: the five characters that could
     * end either, and what HTML does not allow in text (controls other than tab, newline and
     * carriage return, lone surrogates, U+FFFE and U+FFFF) as U+FFFD.
     */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // codePointAt gives an unpaired surrogate as itself.
                    boolean bad = c < 0x20 && c != '\t' && c != '\n' && c != '\r'
                            || c >= 0x7f && c < 0xa0 || c >= 0xd800 && c <= 0xdfff
                            || c == 0xfffe || c == 0xffff;
                    out.appendCodePoint(bad ? 0xfffd : c);
                }
            }
        }
        return out.toString();
    }

    /** The page around a body: the head with its style and the policy that allows only it. */
    private static final class Page {
        private final String title;
        private final String version;
        final StringBuilder body = new StringBuilder();
        private int ids;

        Page(String title, String version) {
            this.title = title;
            this.version = version;
        }

        String nextId() {
            return "chart" + ++ids;
        }

        String finish() {
            // default-src 'none' leaves nothing to fetch, run or embed; the one inline <style> is
            // allowed by its hash, not by 'unsafe-inline' (MDN, CSP style-src: a
            // '<hash_algorithm>-<hash_value>' source; the WPT tests under
            // content-security-policy/unsafe-hashes show the meta form). frame-ancestors, sandbox
            // and report-uri are not allowed in a meta policy (whatwg/html#523), so none is given.
            String policy = "default-src 'none'; style-src '" + hash(STYLE) + "'; base-uri 'none'; "
                    + "form-action 'none'";
            return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + policy + "\">\n"
                    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    + "<meta name=\"generator\" content=\"virtlint " + escape(version) + "\">\n"
                    + "<title>" + escape(title) + "</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n"
                    + body + "</body>\n</html>\n";
        }
    }

    /** The SHA-256 source expression of a style element's text, as CSP compares it. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform has SHA-256 (java.security.MessageDigest's required algorithms).
            throw new IllegalStateException(e);
        }
    }

    /** The page's style: system fonts only, colours that print, markers told apart by shape too. */
    static final String STYLE = """

            body{font:14px/1.45 system-ui,sans-serif;color:#1d1d1f;background:#fff;margin:0 auto;\
            max-width:1000px;padding:0 16px 32px}
            h1{font-size:22px;margin:18px 0 4px}h2{font-size:17px;margin:26px 0 6px;\
            border-bottom:1px solid #ccc;padding-bottom:3px}h3{font-size:15px;margin:18px 0 4px}
            .summary{font-weight:600;margin:2px 0}.meta{color:#555;margin:2px 0}
            table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #ddd;padding:2px 7px;\
            text-align:left;vertical-align:top}thead th{background:#f3f3f3}
            .findings{list-style:none;padding:0}.finding{margin:6px 0;padding:6px 9px;\
            border-left:4px solid #bbb;background:#fafafa}.finding p{margin:3px 0}
            .sev{font-weight:700;text-transform:uppercase;font-size:11px;padding:1px 5px;border-radius:3px}
            .sev.error{background:#b3261e;color:#fff}.sev.warning{background:#f2c94c;color:#000}\
            .sev.info{background:#dbe7f5;color:#000}
            .rule{font-weight:600}.pos{color:#555}.fix{font-family:ui-monospace,monospace}\
            .assumed{color:#555;font-size:13px}
            .evidence{font-size:13px;color:#333}.disk{margin-left:8px}
            figure.modes{margin:10px 0 18px}figcaption{font-size:13px;color:#333}
            .figures{font-size:13px}.figures tr.current th{font-weight:700}\
            .figures tr.recommended th{font-style:italic}.notes{font-size:12px;color:#444}
            .chart{display:block;max-width:100%;height:auto;font:11px system-ui,sans-serif}
            .chart .plot,.chart .frame{fill:#fcfcfc;stroke:#999}.chart .break{stroke:#999;\
            stroke-dasharray:3 3}.chart .grid{stroke:#e4e4e4}
            .chart .tick{fill:#444}.chart .tick.y{text-anchor:end}.chart .tick.x,.chart .axis.x,\
            .chart .label,.chart .empty{text-anchor:middle}.chart .axis{fill:#222}\
            .chart .axis.y{text-anchor:middle}
            .chart .empty,.chart .message{fill:#555}.chart .message{font-size:13px}
            .chart .guide{stroke:#bbb;stroke-dasharray:2 3}.chart .current .guide,\
            .chart .guide.current{stroke:#b3261e;stroke-width:2;stroke-dasharray:none}
            .chart .recommended .guide,.chart .guide.recommended{stroke:#1a7f37;stroke-width:2;\
            stroke-dasharray:6 3}
            .chart .current .label{fill:#b3261e;font-weight:700}.chart .recommended .label{fill:#1a7f37;\
            font-weight:700}
            .chart .qemu{fill:#1f77b4;stroke:#fff}.chart .host{fill:#e66100;stroke:#fff}\
            .chart .power{fill:#5e3c99;stroke:#fff}.chart .key{fill:#222}.chart .small{fill:#666;\
            font-size:10px}
            """;
}
