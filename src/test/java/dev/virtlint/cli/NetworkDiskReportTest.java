package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Findings on network disks carry no host page cache figures, in text and JSON, and
 * {@code simulate} refuses such a disk: the simulator models the host page cache, which QEMU's
 * network drivers do not use. An rbd disk gets the figures of librbd's own cache instead
 * (LossModel.librbd); other network disks none.
 */
class NetworkDiskReportTest {

    private static final String RBD = "samples/domains/ceph-rbd-network.xml";
    private static final String GLUSTER = "samples/domains/iscsi-nbd-network.xml";

    @Test
    void anRbdDiskGetsLibrbdCacheFiguresAndNoHostPageCacheRam() {
        Cli.Run run = Cli.run("lint", RBD);
        assertThat(run.out()).contains("[rbd-cache-disabled] disk vdb")
                .contains("librbd cache figures, no host page cache: QEMU turns librbd's cache off"
                        + " (rbd_cache=false under cache.direct)")
                .contains("loses 0 B of acknowledged writes (assumed: Ceph's defaults rbd_cache_policy"
                        + " writearound, rbd_cache_max_dirty 24 MiB, rbd_cache_writethrough_until_flush true;"
                        + " ceph.conf is not read")
                .contains("  fix: cache='none' -> cache='writeback'\n")
                .doesNotContain("host RAM").doesNotContain("predicted").doesNotContain("no simulator figures");
    }

    @Test
    void anotherNetworkDiskGetsNoFigures() {
        Cli.Run run = Cli.run("lint", GLUSTER);
        assertThat(run.out()).contains("no simulator figures: the simulator models the host page cache and a"
                        + " local device, which a network disk (gluster) does not use\n")
                .doesNotContain("librbd").doesNotContain("predicted");
    }

    @Test
    void jsonHasNullEvidenceAndSaysWhyOnTheDisk() {
        Cli.Run run = Cli.run("lint", "--format", "json", RBD);
        assertThat(run.out()).contains("\"evidence\": null")
                .contains("\"evidenceOmitted\": \"librbd cache figures")
                .doesNotContain("hostCacheDuplicateBytes");
        assertThat(Cli.run("lint", "--format", "json", GLUSTER).out())
                .contains("\"evidenceOmitted\": \"no simulator figures");
    }

    @Test
    void simulateRefusesANetworkDisk() {
        Cli.Run run = Cli.run("simulate", RBD + ":vdb");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("disk vdb of " + RBD + ": librbd cache figures")
                .contains("nothing to simulate");
    }
}
