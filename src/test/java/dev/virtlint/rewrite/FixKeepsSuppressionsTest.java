package dev.virtlint.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Inputs;
import dev.virtlint.lint.Loader;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.SampleMarkersTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After {@code fix} over a tree, {@code lint} reported hundreds of new unused-suppression
 * findings (issue 20): fix applied the advisor's recommendation to a disk for an unsuppressed
 * finding, and the new cache mode also ended the finding a suppression on that disk hid. Fix now
 * leaves such a disk alone, with a note, and still fixes the others.
 */
class FixKeepsSuppressionsTest {

    @TempDir
    Path dir;

    @Test
    void fixThenLintGivesNoNewUnusedSuppression() throws IOException {
        Path tree = dir.resolve("tree");
        Path from = SampleMarkersTest.SAMPLES.resolve("unused-suppression");
        Files.createDirectories(tree);
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.filter(p -> !p.getFileName().toString().contains(".after."))
                    .toList()) {
                Files.copy(p, tree.resolve(p.getFileName()));
            }
        }
        List<Input> inputs = Inputs.expand(List.of(tree.toString())).inputs();
        List<String> unusedBefore = unused(inputs);

        List<Batch.Item> items = inputs.stream().map(i -> new Batch.Item(i, tree)).toList();
        List<FileFix.Result> results = Batch.run(items, i -> Linter.Settings.defaults(),
                new FileFix.Mode(true, null), 1, dir);

        assertThat(results).as("fix changed something, so the check below means something")
                .anyMatch(r -> r.status() == FileFix.Status.CHANGED);
        assertThat(unused(inputs)).isEqualTo(unusedBefore);
        FileFix.Result ledger = results.stream()
                .filter(r -> r.name().endsWith("fix-keeps-suppressed.before.xml")).findFirst()
                .orElseThrow();
        assertThat(ledger.fixed()).extracting(d -> d.disk().target()).containsExactly("vdb");
        assertThat(ledger.notes()).singleElement().asString()
                .contains(":21:60: not fixed: disk vda: its fix would take away the double-caching"
                        + " finding that a suppression hides");
    }

    @Test
    void theReportsPlanLeavesTheSameDiskAloneAsFix() throws IOException {
        Input input = Inputs.expand(List.of(SampleMarkersTest.SAMPLES.resolve(
                "unused-suppression/fix-keeps-suppressed.before.xml").toString())).inputs().get(0);
        Loader.Outcome o = Loader.load(input);
        Linter.Result linted = Linter.run(o.file(), Linter.Settings.defaults(), false);
        assertThat(Fixer.plan(o.file(), linted.findings()).fixed())
                .as("the advisor's plan alone").extracting(d -> d.disk().target())
                .containsExactly("vda", "vdb");
        assertThat(FileFix.reportPlan(input, o.file(), linted, Linter.Settings.defaults()).fixed())
                .extracting(d -> d.disk().target()).containsExactly("vdb");
    }

    /** Every unused-suppression finding of the inputs, as its file's name and message. */
    private static List<String> unused(List<Input> inputs) {
        List<String> out = new ArrayList<>();
        for (Input input : inputs) {
            Loader.Outcome o = Loader.load(input);
            if (o.file() == null) {
                continue;
            }
            for (Finding f : Linter.lint(o.file(), Linter.Settings.defaults())) {
                if (f.rule().equals("unused-suppression")) {
                    out.add(input.path().getFileName() + ": " + f.message());
                }
            }
        }
        return out;
    }
}
