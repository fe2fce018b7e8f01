package dev.virtlint.report;

import dev.virtlint.lint.InputError;
import dev.virtlint.model.Position;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JUnit XML, as GitLab, Jenkins and most CI systems show test results: one test case per file and
 * rule that ran, failed when the rule found something in the file; an input that cannot be read is
 * a test case in error.
 */
final class JunitReport implements Report {

    @Override
    public String render(RunResult run, List<Rule> rules, ReportSettings settings) {
        Set<String> ids = new LinkedHashSet<>();
        rules.forEach(r -> ids.add(r.id()));
        run.findings().forEach(f -> ids.add(f.rule()));
        StringBuilder cases = new StringBuilder();
        int tests = 0;
        int failures = 0;
        for (Checked c : run.files()) {
            Map<String, List<Finding>> byRule = new LinkedHashMap<>();
            ids.forEach(id -> byRule.put(id, new ArrayList<>()));
            c.findings().forEach(f -> byRule.get(f.rule()).add(f));
            for (Map.Entry<String, List<Finding>> e : byRule.entrySet()) {
                tests++;
                cases.append("    <testcase classname=\"").append(attr(c.file().name())).append("\" name=\"")
                        .append(attr(e.getKey())).append("\" file=\"").append(attr(c.file().name())).append('"');
                if (e.getValue().isEmpty()) {
                    cases.append("/>\n");
                    continue;
                }
                failures++;
                Finding first = e.getValue().get(0);
                StringBuilder body = new StringBuilder();
                for (Finding f : e.getValue()) {
                    Position p = c.file().source().positionOf(f.span().start());
                    body.append(c.file().name()).append(':').append(p.line()).append(':').append(p.column()).append(": ")
                            .append(f.severity().id()).append(" [").append(f.rule()).append("] ").append(f.message());
                    body.append(FixLine.inline(f));
                    body.append('\n');
                }
                cases.append(">\n      <failure type=\"").append(first.severity().id()).append("\" message=\"")
                        .append(attr(e.getValue().size() + " finding" + (e.getValue().size() == 1 ? "" : "s") + ": "
                                + first.message()))
                        .append("\">").append(text(body.toString())).append("</failure>\n    </testcase>\n");
            }
        }
        int errors = 0;
        for (InputError e : run.errors()) {
            tests++;
            errors++;
            String where = e.name() + (e.position() == null ? "" : ":" + e.position().line() + ":" + e.position().column());
            cases.append("    <testcase classname=\"").append(attr(e.name())).append("\" name=\"input\" file=\"")
                    .append(attr(e.name())).append("\">\n      <error type=\"input\" message=\"").append(attr(e.message()))
                    .append("\">").append(text(where + ": " + e.message())).append("</error>\n    </testcase>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuites name=\"virtlint\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors + "\">\n"
                + "  <testsuite name=\"virtlint\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors
                + "\" skipped=\"0\">\n" + cases + "  </testsuite>\n</testsuites>\n";
    }

    private static String text(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' && c != '\r' ? ' ' : c);
            }
        }
        return b.toString();
    }

    private static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
    }
}
