package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rule page of writethrough-on-flushing-guest states what the simulator predicts for each
 * mode, image and workload (issue 19: the rule follows the figures, so the page must show the
 * figures the tool prints). Each cell of its table is compared with {@code simulate}'s ratio for
 * {@code none}: a change of the speed model that moves a figure fails here until the page follows.
 */
class WritethroughOnFlushingGuestPageTest {

    private static final List<String> WORKLOADS = List.of("database", "build", "scratch-test",
            "streaming", "read-mostly");

    @Test
    void theRulePagesTableIsWhatSimulatePrints() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("rules/writethrough-on-flushing-guest.md")).stream()
                .filter(l -> l.startsWith("| writethrough,") || l.startsWith("| directsync,")).toList();
        assertThat(rows).hasSize(6);
        for (String row : rows) {
            String[] cells = row.substring(2, row.length() - 2).split(" \\| ");
            String label = cells[0];
            String cache = label.substring(0, label.indexOf(','));
            boolean preallocated = label.contains("preallocated");
            List<String> formats = label.contains("raw or qcow2") ? List.of("raw", "qcow2")
                    : List.of(label.endsWith("qcow2") ? "qcow2" : "raw");
            for (String format : formats) {
                for (int w = 0; w < WORKLOADS.size(); w++) {
                    List<String> args = new ArrayList<>(List.of("simulate", "--flushes", "yes", "--cache",
                            cache, "--workload", WORKLOADS.get(w), "--format", format));
                    if (preallocated) {
                        args.add("--preallocated");
                    }
                    assertThat(noneWrites(Cli.run(args.toArray(String[]::new)).out()))
                            .as("%s, %s, %s", label, format, WORKLOADS.get(w)).isEqualTo(cells[1 + w]);
                }
            }
        }
    }

    /** The writes ratio of simulate's {@code none} row. */
    private static String noneWrites(String table) {
        for (String line : table.split("\n")) {
            String[] t = line.trim().split("\\s+");
            if (t.length > 4 && t[0].equals("none")) {
                return t[t.length - 4];
            }
        }
        throw new AssertionError("no none row in:\n" + table);
    }
}
