package dev.virtlint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two packages of src/main need each other, directly or through others: each code line's
 * {@code dev.virtlint.PKG.} references (imports and qualified names; comments left out) make the
 * graph, which must have no cycle.
 */
class PackageCycleTest {

    private static final Path MAIN = Path.of("src/main/java/dev/virtlint");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.virtlint\\.([a-z]+)\\.");

    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = MAIN.relativize(f).getName(0).toString();
                Set<String> mine = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                for (String line : Files.readAllLines(f)) {
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")
                            || code.startsWith("package ")) {
                        continue;
                    }
                    int comment = code.indexOf("//");
                    Matcher m = REFERENCE.matcher(comment >= 0 ? code.substring(0, comment) : code);
                    while (m.find()) {
                        if (!m.group(1).equals(pkg)) {
                            mine.add(m.group(1));
                        }
                    }
                }
            }
        }
        return uses;
    }

    @Test
    void thePackagesOfMainHaveNoCycle() throws IOException {
        Map<String, Set<String>> uses = graph();
        assertThat(uses).containsKeys("model", "parse", "rules", "cli");
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            // A cycle through start: some package start uses reaches start again.
            List<String> path = new ArrayList<>(List.of(start));
            if (reaches(uses, start, start, path, new TreeSet<>())) {
                cycles.add(String.join(" -> ", path));
            }
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    /**
     * The reports read the fix plan that was made once per file (report.Checked.plan); planning
     * again through rewrite (SarifReport once did) would make two plans that can disagree.
     */
    @Test
    void reportDoesNotDependOnRewrite() throws IOException {
        Map<String, Set<String>> uses = graph();
        assertThat(uses).containsKeys("report", "rewrite");
        assertThat(uses.get("report")).as("packages report uses").doesNotContain("rewrite");
    }

    private static boolean reaches(Map<String, Set<String>> uses, String from, String target, List<String> path,
                                   Set<String> seen) {
        for (String next : uses.getOrDefault(from, Set.of())) {
            path.add(next);
            if (next.equals(target) || (seen.add(next) && reaches(uses, next, target, path, seen))) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }
}
