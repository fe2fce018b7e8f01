package dev.virtlint.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Span;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The records whose {@code equals} and {@code hashCode} are written out by hand (for start-up speed)
 * still compare every component: a copy is equal with the same hash, and changing any one
 * component makes it unequal.
 */
class ValueEqualityTest {

    static Stream<Record> samples() throws Exception {
        HostModel host = HostModel.defaults();
        CacheMode none = CacheMode.Preset.NONE.explicitMode();
        Simulator.Scenario scenario = new Simulator.Scenario(none, true, Workload.DATABASE, true, false, 4L << 30,
                host, DeviceCosts.builtIn());
        Class<?> lossKey = Class.forName("dev.virtlint.sim.Simulator$LossKey");
        return Stream.of(new Span(3, 9), CacheMode.DEFAULT, none, Workload.BUILD, host, DeviceCosts.builtIn(),
                scenario, (Record) construct(lossKey, new Object[] {true, false, false, true, Workload.DATABASE, host, false}));
    }

    /**
     * The samples above are every record of src/main that writes equals out, found in the source
     * (a record declaration, then "public boolean equals(Object" before the next one), so that a
     * new one is covered or this fails.
     */
    @org.junit.jupiter.api.Test
    void theSamplesAreEveryRecordWithAHandWrittenEquals() throws Exception {
        java.util.Set<String> found = new java.util.TreeSet<>();
        java.util.regex.Pattern decl = java.util.regex.Pattern.compile(
                "\\brecord\\s+([A-Z][A-Za-z0-9]*)\\s*\\(|public boolean equals\\(Object\\b");
        java.nio.file.Path root = java.nio.file.Path.of("src/main/java");
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                String top = root.relativize(f).toString().replace('/', '.').replace(".java", "");
                String simple = top.substring(top.lastIndexOf('.') + 1);
                String record = null;
                java.util.regex.Matcher m = decl.matcher(java.nio.file.Files.readString(f));
                while (m.find()) {
                    if (m.group(1) != null) {
                        record = m.group(1);
                    } else if (record != null) {
                        found.add(record.equals(simple) ? top : top + "$" + record);
                    }
                }
            }
        }
        java.util.Set<String> sampled = new java.util.TreeSet<>();
        samples().forEach(r -> sampled.add(r.getClass().getName()));
        assertThat(found).isNotEmpty().isEqualTo(sampled);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyComponentTakesPartInEquality(Record sample) throws Exception {
        Object[] values = components(sample);
        Record copy = (Record) construct(sample.getClass(), values.clone());
        assertThat(copy).isNotSameAs(sample).isEqualTo(sample).hasSameHashCodeAs(sample);
        assertThat(sample).isNotEqualTo(null).isNotEqualTo("not a record");

        RecordComponent[] parts = sample.getClass().getRecordComponents();
        for (int i = 0; i < parts.length; i++) {
            Record changed = changedAt(sample.getClass(), values, i);
            assertThat(changed).as("%s with %s changed", sample.getClass().getSimpleName(), parts[i].getName())
                    .isNotEqualTo(sample);
            assertThat(changed.hashCode()).as("hash of %s with %s changed", sample.getClass().getSimpleName(),
                    parts[i].getName()).isNotEqualTo(sample.hashCode());
        }
    }

    /** A copy with component {@code i} set to the first different value the constructor accepts. */
    private static Record changedAt(Class<?> type, Object[] values, int i) throws Exception {
        for (Object other : alternatives(values[i])) {
            Object[] changed = values.clone();
            changed[i] = other;
            try {
                Record r = (Record) construct(type, changed);
                if (!components(r)[i].equals(values[i])) {
                    return r;
                }
            } catch (InvocationTargetException rejected) {
                // out of range for this component; try the next value
            }
        }
        throw new AssertionError("no other value for component " + i + " of " + type.getSimpleName());
    }

    private static List<Object> alternatives(Object v) {
        List<Object> out = new ArrayList<>();
        if (v instanceof Boolean b) {
            out.add(!b);
        } else if (v instanceof Integer n) {
            out.add(n + 1);
        } else if (v instanceof Long n) {
            out.add(n + 1);
        } else if (v instanceof Double d) {
            out.addAll(List.of(d / 2, d * 2, d + 1, d + 0.01));
        } else if (v instanceof String s) {
            out.add(s + "x");
        } else if (v instanceof CacheMode) {
            out.add(CacheMode.Preset.UNSAFE.explicitMode());
        } else if (v instanceof Workload) {
            out.add(Workload.STREAMING);
        } else if (v instanceof HostModel h) {
            out.add(new HostModel(h.memoryBytes() * 2, h.expireSeconds(), h.intervalSeconds(), h.dirtyRatio(),
                    h.deviceCacheBytes(), h.destageSeconds(), h.batteryBacked(), h.assumptions()));
        } else if (v instanceof DeviceCosts c) {
            double[] d = c.values();
            d[0] += 1;
            out.add(DeviceCosts.of(d));
        }
        return out;
    }

    private static Object[] components(Record r) throws Exception {
        RecordComponent[] parts = r.getClass().getRecordComponents();
        Object[] values = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            var accessor = parts[i].getAccessor();
            accessor.setAccessible(true);
            values[i] = accessor.invoke(r);
        }
        return values;
    }

    private static Object construct(Class<?> type, Object[] values) throws Exception {
        Class<?>[] types = Stream.of(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class[]::new);
        Constructor<?> c = type.getDeclaredConstructor(types);
        c.setAccessible(true);
        return c.newInstance(values);
    }
}
