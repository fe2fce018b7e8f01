package dev.virtlint.rules;

import dev.virtlint.parse.Yaml;
import dev.virtlint.parse.Yaml.YamlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The parsed trees of the built-in rule files, which {@link dev.virtlint.Regenerate} writes. */
public final class RuleTrees {

    static final Path RULES = Path.of("rules");
    public static final Path TREES = Path.of("src/main/resources/dev/virtlint/rules/data");

    private RuleTrees() {
    }

    /** The built-in rule files, in name order. */
    public static List<Path> ruleFiles() throws IOException {
        try (Stream<Path> files = Files.list(RULES)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".rule.yaml")).sorted().toList();
        }
    }

    /** Where the tree of {@code yaml} goes. */
    public static Path treeOf(Path yaml) {
        return TREES.resolve(yaml.getFileName().toString().replace(".rule.yaml", ".rule.tree"));
    }

    /** The tree {@code yaml} parses to, as shipped. */
    public static String tree(Path yaml) throws IOException, YamlException {
        String label = "rules/" + yaml.getFileName();
        return Yaml.encode(Yaml.parse(Files.readString(yaml), label),
                "Generated from " + label + " by dev.virtlint.Regenerate; do not edit.\n"
                        + "Regenerate: " + dev.virtlint.Regenerate.COMMAND);
    }
}
