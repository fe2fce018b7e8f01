package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Inputs;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.report.RuleIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** One id names everything else: the class, the page and the samples (style.md, "Rules"). */
class CatalogueTest {

    private static final Path RULES = Path.of("rules");

    @Test
    void idsAreKebabCaseSortedAndUnique() {
        List<String> ids = Catalogue.rules().stream().map(r -> r.id()).toList();
        assertThat(ids).allMatch(id -> id.matches("[a-z0-9]+(-[a-z0-9]+)*"));
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @TestFactory
    Stream<DynamicTest> everyRuleLinesUp() {
        return Catalogue.rules().stream().map(rule -> DynamicTest.dynamicTest(rule.id(), () -> {
            RuleMeta info = rule.info();
            assertThat(rule.id()).isEqualTo(info.id());
            assertThat(rule.getClass().getSimpleName()).isEqualTo(pascal(info.id()) + "Rule");
            assertThat(info.summary()).isNotBlank().doesNotEndWith(".");
            assertThat(info.category()).isIn("safety", "speed", "correctness");

            Path page = RULES.resolve(info.id() + ".md");
            assertThat(page).exists();
            String text = Files.readString(page);
            assertThat(text).startsWith("# " + info.id() + "\n")
                    .contains("**Severity:** " + info.severity().id())
                    .contains(info.summary() + ".")
                    .contains("## Why it matters", "## Example", "## What the fix does", "## Sources");
            assertThat(RuleIndex.page(info.id())).contains(text);

            Path samples = Path.of("samples", info.id());
            assertThat(samples).isDirectory();
            int positive = 0;
            int clean = 0;
            for (Input input : Inputs.expand(List.of(samples.toString())).inputs()) {
                if (input.name().contains(".after.")) {
                    continue; // the fixed half of a pair repeats its before's case
                }
                ParsedFile file = Loader.load(input).file();
                if (file == null) {
                    continue; // a sample refused on purpose is neither positive nor clean
                }
                var markers = SampleMarkersTest.markersOf(file);
                if (markers.isEmpty()) {
                    clean++;
                } else if (markers.stream().anyMatch(m -> m.rule().equals(info.id()))) {
                    positive++;
                }
            }
            assertThat(positive).as("positive cases").isGreaterThanOrEqualTo(2);
            assertThat(clean).as("clean cases").isGreaterThanOrEqualTo(1);
        }));
    }

    @Test
    void everyPageAndRuleFileBelongsToARule() throws IOException {
        List<String> orphans = new ArrayList<>();
        try (Stream<Path> files = Files.list(RULES)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> (n.endsWith(".md") && !n.equals("README.md")) || n.endsWith(".rule.yaml"))
                    .map(n -> n.substring(0, n.indexOf('.')))
                    .filter(id -> Catalogue.byId(id).isEmpty())
                    .forEach(orphans::add);
        }
        assertThat(orphans).isEmpty();
    }

    @Test
    void generatedIndexIsCurrent() throws IOException {
        assertThat(Files.readString(RULES.resolve("README.md")))
                .as("rules/README.md is stale: run bin/virtlint rules --format markdown > rules/README.md")
                .isEqualTo(RuleIndex.markdown());
    }

    private static String pascal(String id) {
        StringBuilder out = new StringBuilder();
        for (String part : id.split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }
}
