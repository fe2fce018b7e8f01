package dev.virtlint.report;

import dev.virtlint.lint.InputError;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Position;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Rule;
import dev.virtlint.rules.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JUnit XML, as GitLab, Jenkins and most CI systems show test results: one test case per file and
 * rule that ran. It agrees with the exit code: a test case fails only for findings at or above
 * {@code --fail-on}; a finding below it is listed in the test case's {@code <system-out>}, which
 * passes, and with {@code --fail-on never} nothing fails. GitLab parses system-out of testcase
 * elements (docs.gitlab.com/ci/testing/unit_test_reports, "JUnit XML format specification") but
 * shows it for failed ones only (gitlab-org/gitlab merge request 134219); Jenkins keeps a passing
 * test's output, truncating a long one ("Retain long standard output/error", plugins.jenkins.io/junit).
 * An input that cannot be read is a test case in error, as it makes the exit code 3 whatever
 * {@code --fail-on} says. A file skipped as not a domain (a network or pool definition met in a
 * walk) is one test case, {@code input}, with {@code <skipped>}, and is counted in
 * {@code skipped}: no rule read it, so no rule's test passed on it. GitLab's parser gives a test
 * case with a skipped element the status skipped, and shows its text as the details (before
 * gitlab-org/gitlab merge request 28053 it counted it as a success); Jenkins' junit plugin counts
 * it as skipped (jenkinsci/junit-plugin issue 782).
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
        int skipped = 0;
        for (Checked c : run.files()) {
            if (c.file().kind() == ParsedFile.Kind.SKIPPED) {
                tests++;
                skipped++;
                String why = c.file().note(); // "not a domain: the root element is <network>"
                cases.append("    <testcase classname=\"").append(attr(c.file().name())).append("\" name=\"input\" file=\"")
                        .append(attr(c.file().name())).append("\">\n      <skipped message=\"").append(attr(why))
                        .append("\">").append(text(c.file().name() + ": " + why)).append("</skipped>\n    </testcase>\n");
                continue;
            }
            Map<String, List<Finding>> byRule = new LinkedHashMap<>();
            ids.forEach(id -> byRule.put(id, new ArrayList<>()));
            c.findings().forEach(f -> byRule.get(f.rule()).add(f));
            for (Map.Entry<String, List<Finding>> e : byRule.entrySet()) {
                tests++;
                cases.append("    <testcase classname=\"").append(attr(c.file().name())).append("\" name=\"")
                        .append(attr(e.getKey())).append("\" file=\"").append(attr(c.file().name())).append('"');
                List<Finding> failing = new ArrayList<>();
                List<Finding> passing = new ArrayList<>();
                for (Finding f : e.getValue()) {
                    (fails(f, settings.failOn()) ? failing : passing).add(f);
                }
                if (e.getValue().isEmpty()) {
                    cases.append("/>\n");
                    continue;
                }
                cases.append(">\n");
                if (!failing.isEmpty()) {
                    failures++;
                    cases.append("      <failure type=\"").append(failing.get(0).severity().id()).append("\" message=\"")
                            .append(attr(failing.size() + " finding" + (failing.size() == 1 ? "" : "s") + ": "
                                    + failing.get(0).message()))
                            .append("\">").append(text(lines(c, failing))).append("</failure>\n");
                }
                if (!passing.isEmpty()) {
                    cases.append("      <system-out>").append(text(lines(c, passing))).append("</system-out>\n");
                }
                cases.append("    </testcase>\n");
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
                + "\" skipped=\"" + skipped + "\">\n" + cases + "  </testsuite>\n</testsuites>\n";
    }

    /** Whether a finding fails the run, as the exit code decides it ({@link RunResult#fails}). */
    private static boolean fails(Finding f, Severity threshold) {
        return threshold != null && f.severity().atLeast(threshold);
    }

    /** One compiler-style line per finding, with its fix. */
    private static String lines(Checked c, List<Finding> findings) {
        StringBuilder body = new StringBuilder();
        for (Finding f : findings) {
            Position p = c.file().source().positionOf(f.span().start());
            body.append(c.file().name()).append(':').append(p.line()).append(':').append(p.column()).append(": ")
                    .append(f.severity().id()).append(" [").append(f.rule()).append("] ").append(f.message())
                    .append(FixLine.inline(f)).append('\n');
        }
        return body.toString();
    }

    /**
     * Character data that XML 1.0 can carry whatever the file names and messages hold. XML 1.0's Char
     * production (https://www.w3.org/TR/xml/#charsets) allows tab, LF, CR, U+0020-U+D7FF,
     * U+E000-U+FFFD and the supplementary planes; no escape makes another character legal (a
     * character reference must match Char too: "Legal Character" constraint). So every other
     * character (the other C0 controls, U+FFFE, U+FFFF, a lone surrogate) is written as U+FFFD, the
     * replacement character; the README says so.
     */
    static String text(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
                continue;
            }
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                // A literal CR would be read back as LF (XML 1.0 section 2.11, end-of-line handling).
                case '\r' -> b.append("&#13;");
                default -> b.append(legal(c) ? c : '\uFFFD');
            }
        }
        return b.toString();
    }

    private static boolean legal(char c) {
        return c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c < 0xD800 || c >= 0xE000 && c <= 0xFFFD;
    }

    /**
     * An attribute value: also the double quote, and tab and LF (CR is already one) as character
     * references, which a parser would otherwise turn into spaces (XML 1.0 section 3.3.3,
     * attribute-value normalization).
     */
    static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\t", "&#9;").replace("\n", "&#10;");
    }
}
