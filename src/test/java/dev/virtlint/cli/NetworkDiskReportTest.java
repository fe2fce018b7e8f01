package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Findings on network disks say that they carry no simulator figures, in text and JSON, and
 * {@code simulate} refuses such a disk: the simulator models the host page cache, which QEMU's
 * network drivers do not use.
 */
class NetworkDiskReportTest {

    private static final String RBD = "samples/domains/ceph-rbd-network.xml";

    @Test
    void textSaysThereAreNoFiguresAndNamesNoHostPageCacheRam() {
        Cli.Run run = Cli.run("lint", RBD);
        assertThat(run.out()).contains("[rbd-cache-disabled] disk vdb")
                .contains("no simulator figures: the simulator models the host page cache and a"
                        + " local device, which a network disk (rbd) does not use\n"
                        + "  fix: cache='none' -> cache='writeback'\n")
                .doesNotContain("host RAM").doesNotContain("predicted");
    }

    @Test
    void jsonHasNullEvidenceAndSaysWhyOnTheDisk() {
        Cli.Run run = Cli.run("lint", "--format", "json", RBD);
        assertThat(run.out()).contains("\"evidence\": null")
                .contains("\"evidenceOmitted\": \"no simulator figures")
                .doesNotContain("hostCacheDuplicateBytes");
    }

    @Test
    void simulateRefusesANetworkDisk() {
        Cli.Run run = Cli.run("simulate", RBD + ":vdb");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("disk vdb of " + RBD + ": no simulator figures")
                .contains("nothing to simulate");
    }
}
