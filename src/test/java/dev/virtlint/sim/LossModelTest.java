package dev.virtlint.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.model.CacheMode;
import dev.virtlint.model.CacheMode.Preset;
import dev.virtlint.sim.LossModel.Loss;
import dev.virtlint.sim.LossModel.Losses;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Closed-form bounds the loss model must meet (issue 4, acceptance). */
class LossModelTest {

    private static final HostModel HOST = HostModel.defaults();
    private static final List<Workload> WORKLOADS = List.of(Workload.DATABASE, Workload.BUILD, Workload.SCRATCH_TEST,
            Workload.READ_MOSTLY, new Workload("no-flush", 64 << 10, 10e6, 1e9, 0, 300, 1, 0, ""));

    private static Losses run(Preset mode, boolean flushes, Workload w) {
        return LossModel.simulate(mode.explicitMode(), flushes, w, HOST, 42);
    }

    private static final Loss ZERO = new Loss(0, 0, 0);

    @Test
    void writethroughAndDirectsyncNeverLoseAcknowledgedData() {
        for (Preset mode : List.of(Preset.WRITETHROUGH, Preset.DIRECTSYNC)) {
            for (boolean flushes : List.of(true, false)) {
                for (Workload w : WORKLOADS) {
                    assertThat(run(mode, flushes, w)).as(mode + " flushes=" + flushes + " " + w.id())
                            .isEqualTo(new Losses(ZERO, ZERO, ZERO));
                }
            }
        }
    }

    @Test
    void aFlushingGuestLosesNothingUnderWritebackAndNoneBarPowerLossOfTheDeviceCache() {
        for (Preset mode : List.of(Preset.WRITEBACK, Preset.NONE)) {
            for (Workload w : WORKLOADS) {
                Losses l = run(mode, true, w);
                assertThat(l.qemuCrash()).as(mode + " " + w.id()).isEqualTo(ZERO);
                assertThat(l.hostCrash()).as(mode + " " + w.id()).isEqualTo(ZERO);
                assertThat(l.powerLoss()).as(mode + " " + w.id()).isEqualTo(ZERO);
            }
        }
    }

    @Test
    void unsafeLosesFsyncAcknowledgedDataOnHostCrash() {
        Losses l = run(Preset.UNSAFE, true, Workload.DATABASE);
        assertThat(l.qemuCrash()).isEqualTo(ZERO);
        // 4 MB/s for 30-35 s of dirty data that fsync did not write.
        assertThat(l.hostCrash().p95()).isGreaterThan(100L << 20);
        assertThat(l.powerLoss().p95()).isGreaterThanOrEqualTo(l.hostCrash().p95());
    }

    @Test
    void aSteadyStreamWithoutFlushesUnderWritebackLosesRateTimesExpiryPlusInterval() {
        Workload stream = new Workload("stream", 64 << 10, 10e6, 1e9, 0, 600, 1, 0, "");
        Losses l = run(Preset.WRITEBACK, false, stream);
        double expected = stream.writeRate() * (HOST.expireSeconds() + HOST.intervalSeconds());
        assertThat((double) l.powerLoss().p95()).isBetween(expected * 0.85, expected * 1.15);
        assertThat((double) l.hostCrash().p95()).isBetween(expected * 0.85, expected * 1.15);
        assertThat(l.qemuCrash()).isEqualTo(ZERO);
    }

    @Test
    void theDirtyRatioCapsTheLoss() {
        HostModel small = new HostModel(1L << 30, 30, 5, 0.20, 64L << 20, 1.0, false, "");
        Workload stream = new Workload("fast", 1 << 20, 100e6, 1e9, 0, 300, 1, 0, "");
        Losses l = LossModel.simulate(Preset.WRITEBACK.explicitMode(), false, stream, small, 7);
        double cap = small.dirtyLimitBytes();
        assertThat((double) l.hostCrash().max()).isLessThanOrEqualTo(cap);
        assertThat((double) l.hostCrash().p95()).isBetween(cap * 0.85, cap);
    }

    @Test
    void noneLosesAtMostTheDeviceCache() {
        for (Workload w : WORKLOADS) {
            Losses l = run(Preset.NONE, false, w);
            assertThat(l.hostCrash()).isEqualTo(ZERO);
            assertThat(l.powerLoss().max()).as(w.id()).isLessThanOrEqualTo(HOST.deviceCacheBytes());
        }
        Losses stream = run(Preset.NONE, false, Workload.STREAMING);
        assertThat(stream.powerLoss().p95()).isEqualTo(HOST.deviceCacheBytes());
    }

    @Test
    void cacheNoFlushAloneMakesNoneUnsafeOnPowerLoss() {
        CacheMode noneNoFlush = new CacheMode(true, true, true, true);
        Losses l = LossModel.simulate(noneNoFlush, true, Workload.DATABASE, HOST, 42);
        assertThat(l.hostCrash()).isEqualTo(ZERO);
        assertThat(l.powerLoss().p95()).isPositive();
    }

    @Test
    void theSameInputGivesTheSameOutput() {
        assertThat(run(Preset.UNSAFE, true, Workload.BUILD)).isEqualTo(run(Preset.UNSAFE, true, Workload.BUILD));
        assertThat(run(Preset.WRITEBACK, false, Workload.SCRATCH_TEST))
                .isEqualTo(run(Preset.WRITEBACK, false, Workload.SCRATCH_TEST));
    }

    /**
     * Storage that acknowledges flushes without making data stable (an NFS server's async export,
     * held in the server's memory for an assumed 35 s) loses acknowledged writes in every mode,
     * even those that lose nothing on an honest host; at most what one commit interval writes.
     * The server's memory is not this host's: a host crash loses none of it under O_DIRECT.
     */
    @Test
    void storageThatIgnoresFlushesLosesUpToOneCommitIntervalInEveryMode() {
        HostModel lying = HOST.ignoringFlushes(35, false);
        for (Preset mode : List.of(Preset.WRITETHROUGH, Preset.DIRECTSYNC, Preset.NONE,
                Preset.WRITEBACK)) {
            Workload w = Workload.DATABASE;
            Losses honest = LossModel.simulate(mode.explicitMode(), true, w, HOST, 42);
            Losses lost = LossModel.simulate(mode.explicitMode(), true, w, lying, 42);
            assertThat(honest.powerLoss().p95()).as(mode + " on an honest host").isZero();
            assertThat(lost.powerLoss().p95()).as(mode.name()).isPositive();
            long interval = (long) (w.writeRate() * 35) + w.writeBytes();
            assertThat(lost.powerLoss().max()).as(mode.name()).isLessThanOrEqualTo(interval);
            if (mode != Preset.WRITEBACK) {
                assertThat(lost.hostCrash().max()).as(mode.name()).isZero();
            }
        }
        // Losses for such a host are simulated, never looked up from the honest default's table.
        assertThat(LossTable.coversHost(lying)).isFalse();
        assertThat(LossTable.coversHost(new HostModel(HOST.memoryBytes(), HOST.expireSeconds(),
                HOST.intervalSeconds(), HOST.dirtyRatio(), HOST.deviceCacheBytes(),
                        HOST.destageSeconds(),
                false, "", false, false))).isFalse();
    }

    /**
     * ZFS sync=disabled keeps acknowledged writes in this host's memory until their transaction
     * group is synced (zfs_fsync skips zil_commit): a host crash loses them as a power loss does,
     * in every mode, O_DIRECT included.
     */
    @Test
    void dataWaitingInHostMemoryIsLostOnAHostCrash() {
        HostModel zfs = HOST.ignoringFlushes(10, true);
        for (Preset mode : Preset.values()) {
            Losses lost = LossModel.simulate(mode.explicitMode(), true, Workload.DATABASE, zfs, 42);
            assertThat(lost.hostCrash().p95()).as(mode.name()).isPositive();
            assertThat(lost.hostCrash().max()).as(mode.name())
                    .isGreaterThanOrEqualTo(lost.powerLoss().max());
        }
    }

    /** tmpfs never makes anything stable: the longer the run, the more a power loss loses. */
    @Test
    void memoryOnlyStorageLosesEverythingWritten() {
        HostModel tmpfs = HOST.ignoringFlushes(Double.POSITIVE_INFINITY, true);
        Workload w = Workload.DATABASE;
        Losses lost = LossModel.simulate(Preset.NONE.explicitMode(), true, w, tmpfs, 42);
        // Failures strike after the first half of the run: by then half of it is written.
        long half = (long) (w.writeRate() * w.durationSeconds() / 2) - w.writeBytes();
        assertThat(lost.powerLoss().p50()).isGreaterThanOrEqualTo(half);
        assertThat(lost.hostCrash().p50()).isEqualTo(lost.powerLoss().p50());
    }
}
