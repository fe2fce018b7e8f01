package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.parse.Yaml;
import dev.virtlint.parse.Yaml.YNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Built-in declarative rules ship as parsed trees ({@code ID.rule.tree}) next to their YAML, so a
 * lint reads them without a YAML parser. Each tree must be exactly what the YAML parses to, node
 * for node with every position. When a rule file changes, regenerate the trees with
 * {@code mvn -B -q test-compile exec:java} ({@link dev.virtlint.Regenerate}); this test only compares.
 */
class BuiltInRuleTreeTest {

    private static final Path RULES = RuleTrees.RULES;
    private static final Path TREES = RuleTrees.TREES;
    private static final String REGENERATE = dev.virtlint.Regenerate.COMMAND;

    @TestFactory
    Stream<DynamicTest> everyRuleFileHasAnUpToDateTree() throws IOException {
        return ruleFiles().stream().map(yaml -> DynamicTest.dynamicTest(yaml.getFileName().toString(), () -> {
            String id = yaml.getFileName().toString().replace(".rule.yaml", "");
            String label = "rules/" + yaml.getFileName();
            String expected = RuleTrees.tree(yaml);
            Path tree = TREES.resolve(id + ".rule.tree");
            assertThat(tree).as("%s has no tree; run %s", label, REGENERATE).exists();
            assertThat(Files.readString(tree)).as("%s is stale; run %s", tree, REGENERATE).isEqualTo(expected);
            // The built-in rule the catalogue holds is the one the YAML describes.
            DeclarativeRule fromYaml = RuleReader.from(Yaml.parse(Files.readString(yaml), label), label, true);
            Rule shipped = Catalogue.byId(id).orElseThrow();
            assertThat(shipped.info()).isEqualTo(fromYaml.info());
        }));
    }

    @Test
    void everyTreeHasItsRuleFile() throws IOException {
        try (Stream<Path> trees = Files.list(TREES)) {
            assertThat(trees.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".rule.tree")))
                    .allSatisfy(n -> assertThat(RULES.resolve(n.replace(".rule.tree", ".rule.yaml"))).exists());
        }
    }

    @Test
    void treesReadBackNodeForNodeWithPositions() throws Exception {
        String yaml = """
                # every kind of node, and values the encoding must escape
                plain: value with spaces
                empty: ""
                slashes: "C:\\\\dir\\\\n is not a newline"
                folded: >-
                  two
                  lines
                literal: |
                  kept
                  newlines
                carriage: "a\\rb"
                list:
                  - one
                  - [nested, flow]
                  - {inner: map}
                "key with: colon": x
                unicode: "disque \u00e9t\u00e9 \\U0001F4BE"
                """;
        YNode parsed = Yaml.parse(yaml, "t.yaml");
        String encoded = Yaml.encode(parsed, "comment");
        YNode decoded = Yaml.decode(encoded, "t.yaml");
        assertThat(Yaml.encode(decoded, "comment")).isEqualTo(encoded);

        assertThat(decoded.require("slashes").string()).isEqualTo("C:\\dir\\n is not a newline");
        assertThat(decoded.require("literal").string()).isEqualTo("kept\nnewlines\n");
        assertThat(decoded.require("carriage").string()).isEqualTo("a\rb");
        assertThat(decoded.require("empty").string()).isEmpty();
        assertThat(decoded.require("unicode").string()).isEqualTo(parsed.require("unicode").string());
        List<YNode> list = decoded.require("list").list();
        assertThat(list.get(1).strings()).containsExactly("nested", "flow");
        assertThat(list.get(2).require("inner").string()).isEqualTo("map");
        // Positions survive: values, keys, list items.
        YNode folded = decoded.require("folded");
        assertThat(List.of(folded.line(), folded.column())).containsExactly(5, 9);
        YNode key = decoded.keyNode("key with: colon");
        assertThat(List.of(key.line(), key.column())).containsExactly(16, 1);
        assertThat(List.of(list.get(2).line(), list.get(2).column())).containsExactly(15, 5);
        assertThat(decoded.require("plain").file()).isEqualTo("t.yaml");
    }

    @Test
    void aDamagedTreeIsRefusedRatherThanHalfRead() {
        String encoded = Yaml.encode(Yaml.decode("M 1 1 1\nK 1 1 a\nS 1 4 b\n", "t"), "");
        assertThat(encoded).isEqualTo("M 1 1 1\nK 1 1 a\nS 1 4 b\n");
        assertThatThrownBy(() -> Yaml.decode("M 1 1 2\nK 1 1 a\nS 1 4 b\n", "t")).hasMessageContaining("ends early");
        assertThatThrownBy(() -> Yaml.decode("S 1 1 a\nS 2 1 b\n", "t")).hasMessageContaining("after the tree");
        assertThatThrownBy(() -> Yaml.decode("M 1 1 1\nS 1 1 a\nS 1 4 b\n", "t")).hasMessageContaining("expected a key");
    }

    private static List<Path> ruleFiles() throws IOException {
        return RuleTrees.ruleFiles();
    }
}
