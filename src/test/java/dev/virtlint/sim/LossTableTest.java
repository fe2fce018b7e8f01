package dev.virtlint.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.model.CacheMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@link DefaultHostLosses} holds exactly what the loss model computes for the default host. When
 * the model, a workload or the default host changes, regenerate it with
 * {@code mvn -B -q test-compile exec:java} ({@link dev.virtlint.Regenerate}); this test only compares.
 */
class LossTableTest {

    @Test
    void theTableIsWhatTheModelComputes() throws IOException {
        String expected = LossTableSource.source(LossTable.compute());
        assertThat(Files.readString(LossTableSource.FILE)).as("%s is stale; run %s", LossTableSource.FILE,
                dev.virtlint.Regenerate.COMMAND).isEqualTo(expected);
        assertThat(DefaultHostLosses.BYTES).containsExactly(LossTable.compute());
    }

    @Test
    void lookupsAnswerLikeTheModelForEveryRow() {
        HostModel host = HostModel.defaults();
        for (Workload w : Workload.ALL) {
            for (int f = 0; f < LossTable.FLAG_COMBINATIONS; f++) {
                boolean wb = (f & 1) != 0;
                boolean direct = (f & 2) != 0;
                boolean noFlush = (f & 4) != 0;
                boolean flushes = (f & 8) != 0;
                assertThat(LossTable.lookup(wb, direct, noFlush, flushes, w, host))
                        .as("%s flags %d", w.id(), f)
                        .isEqualTo(LossModel.simulate(new CacheMode(wb, direct, noFlush, true), flushes, w, host,
                                Simulator.SEED));
            }
        }
    }

    @Test
    void onlyTheDefaultHostAndTheBuiltInWorkloadsAreLookedUp() {
        HostModel d = HostModel.defaults();
        assertThat(LossTable.lookup(true, false, false, true, Workload.BUILD, d)).isNotNull();
        // What the host model says it assumed does not change a loss: a profile with default figures is covered.
        HostModel sameFigures = new HostModel(d.memoryBytes(), d.expireSeconds(), d.intervalSeconds(), d.dirtyRatio(),
                d.deviceCacheBytes(), d.destageSeconds(), d.batteryBacked(), "");
        assertThat(LossTable.lookup(true, false, false, true, Workload.BUILD, sameFigures)).isNotNull();
        HostModel[] others = {
            new HostModel(8L << 30, 30, 5, 0.20, 64L << 20, 1.0, false, ""),
            new HostModel(d.memoryBytes(), 15, 5, 0.20, 64L << 20, 1.0, false, ""),
            new HostModel(d.memoryBytes(), 30, 1, 0.20, 64L << 20, 1.0, false, ""),
            new HostModel(d.memoryBytes(), 30, 5, 0.10, 64L << 20, 1.0, false, ""),
            new HostModel(d.memoryBytes(), 30, 5, 0.20, 0, 1.0, false, ""),
            new HostModel(d.memoryBytes(), 30, 5, 0.20, 64L << 20, 2.0, false, ""),
            new HostModel(d.memoryBytes(), 30, 5, 0.20, 64L << 20, 1.0, true, ""),
        };
        for (HostModel other : others) {
            assertThat(LossTable.lookup(true, false, false, true, Workload.BUILD, other)).as("%s", other).isNull();
        }
        Workload custom = new Workload("database", 8 << 10, 8e6, 0, 0.7, 120, 4, 0.5, "twice the rate");
        assertThat(LossTable.lookup(true, false, false, true, custom, d)).isNull();
    }

    @Test
    void aSimulatorWithAndWithoutTheTablePredictsTheSame() {
        HostModel host = HostModel.defaults();
        for (CacheMode.Preset preset : CacheMode.Preset.values()) {
            Simulator.Scenario s = new Simulator.Scenario(preset.explicitMode(), true, Workload.SCRATCH_TEST, true,
                    false, 4L << 30, host, DeviceCosts.builtIn());
            Simulator looksUp = new Simulator(true);
            Simulator simulates = new Simulator(false);
            assertThat(looksUp.predict(s)).as(preset.id()).isEqualTo(simulates.predict(s));
        }
    }
}
