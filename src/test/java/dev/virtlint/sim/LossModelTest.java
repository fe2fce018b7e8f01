package dev.virtlint.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.model.CacheMode;
import dev.virtlint.model.CacheMode.Preset;
import dev.virtlint.sim.LossModel.Loss;
import dev.virtlint.sim.LossModel.Losses;
import dev.virtlint.facts.HostFacts;
import java.util.List;
import java.util.Map;
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

    /**
     * Above dirty_background_ratio of dirtyable memory the flusher writes back without waiting
     * for expiry (balance_dirty_pages, wb_over_bg_thresh): a writer faster than the background
     * threshold fills in one expiry interval loses at most that threshold, 10 % of dirtyable
     * memory, not dirty_ratio's 20 %.
     */
    @Test
    void theBackgroundThresholdCapsTheLoss() {
        HostModel small = new HostModel(1L << 30, 30, 5, 0.20, 64L << 20, 1.0, false, "");
        Workload stream = new Workload("fast", 1 << 20, 100e6, 1e9, 0, 300, 1, 0, "");
        Losses l = LossModel.simulate(Preset.WRITEBACK.explicitMode(), false, stream, small, 7);
        // Closed form: bg_thresh = dirty_background_ratio x dirtyable memory.
        double cap = 0.10 * (1L << 30);
        assertThat((double) l.hostCrash().max()).isLessThanOrEqualTo(cap);
        assertThat((double) l.hostCrash().p95()).isBetween(cap * 0.85, cap);
        // Without the background threshold the cap was dirty_ratio's: twice as much.
        assertThat((double) l.hostCrash().p95()).isLessThan(0.20 * (1L << 30) * 0.85);
    }

    /**
     * domain_dirty_limits: a background threshold at or above the dirty threshold becomes half
     * of the dirty threshold; *_bytes replace their ratio.
     */
    @Test
    void aBackgroundRatioAboveTheDirtyRatioHalvesTheDirtyThreshold() {
        long gib = 1L << 30;
        HostFacts profile = new HostFacts("6.8.0", null, 8 * gib, List.of(), List.of(),
                Map.of("dirty_ratio", 20L, "dirty_background_ratio", 30L), "host.yaml");
        HostModel m = HostModel.of(profile);
        assertThat(m.backgroundLimitBytes()).isEqualTo((long) (8 * gib * 0.20) / 2);
        HostFacts bytes = new HostFacts("6.8.0", null, 8 * gib, List.of(), List.of(),
                Map.of("dirty_bytes", 400L << 20, "dirty_background_bytes", 100L << 20), "host.yaml");
        assertThat(HostModel.of(bytes).dirtyLimitBytes()).isCloseTo(400L << 20, org.assertj.core.data.Offset.offset(1L));
        assertThat(HostModel.of(bytes).backgroundLimitBytes()).isCloseTo(100L << 20,
                org.assertj.core.data.Offset.offset(1L));
    }

    /**
     * The thresholds are shares of dirtyable memory (global_dirtyable_memory), which a host packed
     * with guests has little of: a profile's memory-available is used as it is, guests-memory is
     * taken off the memory, and with neither the model says it assumed all memory dirtyable. A
     * fast writer then loses 10 % of what is dirtyable.
     */
    @Test
    void dirtyableMemoryNotTotalMemorySetsTheThresholds() {
        long gib = 1L << 30;
        HostFacts base = new HostFacts("6.8.0", null, 64 * gib, List.of(), List.of(), Map.of(), "host.yaml");
        HostModel stated = HostModel.of(base.withMemory(6 * gib, null));
        HostModel guests = HostModel.of(base.withMemory(null, 48 * gib));
        HostModel neither = HostModel.of(base);
        assertThat(stated.dirtyableBytes()).isEqualTo(6 * gib);
        assertThat(stated.backgroundLimitBytes()).isEqualTo((long) (0.10 * 6 * gib));
        assertThat(stated.assumptions()).doesNotContain("dirtyable");
        assertThat(guests.dirtyableBytes()).isEqualTo(16 * gib);
        assertThat(guests.assumptions()).contains("dirtyable memory 16 GiB: memory less guests-memory");
        assertThat(neither.dirtyableBytes()).isEqualTo(64 * gib);
        assertThat(neither.assumptions()).contains("all 64 GiB dirtyable");
        // Both stated: the lower of memory-available and memory less guests-memory, said when
        // guests-memory is the lower (a probe run while the guests were down).
        HostModel both = HostModel.of(base.withMemory(40 * gib, 48 * gib));
        assertThat(both.dirtyableBytes()).isEqualTo(64 * gib - 48 * gib);
        assertThat(both.assumptions()).contains("memory less guests-memory, below memory-available 40 GiB");
        HostModel bothLow = HostModel.of(base.withMemory(6 * gib, 48 * gib));
        assertThat(bothLow.dirtyableBytes()).isEqualTo(6 * gib);
        assertThat(bothLow.assumptions()).doesNotContain("dirtyable");
        Workload fast = new Workload("fast", 1 << 20, 400e6, 1e9, 0, 240, 1, 0, "");
        Losses packed = LossModel.simulate(Preset.WRITEBACK.explicitMode(), false, fast, stated, 7);
        Losses empty = LossModel.simulate(Preset.WRITEBACK.explicitMode(), false, fast, neither, 7);
        // Closed form: 10 % of 6 GiB, against 10 % of 64 GiB (the stream's 35 s of writes, 14 GB,
        // stays below that one).
        double cap = 0.10 * 6 * gib;
        assertThat((double) packed.hostCrash().p95()).isBetween(cap * 0.85, cap);
        assertThat((double) empty.hostCrash().p95()).isGreaterThan(2 * cap);
    }

    /**
     * Linux expires dirty data per inode (fs/fs-writeback.c: dirtied_when is set when a clean
     * inode is dirtied, and kupdate writeback then writes the whole inode), and an image is one
     * inode. A steady stream that never flushes makes a sawtooth: the inode goes clean at a
     * flusher wake, the next write dirties it, and it expires at the first wake at least the
     * expiry later, expiry + interval after the last one (30 + 5 s with the defaults). At a random
     * instant the dirty data is uniform over that cycle's writes: p50 = rate x cycle / 2, p95 =
     * 0.95 x rate x cycle, max = rate x cycle. Per-page expiry gave 32.5 and 34.75 s of writes;
     * the lower bound of an inode that never goes clean is one interval's writes.
     */
    @Test
    void perInodeExpiryMakesASawtoothOfOneExpiryPlusInterval() {
        Workload stream = new Workload("stream", 64 << 10, 10e6, 1e9, 0, 3600, 1, 0, "");
        Losses l = run(Preset.WRITEBACK, false, stream);
        double cycle = HOST.expireSeconds() + HOST.intervalSeconds();
        double r = stream.writeRate();
        assertThat((double) l.hostCrash().p50()).isBetween(r * cycle / 2 * 0.95, r * cycle / 2 * 1.05);
        assertThat((double) l.hostCrash().p95()).isBetween(0.95 * r * cycle * 0.97, 0.95 * r * cycle * 1.03);
        assertThat((double) l.hostCrash().max()).isBetween(r * cycle * 0.97, r * cycle + stream.writeBytes());
        // Far below what per-page expiry kept at the median (expiry + interval / 2 of writes).
        double perPageP50 = r * (HOST.expireSeconds() + HOST.intervalSeconds() / 2);
        assertThat((double) l.hostCrash().p50()).isLessThan(perPageP50 * 0.6);
        // The figure is per-inode expiry's upper bound, not its lower end (an inode that never goes
        // clean, written at every wake: p95 = 0.95 x interval x rate): at least five times that.
        double neverClean = 0.95 * r * HOST.intervalSeconds();
        assertThat((double) l.hostCrash().p95()).isGreaterThan(5 * neverClean);
        // Figures resting on it say it is the upper bound and name the lower end, one interval.
        assertThat(LossModel.perInodeBound(HOST)).contains("upper bound").contains("about 5 s of writes");
    }

    /**
     * The background threshold holds dirty data only while the device writes back faster than
     * the guest writes. With a slower device, balance_dirty_pages lets dirty data rise to the
     * throttling setpoint: freerun = (thresh + bg_thresh) / 2, setpoint = (freerun + thresh) / 2,
     * 17.5 % of dirtyable memory with the default 20 % and 10 %.
     */
    @Test
    void aDeviceSlowerThanTheWriterLetsDirtyDataRiseToTheSetpoint() {
        HostModel small = new HostModel(1L << 30, 30, 5, 0.20, 64L << 20, 1.0, false, "");
        Workload stream = new Workload("fast", 1 << 20, 100e6, 1e9, 0, 300, 1, 0, "");
        double dirtyable = 1L << 30;
        double thresh = 0.20 * dirtyable;
        double bg = 0.10 * dirtyable;
        double setpoint = ((thresh + bg) / 2 + thresh) / 2;
        assertThat(setpoint / dirtyable).isCloseTo(0.175, org.assertj.core.data.Offset.offset(1e-9));
        assertThat((double) small.setpointBytes()).isCloseTo(setpoint, org.assertj.core.data.Offset.offset(2.0));
        Losses behind = LossModel.simulate(Preset.WRITEBACK.explicitMode(), false, stream, small, true, 7);
        assertThat((double) behind.hostCrash().max()).isLessThanOrEqualTo(setpoint);
        assertThat((double) behind.hostCrash().p95()).isBetween(setpoint * 0.9, setpoint);
        // The device is behind when the workload writes faster than device-mbps (MB of 10^6 bytes).
        DeviceCosts fast = DeviceCosts.builtIn();
        assertThat(LossModel.deviceBehind(stream, fast)).isFalse();
        double[] v = fast.values();
        v[4] = 50;
        assertThat(LossModel.deviceBehind(stream, DeviceCosts.of(v))).isTrue();
        // Through the simulator: a profile's slow device raises the loss from bg_thresh to the setpoint.
        Simulator sim = new Simulator();
        Prediction keepsUp = sim.predict(new Simulator.Scenario(Preset.WRITEBACK.explicitMode(), false, stream, false,
                true, 4L << 30, small, fast));
        Prediction slow = sim.predict(new Simulator.Scenario(Preset.WRITEBACK.explicitMode(), false, stream, false,
                true, 4L << 30, small, DeviceCosts.of(v)));
        assertThat((double) keepsUp.loss().hostCrash().p95()).isLessThanOrEqualTo(bg);
        assertThat((double) slow.loss().hostCrash().p95()).isGreaterThan(bg * 1.5);
    }

    /**
     * cache.no-flush=on with the write cache off: the guest sees writethrough and counts every
     * write durable at completion, but the flush that emulates FUA (bdrv_co_flush) is dropped,
     * so the host page cache holds the writes as under writeback for a guest that never flushes:
     * the sawtooth of per-inode expiry, p95 = 0.95 x rate x (expiry + interval), whether or not
     * the guest sends flushes. With O_DIRECT as well (directsync + no-flush) a host crash loses
     * nothing and a power loss what the device cache holds: rate x destage time.
     */
    @Test
    void noFlushWithWritethroughLosesWhatThePageCacheHolds() {
        Workload stream = new Workload("stream", 64 << 10, 10e6, 1e9, 0, 3600, 1, 0, "");
        double r = stream.writeRate();
        double cycle = HOST.expireSeconds() + HOST.intervalSeconds();
        CacheMode writethroughNoFlush = new CacheMode(false, false, true, true);
        for (boolean flushes : List.of(false, true)) {
            Workload w = flushes ? new Workload("flushing", 64 << 10, 10e6, 5, 0, 3600, 1, 0, "") : stream;
            Losses l = LossModel.simulate(writethroughNoFlush, flushes, w, HOST, 42);
            assertThat((double) l.hostCrash().p95()).as("flushes=" + flushes)
                    .isBetween(0.95 * r * cycle * 0.97, 0.95 * r * cycle * 1.03);
            assertThat(l.powerLoss().p95()).isGreaterThanOrEqualTo(l.hostCrash().p95());
            assertThat(l.qemuCrash()).isEqualTo(ZERO);
        }
        CacheMode directsyncNoFlush = new CacheMode(false, true, true, true);
        Losses d = LossModel.simulate(directsyncNoFlush, true, stream, HOST, 42);
        assertThat(d.hostCrash()).isEqualTo(ZERO);
        double device = r * HOST.destageSeconds();
        assertThat((double) d.powerLoss().p95()).isBetween(device * 0.9, device + stream.writeBytes());
        // Without no-flush both lose nothing (writethroughAndDirectsyncNeverLoseAcknowledgedData).
        assertThat(LossModel.simulate(Preset.WRITETHROUGH.explicitMode(), true, stream, HOST, 42).hostCrash())
                .isEqualTo(ZERO);
    }

    /**
     * A QEMU crash loses the data written into a qcow2 image's new clusters whose L2 entries wait
     * in QEMU's L2 cache, up to a bound that depends on the allocation pattern, not on the rate.
     * Closed form from the qcow2 format (docs/interop/qcow2.txt): an L2 table is one cluster of
     * 8-byte entries, so it maps cluster / 8 clusters, and an image filled in order enters a new
     * one (l2_allocate flushes the cache) every cluster x cluster / 8 bytes; a refcount block is
     * one cluster of refcount_bits-bit entries covering cluster x 8 / refcount_bits clusters, and
     * scattered allocation flushes only at a new one (alloc_refcount_block), every cluster x
     * cluster x 8 / refcount_bits bytes. 64 KiB clusters and 16-bit refcounts: 512 MiB and 2 GiB.
     */
    @Test
    void theQcow2MetadataBoundsFollowTheL2TableAndRefcountBlockSpans() {
        long[] clusters = {512, 4 << 10, 64 << 10, 2 << 20};
        int[] widths = {1, 16, 64};
        for (long c : clusters) {
            for (int bits : widths) {
                long l2Entries = c / 8;
                long refcountEntries = c * 8 / bits;
                LossModel.Qcow2Metadata m = LossModel.qcow2Metadata(c, bits);
                assertThat(m.inOrderBytes()).as("cluster %d", c).isEqualTo(l2Entries * c);
                assertThat(m.scatteredBytes()).as("cluster %d, %d bits", c, bits).isEqualTo(refcountEntries * c);
            }
        }
        LossModel.Qcow2Metadata defaults = LossModel.qcow2Metadata(LossModel.QCOW2_CLUSTER,
                LossModel.QCOW2_REFCOUNT_BITS);
        assertThat(defaults.inOrderBytes()).isEqualTo(512L << 20);
        assertThat(defaults.scatteredBytes()).isEqualTo(2L << 30);
    }

    /**
     * Which modes keep QEMU's qcow2 caches dirty: a write cache with a guest that never flushes
     * (writeback, none, unsafe); a flush writes the caches (bdrv_co_flush calls
     * bdrv_co_flush_to_os even under no-flush), so a flushing guest keeps none; with the write
     * cache off each write's FUA is emulated by such a flush, unless cache.no-flush drops the FUA
     * (QEMU 10.0). The L2 loss is no part of the failure figures: a sparse qcow2 image under
     * writeback loses at a QEMU crash what a raw one does, nothing.
     */
    @Test
    void theQcow2MetadataLossIsConditionalAndNotInTheFigures() {
        for (Preset mode : List.of(Preset.WRITEBACK, Preset.NONE, Preset.UNSAFE)) {
            assertThat(LossModel.qcow2CachesStayDirty(mode.explicitMode(), false)).as(mode.name()).isTrue();
            assertThat(LossModel.qcow2CachesStayDirty(mode.explicitMode(), true)).as(mode.name()).isFalse();
        }
        for (Preset mode : List.of(Preset.WRITETHROUGH, Preset.DIRECTSYNC)) {
            assertThat(LossModel.qcow2CachesStayDirty(mode.explicitMode(), false)).as(mode.name()).isFalse();
        }
        assertThat(LossModel.qcow2CachesStayDirty(new CacheMode(false, false, true, true), false)).isTrue();
        Simulator sim = new Simulator();
        for (Preset mode : Preset.values()) {
            Prediction qcow2 = sim.predict(new Simulator.Scenario(mode.explicitMode(), false, Workload.DATABASE, true,
                    false, 4L << 30, HOST, DeviceCosts.builtIn()));
            Prediction raw = sim.predict(new Simulator.Scenario(mode.explicitMode(), false, Workload.DATABASE, false,
                    false, 4L << 30, HOST, DeviceCosts.builtIn()));
            assertThat(qcow2.loss()).as(mode.name()).isEqualTo(raw.loss());
            assertThat(qcow2.loss().qemuCrash()).as(mode.name()).isEqualTo(ZERO);
        }
    }

    /**
     * librbd's cache with Ceph's defaults: QEMU turns it off under cache.direct; writeback holds
     * at most rbd_cache_max_dirty (24 MiB) once a flush switched it out of writethrough, and none
     * of that was acknowledged; writethrough flushes it after each write; no-flush keeps it
     * writethrough. Acknowledged writes lost: 0 B in every mode, for a guest that flushes or not.
     */
    @Test
    void librbdsCacheLosesNoAcknowledgedWrite() {
        Losses none = new Losses(ZERO, ZERO, ZERO);
        for (Preset mode : Preset.values()) {
            for (boolean flushes : List.of(true, false)) {
                LossModel.Librbd l = LossModel.librbd(mode.explicitMode(), flushes);
                assertThat(l.losses()).as(mode + " " + flushes).isEqualTo(none);
                assertThat(l.enabled()).as(mode.name()).isEqualTo(!mode.explicitMode().direct());
            }
        }
        assertThat(LossModel.librbd(Preset.WRITEBACK.explicitMode(), true).dirtyBytes()).isEqualTo(24L << 20);
        assertThat(LossModel.librbd(Preset.WRITEBACK.explicitMode(), false).writeBack()).isFalse();
        assertThat(LossModel.librbd(Preset.UNSAFE.explicitMode(), true).writeBack()).isFalse();
        assertThat(LossModel.librbd(Preset.NONE.explicitMode(), true).dirtyBytes()).isZero();
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
        assertThat(LossTable.coversHost(new HostModel(HOST.memoryBytes(), HOST.dirtyableBytes(),
                HOST.expireSeconds(), HOST.intervalSeconds(), HOST.dirtyRatio(), HOST.backgroundRatio(),
                HOST.deviceCacheBytes(), HOST.destageSeconds(), false, "", false, false))).isFalse();
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
