package dev.virtlint.report;

import dev.virtlint.lint.InputError;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Position;
import dev.virtlint.model.SourceText;
import dev.virtlint.model.Span;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.FixPlan;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Rule;
import dev.virtlint.rules.RuleMeta;
import dev.virtlint.rules.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SARIF 2.1.0, as GitHub code scanning and other CI systems read it: the rules with their pages,
 * one result per finding with its exact region, fingerprints that do not depend on line numbers,
 * a safe fix as replacements, the simulator's figures, the fix's kind and what the finding
 * assumed as properties, and suppressed findings with their suppression. Input errors are tool
 * notifications.
 */
final class SarifReport implements Report {

    @Override
    public String render(RunResult run, List<Rule> rules, ReportSettings settings) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Object> descriptors = new ArrayList<>();
        for (Rule rule : rules) {
            RuleMeta info = rule.info();
            if (index.putIfAbsent(info.id(), descriptors.size()) == null) {
                descriptors.add(descriptor(info, settings.display().helpUriBase()));
            }
        }
        List<Object> results = new ArrayList<>();
        for (Checked c : run.files()) {
            Fingerprints prints = new Fingerprints();
            Map<Disk, FixPlan.DiskFix> fixes = new HashMap<>();
            for (FixPlan.DiskFix d : c.plan().fixed()) {
                fixes.put(d.disk(), d);
            }
            for (Finding f : c.findings()) {
                results.add(result(c.file(), f, index, prints, fixes.get(f.disk()), null));
            }
            for (Linter.Suppressed s : c.suppressed()) {
                results.add(result(c.file(), s.finding(), index, prints, null, s));
            }
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "virtlint");
        driver.put("version", settings.version());
        driver.put("semanticVersion", settings.version().replaceAll("[^0-9A-Za-z.+-]", ""));
        // virtlint has no home page yet, but Microsoft's validator warns without informationUri
        // (SARIF2005, ProvideToolProperties) and .ci/run fails on its warnings: so it keeps naming
        // virtlint.dev, the domain of virtlint's XML namespace (which does not resolve either).
        driver.put("informationUri", "https://virtlint.dev/");
        driver.put("rules", descriptors);
        Map<String, Object> invocation = new LinkedHashMap<>();
        invocation.put("executionSuccessful", run.errors().stream().noneMatch(InputError::internal));
        List<Object> notes = new ArrayList<>();
        for (InputError e : run.errors()) {
            notes.add(notification(e));
        }
        invocation.put("toolExecutionNotifications", notes);
        Map<String, Object> sarifRun = new LinkedHashMap<>();
        sarifRun.put("tool", Map.of("driver", driver));
        sarifRun.put("invocations", List.of(invocation));
        sarifRun.put("columnKind", "utf16CodeUnits");
        sarifRun.put("results", results);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        root.put("runs", List.of(sarifRun));
        return Json.write(root) + "\n";
    }

    private static Map<String, Object> descriptor(RuleMeta info, String helpUriBase) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", info.id());
        d.put("name", pascal(info.id()));
        d.put("shortDescription", Map.of("text", info.summary()));
        String page = RuleIndex.page(info.id()).orElse(null);
        d.put("fullDescription", Map.of("text", page == null ? info.summary() + "." : whyItMatters(page, info.summary())));
        // helpUri only where the user said the pages are published (--help-uri-base): the page is
        // embedded as help anyway, and a link to a page that does not exist helps nobody.
        if (helpUriBase != null) {
            d.put("helpUri", HelpUri.of(helpUriBase, info.id()));
        }
        if (page != null) {
            Map<String, Object> help = new LinkedHashMap<>();
            help.put("text", page);
            help.put("markdown", page);
            d.put("help", help);
        }
        d.put("defaultConfiguration", Map.of("level", level(info.severity())));
        d.put("properties", ordered("category", info.category(), "tags", List.of(info.category())));
        return d;
    }

    /** The first paragraph under "Why it matters" of a rule page, on one line. */
    static String whyItMatters(String page, String fallback) {
        int at = page.indexOf("## Why it matters");
        if (at < 0) {
            return fallback + ".";
        }
        String rest = page.substring(page.indexOf('\n', at) + 1).stripLeading();
        int end = rest.indexOf("\n\n");
        return (end < 0 ? rest : rest.substring(0, end)).replaceAll("\\s+", " ").trim();
    }

    private static Map<String, Object> result(ParsedFile file, Finding f, Map<String, Integer> index, Fingerprints prints,
                                              FixPlan.DiskFix fix, Linter.Suppressed suppressed) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ruleId", f.rule());
        Integer i = index.get(f.rule());
        if (i != null) {
            r.put("ruleIndex", i);
        }
        r.put("level", level(f.severity()));
        r.put("message", Map.of("text", f.message()));
        Map<String, Object> physical = new LinkedHashMap<>();
        physical.put("artifactLocation", artifact(file));
        Map<String, Object> region = region(file.source(), f.span());
        region.put("snippet", Map.of("text", file.source().slice(f.span())));
        physical.put("region", region);
        physical.put("contextRegion", context(file.source(), f.span()));
        r.put("locations", List.of(Map.of("physicalLocation", physical)));
        r.put("partialFingerprints", Map.of("virtlint/v1", prints.next(file, f)));
        // Only a safe fix is offered as replacements: a viewer applies them without asking what
        // they rest on. (The plan lint makes holds safe fixes only; this keeps an unsafe finding
        // from carrying another rule's safe fix of its disk.)
        if (fix != null && !fix.edits().isEmpty() && !f.unsafeFix()) {
            List<Object> replacements = new ArrayList<>();
            for (FixPlan.Replace e : fix.edits()) {
                Map<String, Object> rep = new LinkedHashMap<>();
                rep.put("deletedRegion", region(file.source(), e.span()));
                rep.put("insertedContent", Map.of("text", e.text()));
                replacements.add(rep);
            }
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("artifactLocation", artifact(file));
            change.put("replacements", replacements);
            Map<String, Object> sarifFix = new LinkedHashMap<>();
            sarifFix.put("description", Map.of("text", fix.description()));
            sarifFix.put("artifactChanges", List.of(change));
            r.put("fixes", List.of(sarifFix));
        }
        if (suppressed != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("kind", "inSource");
            if (suppressed.reason() != null && !suppressed.reason().isBlank()) {
                s.put("justification", suppressed.reason());
            }
            r.put("suppressions", List.of(s));
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        if (f.target() != null) {
            properties.put("disk", f.target());
        }
        if (f.evidence() != null) {
            properties.put("evidence", EvidenceReport.json(f.evidence()));
        }
        // SARIF 2.1.0 section 3.8: a property bag is allowed on every object, a result's
        // included, for what the format has no property of its own for.
        if (f.fix() != null) {
            properties.put("fixSafety", f.safety());
            properties.put("fix", FixLine.change(f));
        }
        if (!f.assumptions().isEmpty()) {
            properties.put("assumptions", f.assumptions());
        }
        if (!properties.isEmpty()) {
            r.put("properties", properties);
        }
        return r;
    }

    private static Map<String, Object> artifact(ParsedFile file) {
        return Map.of("uri", uri(file.name()));
    }

    /**
     * A path as a URI reference, which SARIF 2.1.0 requires of artifactLocation.uri (the spec,
     * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html, says "URI reference" since
     * https://github.com/oasis-tcs/sarif-spec/issues/176; Microsoft's validator checks it, SARIF1002):
     * the path as written, a leading {@code ./} left out ({@link ReportPath}), every byte of its
     * UTF-8 other than RFC 3986's unreserved characters and {@code /} percent-encoded. A backslash
     * is not a URI character (RFC 3986 section 2), so it is encoded as {@code %5C}, never turned
     * into {@code /}: on Linux it is part of a file's name, and the URI must name that file.
     */
    static String uri(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : ReportPath.relative(path).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return out.toString();
    }

    private static final String HEX = "0123456789ABCDEF";

    /** A SARIF region: 1-based lines and columns; the end column is the one after the last character. */
    static Map<String, Object> region(SourceText source, Span span) {
        Position start = source.positionOf(span.start());
        Position end = source.positionOf(span.end());
        Map<String, Object> region = new LinkedHashMap<>();
        region.put("startLine", start.line());
        region.put("startColumn", start.column());
        region.put("endLine", end.line());
        region.put("endColumn", end.column());
        return region;
    }

    /** The whole lines the span is on, with their text. */
    private static Map<String, Object> context(SourceText source, Span span) {
        Position start = source.positionOf(span.start());
        Position end = source.positionOf(span.end());
        int from = source.offsetOf(start.line(), 1);
        String text = source.text();
        int to = span.end();
        while (to < text.length() && text.charAt(to) != '\n' && text.charAt(to) != '\r') {
            to++;
        }
        Map<String, Object> region = new LinkedHashMap<>();
        region.put("startLine", start.line());
        region.put("endLine", end.line());
        region.put("snippet", Map.of("text", text.substring(from, to)));
        return region;
    }

    private static Map<String, Object> notification(InputError e) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("level", "error");
        n.put("message", Map.of("text", e.message()));
        Map<String, Object> physical = new LinkedHashMap<>();
        physical.put("artifactLocation", Map.of("uri", uri(e.name())));
        if (e.position() != null) {
            physical.put("region", ordered("startLine", e.position().line(), "startColumn", e.position().column()));
        }
        n.put("locations", List.of(Map.of("physicalLocation", physical)));
        return n;
    }

    static String level(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    /** A map that keeps the order its keys are given in (Map.of does not, and the output must not vary). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static String pascal(String id) {
        StringBuilder out = new StringBuilder();
        for (String part : id.split("-")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }
}
