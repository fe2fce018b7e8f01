package dev.virtlint.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.model.CacheMode.Preset;
import dev.virtlint.sim.Calibration.Row;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in device costs reproduce the measured ratio table (issue 4, item 5). */
class CalibrationTest {

    private static final List<Row> TARGETS = Calibration.targets();

    @Test
    void theTargetsAreTheWholeMeasuredTablePlusPreallocationAndLibguestfs() {
        assertThat(TARGETS).extracting(Row::id).containsExactly("qd64-raw", "qd64-qcow2", "flush-raw", "flush-qcow2",
                "stream-raw", "warm-read", "prealloc", "test-suite");
        assertThat(TARGETS.subList(0, 6)).allSatisfy(row -> assertThat(row.targets()).hasSize(4));
        Row libguestfs = TARGETS.get(7);
        assertThat(libguestfs.workload()).isEqualTo(Workload.SCRATCH_TEST);
        assertThat(libguestfs.targets().get(Preset.UNSAFE)).isEqualTo(new Calibration.Band(1.1, 1.4, "1.1..1.4"));
        // A plain number is a band of a factor of 1.5 either side.
        Calibration.Band flush = TARGETS.get(2).targets().get(Preset.UNSAFE);
        assertThat(flush.lo()).isCloseTo(11 / 1.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(flush.hi()).isCloseTo(16.5, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void everyRatioOfTheBuiltInCostsIsWithinItsBand() {
        for (Row row : TARGETS) {
            for (var target : row.targets().entrySet()) {
                double ratio = row.ratio(target.getKey(), DeviceCosts.builtIn());
                assertThat(ratio).as(row.id() + " " + target.getKey().id())
                        .isBetween(target.getValue().lo(), target.getValue().hi());
            }
        }
        assertThat(Calibration.worstMiss(TARGETS, DeviceCosts.builtIn())).isEqualTo(1.0);
    }

    @Test
    void costsWithoutAFlushCostMissTheTable() {
        Map<String, Double> cheapFlush = Map.of("flush-us", 0.0, "qcow2-flush-us", 0.0, "writeout-us", 0.0);
        DeviceCosts broken = DeviceCosts.withOverrides(cheapFlush);
        assertThat(Calibration.worstMiss(TARGETS, broken)).isGreaterThan(1.5);
        assertThat(Calibration.sideBySide(TARGETS, broken)).contains("NO");
    }

    @Test
    void theFitFindsCostsWithinEveryBandFromAPoorStart() {
        DeviceCosts poor = DeviceCosts.of(new double[] {4, 1500, 20, 15, 800, 16, 60, 20, 10, 0.4, 2, 40, 200});
        assertThat(Calibration.worstMiss(TARGETS, poor)).isGreaterThan(2);
        DeviceCosts fitted = Calibration.fit(poor, c -> Calibration.ratioObjective(TARGETS, c));
        assertThat(Calibration.worstMiss(TARGETS, fitted)).isEqualTo(1.0);
    }

    @Test
    void theSideBySideTableShowsMeasuredAndSimulatedForEveryTarget() {
        String table = Calibration.sideBySide(TARGETS, DeviceCosts.builtIn());
        assertThat(table.lines().count()).isEqualTo(1 + 6 * 4 + 2);
        assertThat(table).contains("flush-qcow2  unsafe").doesNotContain("NO");
    }

    @Test
    void preallocationMakesDirectWritesFasterAndLeavesBufferedOnesAlone() {
        IoPattern sparse = new IoPattern(4096, 64, 0, false, false);
        IoPattern full = new IoPattern(4096, 64, 0, false, true);
        DeviceCosts c = DeviceCosts.builtIn();
        double sparseNone = SpeedModel.writeMicros(Preset.NONE.explicitMode(), sparse, c);
        double fullNone = SpeedModel.writeMicros(Preset.NONE.explicitMode(), full, c);
        assertThat(sparseNone / fullNone).isBetween(4.0, 7.0);
        assertThat(SpeedModel.writeMicros(Preset.WRITEBACK.explicitMode(), full, c))
                .isEqualTo(SpeedModel.writeMicros(Preset.WRITEBACK.explicitMode(), sparse, c));
    }
}
