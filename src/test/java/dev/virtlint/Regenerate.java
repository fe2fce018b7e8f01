package dev.virtlint;

import dev.virtlint.rules.RuleTrees;
import dev.virtlint.sim.LossTableSource;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the generated files that the tests compare ({@code LossTableTest},
 * {@code BuiltInRuleTreeTest}): the default host's loss table and the parsed trees of the built-in
 * rule files. Run from the checkout's root; the tests never write.
 */
public final class Regenerate {

    /** How to run it: the exec plugin is configured with this class in pom.xml. */
    public static final String COMMAND = "mvn -B -q test-compile exec:java";

    private Regenerate() {
    }

    public static void main(String[] args) throws Exception {
        write(LossTableSource.FILE, LossTableSource.current());
        Files.createDirectories(RuleTrees.TREES);
        for (Path yaml : RuleTrees.ruleFiles()) {
            write(RuleTrees.treeOf(yaml), RuleTrees.tree(yaml));
        }
    }

    private static void write(Path file, String text) throws java.io.IOException {
        if (Files.exists(file) && Files.readString(file).equals(text)) {
            System.out.println("unchanged " + file);
            return;
        }
        Files.writeString(file, text);
        System.out.println("wrote " + file);
    }
}
