package dev.virtlint.report;

import dev.virtlint.lint.InputError;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Position;
import dev.virtlint.rules.DiskCheck;
import dev.virtlint.rules.Evidences;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report, version 1. Later versions add fields and never rename or remove one, so
 * programs written against this shape keep working.
 */
final class JsonReport implements Report {

    @Override
    public String render(RunResult run, List<Rule> rules, ReportSettings settings) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", "virtlint");
        tool.put("version", settings.version());
        root.put("tool", tool);
        List<Object> files = new ArrayList<>();
        for (Checked c : run.files()) {
            files.add(file(c));
        }
        root.put("files", files);
        List<Object> errors = new ArrayList<>();
        for (InputError e : run.errors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", e.name());
            m.put("line", e.position() == null ? null : e.position().line());
            m.put("column", e.position() == null ? null : e.position().column());
            m.put("message", e.message());
            if (e.internal()) {
                m.put("internal", true);
            }
            errors.add(m);
        }
        root.put("errors", errors);
        return Json.write(root) + "\n";
    }

    private static Map<String, Object> file(Checked checked) {
        ParsedFile f = checked.file();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", f.name());
        m.put("kind", f.kind().id());
        m.put("domain", f.domain() == null ? null : f.domain().name());
        if (f.note() != null) {
            m.put("reason", f.note());
        }
        List<Object> disks = new ArrayList<>();
        for (Disk d : f.disks()) {
            disks.add(disk(f, d));
        }
        m.put("disks", disks);
        List<Object> findings = new ArrayList<>();
        // "fixable" as the text's [*] and fix itself: the file's plan fixes the finding's disk for
        // its rule (a safe fix the plan leaves alone, e.g. for a suppressed finding it would take
        // away, is not fixable).
        java.util.Set<Finding> fixable = TextReport.fixable(checked);
        for (Finding finding : checked.findings()) {
            findings.add(finding(f, finding, fixable.contains(finding)));
        }
        m.put("findings", findings);
        return m;
    }

    private static Map<String, Object> finding(ParsedFile f, Finding finding, boolean fixable) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", finding.rule());
        m.put("severity", finding.severity().id());
        m.put("message", finding.message());
        Position start = f.source().positionOf(finding.span().start());
        Position end = f.source().positionOf(finding.span().end());
        m.put("line", start.line());
        m.put("column", start.column());
        m.put("endLine", end.line());
        m.put("endColumn", end.column());
        m.put("disk", finding.target());
        m.put("domain", f.domain() == null ? null : f.domain().name());
        Map<String, Object> recommended = null;
        if (finding.recommended() != null) {
            recommended = new LinkedHashMap<>();
            recommended.put("cache", finding.recommended().cache().id());
            recommended.put("io", finding.recommended().io());
            List<String> assumed = finding.recommended().assumptions();
            // One string, as version 1 had it; "assumptions" lists them.
            recommended.put("assumption", assumed.isEmpty() ? null : String.join("; ", assumed));
            recommended.put("assumptions", assumed);
        }
        m.put("recommended", recommended);
        // "fix" stays the change's text (version 1 never changes a field's type); its kind and
        // what an unsafe one rests on are fields of their own. "fixable": a plain fix applies it.
        m.put("fixable", fixable);
        m.put("fix", finding.fix());
        m.put("fixSafety", finding.safety());
        m.put("fixAssumptions", finding.fixAssumptions());
        m.put("fixWriteRatio", FixLine.writeRatio(finding));
        m.put("assumptions", finding.assumptions());
        m.put("evidence", finding.evidence() == null ? null : EvidenceReport.json(finding.evidence()));
        return m;
    }

    private static Map<String, Object> disk(ParsedFile f, Disk d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", d.target());
        m.put("origin", d.dialect().id());
        m.put("source", d.source().orElse(null));
        m.put("sourceKind", d.sourceKind().id());
        m.put("device", d.device().id());
        m.put("bus", d.bus().orElse(null));
        m.put("format", d.format().orElse(null));
        m.put("readonly", d.readonly());
        m.put("readonlyBy", d.readonlyBy().orElse(null));
        m.put("noCacheAdvice", dev.virtlint.advise.Advisor.noAdvice(d).orElse(null));
        m.put("shareable", d.shareable());
        m.put("transient", d.isTransient());
        CacheMode c = d.cache();
        Map<String, Object> cache = new LinkedHashMap<>();
        cache.put("mode", c.modeName());
        cache.put("explicit", c.explicit());
        cache.put("writeback", c.writeback());
        cache.put("direct", c.direct());
        cache.put("noFlush", c.noFlush());
        cache.put("written", DiskCheck.written(d));
        m.put("cache", cache);
        m.put("io", d.io().orElse(null));
        m.put("discard", d.discard().orElse(null));
        m.put("detectZeroes", d.detectZeroes().orElse(null));
        // Why this disk's findings have "evidence": null, or null when they have figures.
        m.put("evidenceOmitted", Evidences.omitted(d).orElse(null));
        Position p = f.source().start(d.span());
        m.put("line", p.line());
        m.put("column", p.column());
        return m;
    }
}
