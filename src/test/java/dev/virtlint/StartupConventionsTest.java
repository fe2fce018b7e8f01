package dev.virtlint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The start-up conventions of ARCHITECTURE.md ("Start-up conventions"), checked on the code lines
 * of src/main/java (comments left out): no call that sets up method handles, locale data or a
 * class loader's resource lookup the first time it runs. A use is allowed only in a file listed in
 * {@link #ALLOWED}, which says why a one-file lint does not reach it, and only as many times as
 * listed, so that a new use in such a file fails too.
 */
class StartupConventionsTest {

    private static final Path MAIN = Path.of("src/main/java/dev/virtlint");

    /** What the conventions forbid, each with what to write instead. */
    private static final Map<String, String> FORBIDDEN = Map.of(
            "Comparator.comparing", "a lambda comparing the fields",
            ".thenComparing(", "a lambda comparing the fields",
            "String.format(", "concatenation, or a helper such as EvidenceReport.fixed",
            ".formatted(", "concatenation",
            "getResourceAsStream", "model.Resources.open",
            "getAnnotation(", "RuleMeta (read once, only when a finding needs it)",
            "Class.forName(", "a direct reference",
            "java.lang.reflect", "a direct call");

    /** Files that may use what FORBIDDEN names, how many times, and why a lint does not. */
    private static final Map<String, Allowed> ALLOWED = Map.ofEntries(
            allowed("cli/SimulateCommand.java", 4, "the simulate command's table"),
            allowed("sim/Bench.java", 10, "probe --bench's notes, progress and warnings"),
            allowed("report/RuleIndex.java", 1, "the rules command's listing"),
            allowed("sim/Calibration.java", 2, "probe --bench and bin/bench-sim"),
            allowed("rewrite/AtomicWrite.java", 3, "fix's refusal of a file, an error message"),
            allowed("parse/TextDecoder.java", 1, "an input that is not valid in its encoding"),
            allowed("parse/DomainParser.java", 1, "an XML 1.1 line end, an input error"),
            allowed("report/Json.java", 1, "a control character in a JSON string"),
            allowed("report/EvidenceReport.java", 1, "a figure that is not finite"),
            allowed("model/Resources.java", 1, "a resource not in virtlint's own jar"),
            allowed("cli/Terminal.java", 1, "Console.isTerminal on Java 22+, only without the launcher"));

    private record Allowed(int count, String why) {
    }

    private static Map.Entry<String, Allowed> allowed(String file, int count, String why) {
        return Map.entry(file, new Allowed(count, why));
    }

    /** Every use of a forbidden call in src/main/java, as {@code file:line: text}, by file. */
    static Map<String, List<String>> uses(Path root) throws IOException {
        Map<String, List<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String name = root.relativize(f).toString().replace('\\', '/');
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = codeOf(lines.get(i));
                    for (String call : FORBIDDEN.keySet()) {
                        if (code.contains(call)) {
                            String where = root.resolve(name) + ":" + (i + 1) + ": ";
                            uses.computeIfAbsent(name, k -> new ArrayList<>())
                                    .add(where + call + " (write " + FORBIDDEN.get(call) + ")");
                        }
                    }
                }
            }
        }
        return uses;
    }

    /** The line without a comment: javadoc and block-comment lines, and what follows {@code //}. */
    private static String codeOf(String line) {
        String code = line.strip();
        if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
            return "";
        }
        int comment = code.indexOf("//");
        boolean inString = comment >= 0 && code.substring(0, comment).contains("\"");
        return comment >= 0 && !inString ? code.substring(0, comment) : code;
    }

    @Test
    void noForbiddenCallOutsideTheListedFiles() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> uses = uses(MAIN);
        uses.forEach((file, found) -> {
            Allowed allowed = ALLOWED.get(file);
            if (allowed == null) {
                problems.addAll(found);
            } else if (found.size() > allowed.count()) {
                problems.add(file + " may use them " + allowed.count() + " times (" + allowed.why()
                        + "), found " + found.size() + ":");
                problems.addAll(found);
            }
        });
        assertThat(problems).as("start-up conventions (ARCHITECTURE.md)").isEmpty();
    }

    @Test
    void everyAllowanceIsStillUsed() throws IOException {
        Map<String, List<String>> uses = uses(MAIN);
        List<String> stale = new ArrayList<>();
        ALLOWED.forEach((file, allowed) -> {
            int found = uses.getOrDefault(file, List.of()).size();
            if (found != allowed.count()) {
                stale.add(file + ": listed for " + allowed.count() + ", found " + found);
            }
        });
        assertThat(stale).as("lower the counts in ALLOWED, or drop the entry").isEmpty();
    }
}
