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
                assertThat(LossTable.lookup(wb, direct, noFlush, flushes, w, host, LossTable.behind(w)))
                        .as("%s flags %d", w.id(), f)
                        .isEqualTo(LossModel.simulate(new CacheMode(wb, direct, noFlush, true), flushes, w, host,
                                LossTable.behind(w), Simulator.SEED));
            }
        }
    }

    @Test
    void onlyTheDefaultHostAndTheBuiltInWorkloadsAreLookedUp() throws Exception {
        HostModel d = HostModel.defaults();
        assertThat(LossTable.lookup(true, false, false, true, Workload.BUILD, d, false)).isNotNull();
        // What the host model says it assumed does not change a loss: a profile with default figures is covered.
        HostModel sameFigures = new HostModel(d.memoryBytes(), d.expireSeconds(), d.intervalSeconds(), d.dirtyRatio(),
                d.deviceCacheBytes(), d.destageSeconds(), d.batteryBacked(), "");
        assertThat(LossTable.lookup(true, false, false, true, Workload.BUILD, sameFigures, false)).isNotNull();
        // Every figure of the host model, found by reflection (so a new one is covered): changed,
        // the table no longer answers; what the model says it assumed (a String) does not count.
        java.lang.reflect.RecordComponent[] parts = HostModel.class.getRecordComponents();
        Class<?>[] types = java.util.Arrays.stream(parts).map(c -> c.getType()).toArray(Class<?>[]::new);
        java.lang.reflect.Constructor<HostModel> make = HostModel.class.getDeclaredConstructor(types);
        for (int i = 0; i < parts.length; i++) {
            Object[] values = new Object[parts.length];
            for (int j = 0; j < parts.length; j++) {
                values[j] = parts[j].getAccessor().invoke(d);
            }
            Object v = values[i];
            values[i] = v instanceof Boolean bool ? !bool : v instanceof Long n ? n * 2 : v instanceof Integer n ? n + 1
                    : v instanceof Double x ? (x == 0 ? 1.0 : x / 2) : v + "x";
            HostModel other = make.newInstance(values);
            assertThat(LossTable.lookup(true, false, false, true, Workload.BUILD, other, false) == null)
                    .as("%s changed", parts[i].getName()).isEqualTo(!(v instanceof String));
        }
        Workload custom = new Workload("database", 8 << 10, 8e6, 0, 0.7, 120, 4, 0.5, "twice the rate");
        assertThat(LossTable.lookup(true, false, false, true, custom, d, false)).isNull();
        // A device slower than the workload's writes (a profile's device-mbps) settles dirty data
        // elsewhere: not the table's rows, which have the built-in device keeping up.
        assertThat(LossTable.behind(Workload.STREAMING)).isFalse();
        assertThat(LossTable.lookup(true, false, false, true, Workload.STREAMING, d, true)).isNull();
    }

    /**
     * A lint without a host profile (HostFacts.defaults()) gets the default host model, whose
     * losses are looked up, not simulated: the start-up path runs no loss simulation, also now
     * that the model knows dirtyable memory and the background ratio.
     */
    @Test
    void theHostOfALintWithoutProfileIsTheTablesHost() {
        HostModel m = HostModel.of(dev.virtlint.facts.HostFacts.defaults());
        assertThat(LossTable.coversHost(m)).isTrue();
        assertThat(m.dirtyableBytes()).isEqualTo(HostModel.DEFAULT_MEMORY);
        assertThat(m.backgroundLimitBytes()).isEqualTo((long) (HostModel.DEFAULT_MEMORY * 0.10));
        assertThat(m.assumptions()).contains("all of it dirtyable (neither this guest's memory nor other"
                + " guests' is taken off");
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
