package dev.virtlint.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.model.CacheMode;
import dev.virtlint.model.CacheMode.Preset;
import dev.virtlint.sim.Calibration.Bounds;
import dev.virtlint.sim.Calibration.Cell;
import dev.virtlint.sim.Calibration.Measured;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The speed model validated on measurements it was not fitted to, and the physics it must keep (issue 19, section 3). */
class SpeedModelTest {

    private static final List<Cell> CELLS = Calibration.measured();
    private static final List<Measured> TRAINING = Calibration.set(CELLS, true);
    private static final DeviceCosts BUILT_IN = DeviceCosts.builtIn();

    /**
     * The held-out cells the model misses by more than 1.5x, each for a reason the README's
     * simulator section gives: buffered writes and reads of 64 KiB and more into preallocated
     * images (whose pages qemu-img create left in the page cache; the training set's large buffered
     * cells are all sparse), depth-1 buffered and O_DIRECT reads (the model has one round trip for
     * reads and writes alike), a flush right after a durable write on preallocated qcow2 (QEMU skips
     * it there, not on raw), 64 KiB O_DIRECT writes into preallocated images, and 1 MiB directsync
     * into sparse qcow2. Every other held-out cell must stay within 1.5x; these within 2.5x.
     */
    private static final Set<String> KNOWN_MISSES = Set.of(
            "r4k-d1 raw prealloc none", "r4k-d1 raw prealloc unsafe", "r4k-d1 raw prealloc writethrough",
            "r64k-d16 raw prealloc unsafe", "r64k-d16 raw prealloc writeback",
            "w1m-d1 qcow2 sparse directsync", "w1m-d1 raw prealloc unsafe", "w1m-d1 raw prealloc writeback",
            "w4k-flush qcow2 prealloc directsync", "w4k-flush qcow2 prealloc writethrough",
            "w64k-d64 qcow2 prealloc none", "w64k-d64 qcow2 prealloc unsafe", "w64k-d64 raw prealloc none",
            "w64k-flush raw prealloc directsync", "w64k-flush raw prealloc unsafe");

    private static String key(Cell c) {
        return c.id() + " " + c.measured().mode().id();
    }

    @Test
    void theMeasuredTableHasBothSetsEveryModeAndTheSpreadOfItsRuns() {
        assertThat(CELLS).hasSize(26 * 5);
        assertThat(TRAINING).hasSize(70);
        assertThat(CELLS).allSatisfy(c -> assertThat(c.min()).isLessThanOrEqualTo(c.measured().mbps())
                .as(key(c)).isPositive());
        assertThat(CELLS).allSatisfy(c -> assertThat(c.max()).isGreaterThanOrEqualTo(c.measured().mbps()));
        Map<String, Long> modes = CELLS.stream().collect(Collectors.groupingBy(Calibration.Cell::id,
                Collectors.counting()));
        assertThat(modes.values()).containsOnly(5L);
    }

    @Test
    void everyHeldOutCellStaysWithinOneAndAHalfTimesTheMeasuredMedian() {
        List<Cell> held = CELLS.stream().filter(c -> !c.training()).toList();
        assertThat(held).hasSize(60);
        for (Cell c : held) {
            double f = c.factor(BUILT_IN);
            double limit = KNOWN_MISSES.contains(key(c)) ? 2.5 : Calibration.TOLERANCE;
            assertThat(Math.max(f, 1 / f)).as(key(c)).isLessThanOrEqualTo(limit);
        }
        assertThat(held.stream().map(SpeedModelTest::key)).containsAll(KNOWN_MISSES);
    }

    @Test
    void everyTrainingCellIsWithinTwiceTheMeasuredMedian() {
        assertThat(Calibration.worstCell(CELLS.stream().filter(Cell::training).toList(), BUILT_IN)).isLessThan(2.0);
    }

    @Test
    void theBuiltInCostsLieWithinTheBoundsTheMeasurementsSet() {
        Bounds bounds = Bounds.measured(TRAINING);
        assertThat(bounds.contain(BUILT_IN)).isTrue();
        // The flush is no faster than the one measured: a 4 KiB O_DIRECT write and a flush, less the
        // write alone, in the raw preallocated cells.
        double write = 4096 / mbps("w4k-d1", Preset.NONE);
        double writeAndFlush = 4096 / mbps("w4k-flush", Preset.NONE);
        assertThat(BUILT_IN.flushUs()).isGreaterThanOrEqualTo(writeAndFlush - write - 0.1);
        assertThat(BUILT_IN.deviceQueue()).isBetween(1.0, 64.0);
        assertThat(BUILT_IN.deviceMBps()).isGreaterThanOrEqualTo(mbpsOf(1 << 20, 1, false, false, Preset.NONE) - 1);
    }

    @Test
    void aFitStartedOutsideTheBoundsEndsInsideThem() {
        Bounds bounds = Bounds.measured(TRAINING);
        double[] wild = BUILT_IN.values();
        for (int i = 0; i < wild.length; i++) {
            wild[i] = i % 2 == 0 ? wild[i] * 1000 : Math.max(wild[i] / 1000, 1);
        }
        DeviceCosts start = DeviceCosts.of(wild);
        assertThat(bounds.contain(start)).isFalse();
        DeviceCosts fitted = Calibration.fit(start, c -> Calibration.absoluteObjective(TRAINING, c), bounds);
        assertThat(bounds.contain(fitted)).isTrue();
        assertThat(fitted.fuaUs()).isEqualTo(fitted.flushUs());
        // The unbounded-by-measurement fit (what probe --bench calls) stays within physical ranges too.
        DeviceCosts physical = Calibration.fit(start, c -> Calibration.absoluteObjective(TRAINING, c));
        assertThat(Bounds.physical().contain(physical)).isTrue();
        assertThat(physical.deviceMBps()).isLessThanOrEqualTo(50_000);
    }

    @Test
    void queueDepthMattersForDirectWritesAndReads() {
        for (boolean preallocated : List.of(true, false)) {
            IoPattern one = new IoPattern(4096, 1, 0, false, preallocated);
            IoPattern deep = new IoPattern(4096, 64, 0, false, preallocated);
            double perRequestOne = SpeedModel.writeMicros(Preset.NONE.explicitMode(), one, BUILT_IN);
            double perRequestDeep = SpeedModel.writeMicros(Preset.NONE.explicitMode(), deep, BUILT_IN);
            assertThat(perRequestDeep).as("none preallocated=" + preallocated).isLessThan(perRequestOne / 1.3);
            assertThat(SpeedModel.readMicros(Preset.NONE.explicitMode(), deep, 0, BUILT_IN))
                    .isLessThan(SpeedModel.readMicros(Preset.NONE.explicitMode(), one, 0, BUILT_IN) / 1.3);
        }
        // directsync into allocated space: flushes in flight are merged, so depth helps there too,
        // as measured (w4k-d64 against w4k-d1, raw preallocated: about 6x).
        IoPattern one = new IoPattern(4096, 1, 0, false, true);
        IoPattern deep = new IoPattern(4096, 64, 0, false, true);
        double ratio = SpeedModel.writeMicros(Preset.DIRECTSYNC.explicitMode(), one, BUILT_IN)
                / SpeedModel.writeMicros(Preset.DIRECTSYNC.explicitMode(), deep, BUILT_IN);
        double measured = mbps("w4k-d64", Preset.DIRECTSYNC) / mbps("w4k-d1", Preset.DIRECTSYNC);
        assertThat(ratio).isGreaterThan(3).isBetween(measured / 1.5, measured * 1.5);
    }

    @Test
    void aGuestThatSeesNoWriteCacheSendsNoFlushes() {
        Simulator sim = new Simulator();
        for (Preset mode : List.of(Preset.WRITETHROUGH, Preset.DIRECTSYNC)) {
            Prediction flushing = sim.predict(scenario(mode, true, Workload.DATABASE, true, BUILT_IN));
            Prediction silent = sim.predict(scenario(mode, false, Workload.DATABASE, true, BUILT_IN));
            assertThat(flushing.writeMBps()).as(mode.id()).isEqualTo(silent.writeMBps());
        }
        // Where the guest sees a write cache its flushes cost: none with fsync after every write is
        // slower than none without.
        Prediction flushing = sim.predict(scenario(Preset.NONE, true, Workload.DATABASE, true, BUILT_IN));
        Prediction silent = sim.predict(scenario(Preset.NONE, false, Workload.DATABASE, true, BUILT_IN));
        assertThat(flushing.writeMBps()).isLessThan(silent.writeMBps() / 2);
    }

    @Test
    void directsyncBeatsNoneForADatabaseOnAllocatedSpaceWhenWritesCanBeFua() {
        // A host whose path sends FUA writes (QEMU 10.0+ with aio=native, a device with FUA or no
        // volatile cache): a FUA write costs a tenth of a flush here.
        Map<String, Double> fua = new HashMap<>(BUILT_IN.asMap());
        fua.put("fua-us", BUILT_IN.flushUs() / 10);
        DeviceCosts fuaHost = DeviceCosts.withOverrides(fua);
        assertThat(SpeedModel.fuaApplies(fuaHost)).isTrue();
        Simulator sim = new Simulator();
        double direct = sim.predict(scenario(Preset.DIRECTSYNC, true, Workload.DATABASE, true, fuaHost)).writeMBps();
        double none = sim.predict(scenario(Preset.NONE, true, Workload.DATABASE, true, fuaHost)).writeMBps();
        assertThat(direct).isGreaterThan(none * 1.2);
        // On a sparse image each write allocates: the journal must commit, no FUA write can do it.
        double sparseDirect = sim.predict(scenario(Preset.DIRECTSYNC, true, Workload.DATABASE, false, fuaHost))
                .writeMBps();
        double sparseNone = sim.predict(scenario(Preset.NONE, true, Workload.DATABASE, false, fuaHost)).writeMBps();
        assertThat(sparseDirect).isLessThan(sparseNone);
        // Without a FUA path (the built-in costs: fua-us = flush-us) directsync is a write and a
        // flush, as none with an fsync after each write is; it does not win by FUA.
        assertThat(SpeedModel.fuaApplies(BUILT_IN)).isFalse();
        double plainDirect = sim.predict(scenario(Preset.DIRECTSYNC, true, Workload.DATABASE, true, BUILT_IN))
                .writeMBps();
        assertThat(plainDirect).isLessThan(direct / 1.5);
    }

    @Test
    void aProfileWrittenBeforeFuaAndDispatchKeepsWhatItsCostsMeant() {
        Map<String, Double> old = new HashMap<>();
        String[] names = {"submit-us", "copy-mbps", "device-latency-us", "read-latency-us", "device-mbps",
            "device-queue", "allocate-us", "writeout-us", "flush-us", "sync-contention", "qcow2-write-us",
            "qcow2-cluster-us", "qcow2-flush-us"};
        double[] v = {5.91, 3990, 3.75, 5.89, 2830, 1.0, 45.7, 51.7, 32.8, 0.0409, 0.001, 0.001, 290};
        for (int i = 0; i < names.length; i++) {
            old.put(names[i], v[i]);
        }
        DeviceCosts costs = DeviceCosts.withOverrides(old);
        assertThat(costs.fuaUs()).isEqualTo(32.8);
        assertThat(costs.dispatchUs()).isZero();
        // A profile stating only one cost keeps the built-in rest.
        assertThat(DeviceCosts.withOverrides(Map.of("flush-us", 500.0)).dispatchUs()).isEqualTo(BUILT_IN.dispatchUs());
    }

    private static Simulator.Scenario scenario(Preset mode, boolean flushes, Workload w, boolean preallocated,
                                               DeviceCosts costs) {
        CacheMode cache = mode.explicitMode();
        return new Simulator.Scenario(cache, flushes, w, false, preallocated, Simulator.DEFAULT_GUEST_MEMORY,
                HostModel.defaults(), costs);
    }

    private static double mbps(String test, Preset mode) {
        return CELLS.stream().filter(c -> c.measured().row().id().equals(test) && c.measured().mode() == mode
                && !c.measured().row().pattern().qcow2() && c.measured().row().pattern().preallocated())
                .findFirst().orElseThrow().measured().mbps();
    }

    private static double mbpsOf(int size, int depth, boolean qcow2, boolean preallocated, Preset mode) {
        return CELLS.stream().filter(c -> {
            IoPattern p = c.measured().row().pattern();
            return p.size() == size && p.depth() == depth && p.qcow2() == qcow2 && p.preallocated() == preallocated
                    && c.measured().mode() == mode && !c.measured().row().reads() && p.writesPerFlush() == 0;
        }).findFirst().orElseThrow().measured().mbps();
    }
}
