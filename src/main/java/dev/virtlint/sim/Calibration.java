package dev.virtlint.sim;

import dev.virtlint.model.CacheMode.Preset;
import dev.virtlint.model.Resources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The measured ratio table the built-in device costs are calibrated to ({@code qemu-img-bench.tsv},
 * from domain.md section 5), the simulator's own table, and the fit that brings one to the other.
 */
public final class Calibration {

    /** The modes of the table, in its column order; writeback is the reference. */
    public static final List<Preset> MODES = List.of(Preset.NONE, Preset.WRITETHROUGH, Preset.DIRECTSYNC,
            Preset.UNSAFE);

    /** A number must be matched within this factor. */
    public static final double TOLERANCE = 1.5;

    /** What a cell of the table accepts. */
    record Band(double lo, double hi, String text) {

        static Band parse(String cell) {
            int dots = cell.indexOf("..");
            if (dots >= 0) {
                return new Band(Double.parseDouble(cell.substring(0, dots)), Double.parseDouble(cell.substring(dots + 2)),
                        cell);
            }
            double value = Double.parseDouble(cell);
            return new Band(value / TOLERANCE, value * TOLERANCE, cell);
        }

        /** How far outside the band a value lies, as a log factor; 0 inside. */
        public double miss(double value) {
            return Math.max(0, Math.max(Math.log(lo / value), Math.log(value / hi)));
        }

        public double centre() {
            return Math.sqrt(lo * hi);
        }
    }

    /**
     * One row: a bench run ({@code pattern}, reads or writes) or a workload's whole run time.
     */
    record Row(String id, String kind, IoPattern pattern, Workload workload, Map<Preset, Band> targets) {

        public boolean reads() {
            return kind.equals("read");
        }

        /** Throughput in MB/s under a mode (for a workload row: operations' bytes over total time). */
        public double speed(Preset mode, DeviceCosts costs) {
            if (workload != null) {
                IoPattern p = workload.pattern(true, false, false);
                double r = workload.readShare();
                double micros = (1 - r) * SpeedModel.writeMicros(mode.explicitMode(), p, costs)
                        + r * SpeedModel.readMicros(mode.explicitMode(), p, workload.hostHit(), costs);
                return SpeedModel.mbps(p.size(), micros);
            }
            double micros = reads() ? SpeedModel.readMicros(mode.explicitMode(), pattern, 1.0, costs)
                    : SpeedModel.writeMicros(mode.explicitMode(), pattern, costs);
            return SpeedModel.mbps(pattern.size(), micros);
        }

        /** Throughput relative to writeback. */
        public double ratio(Preset mode, DeviceCosts costs) {
            return speed(mode, costs) / speed(Preset.WRITEBACK, costs);
        }
    }

    private Calibration() {
    }

    /** The built-in targets. */
    static List<Row> targets() {
        try (InputStream in = Resources.open(Calibration.class, "qemu-img-bench.tsv")) {
            if (in == null) {
                throw new IllegalStateException("qemu-img-bench.tsv is missing from the build");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Row> parse(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 11) {
                throw new IllegalStateException("qemu-img-bench.tsv: expected 11 columns: " + line);
            }
            Map<Preset, Band> targets = new EnumMap<>(Preset.class);
            for (int m = 0; m < MODES.size(); m++) {
                if (!f[7 + m].equals("-")) {
                    targets.put(MODES.get(m), Band.parse(f[7 + m]));
                }
            }
            if (f[1].startsWith("workload:")) {
                String id = f[1].substring("workload:".length());
                Workload w = Workload.byId(id).orElseThrow(() -> new IllegalStateException("unknown workload " + id));
                rows.add(new Row(f[0], f[1], null, w, targets));
            } else {
                IoPattern p = new IoPattern(Integer.parseInt(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]),
                        f[5].equals("qcow2"), f[6].equals("preallocated"));
                rows.add(new Row(f[0], f[1], p, null, targets));
            }
        }
        return rows;
    }

    /** The largest miss of any target, as a factor (1.0 when every target is met). */
    static double worstMiss(List<Row> rows, DeviceCosts costs) {
        double worst = 0;
        for (Row row : rows) {
            for (var t : row.targets().entrySet()) {
                worst = Math.max(worst, t.getValue().miss(row.ratio(t.getKey(), costs)));
            }
        }
        return Math.exp(worst);
    }

    /** Least squares on log ratios towards each band's centre, with misses weighed heavily. */
    static double ratioObjective(List<Row> rows, DeviceCosts costs) {
        double sum = 0;
        for (Row row : rows) {
            for (var t : row.targets().entrySet()) {
                double r = row.ratio(t.getKey(), costs);
                double off = Math.log(r / t.getValue().centre());
                double miss = t.getValue().miss(r);
                sum += off * off + 100 * miss * miss;
            }
        }
        return sum;
    }

    /** One throughput measured on a host: a bench row under a mode, in MB/s. */
    record Measured(Row row, Preset mode, double mbps) {
    }

    /** Least squares on log throughputs: the costs that best explain what a host measured. */
    static double absoluteObjective(List<Measured> measured, DeviceCosts costs) {
        double sum = 0;
        for (Measured m : measured) {
            double off = Math.log(m.row().speed(m.mode(), costs) / m.mbps());
            sum += off * off;
        }
        return sum;
    }

    /** The largest factor between a measured throughput and the model's. */
    static double worstFactor(List<Measured> measured, DeviceCosts costs) {
        double worst = 1;
        for (Measured m : measured) {
            double r = m.row().speed(m.mode(), costs) / m.mbps();
            worst = Math.max(worst, Math.max(r, 1 / r));
        }
        return worst;
    }

    /** The two tables side by side, one line per row and mode. */
    static String sideBySide(List<Row> rows, DeviceCosts costs) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-12s %-13s %12s %10s  %s%n", "test", "mode", "measured", "simulated",
                "within"));
        for (Row row : rows) {
            for (var t : row.targets().entrySet()) {
                double r = row.ratio(t.getKey(), costs);
                out.append(String.format(Locale.ROOT, "%-12s %-13s %12s %10.3f  %s%n", row.id(), t.getKey().id(),
                        t.getValue().text(), r, t.getValue().miss(r) == 0 ? "yes" : "NO"));
            }
        }
        return out.toString();
    }

    /**
     * Coordinate descent in log space from {@code start}: each parameter is scaled up and down by a
     * step that halves when nothing improves. Deterministic.
     */
    static DeviceCosts fit(DeviceCosts start, ToDoubleFunction<DeviceCosts> objective) {
        double[] v = start.values();
        double best = objective.applyAsDouble(start);
        for (double step = 2.0; step > 1.001; step = Math.sqrt(step)) {
            boolean improved = true;
            for (int round = 0; improved && round < 200; round++) {
                improved = false;
                for (int i = 0; i < v.length; i++) {
                    for (double factor : new double[] {step, 1 / step}) {
                        double[] trial = v.clone();
                        trial[i] = Math.max(trial[i] * factor, floor(i));
                        DeviceCosts candidate;
                        try {
                            candidate = DeviceCosts.of(trial);
                        } catch (IllegalArgumentException e) {
                            continue;
                        }
                        double score = objective.applyAsDouble(candidate);
                        if (score < best - 1e-12) {
                            best = score;
                            v = trial;
                            improved = true;
                        }
                    }
                }
            }
        }
        return DeviceCosts.of(v);
    }

    /** The costs to three significant digits, as they are written into a profile or the source. */
    static DeviceCosts rounded(DeviceCosts costs) {
        double[] v = costs.values();
        for (int i = 0; i < v.length; i++) {
            v[i] = new java.math.BigDecimal(v[i]).round(new java.math.MathContext(3)).doubleValue();
        }
        return DeviceCosts.of(v);
    }

    private static double floor(int index) {
        return DeviceCosts.NAMES[index].equals("device-queue") ? 1 : 1e-3;
    }

    /** Prints the measured and simulated tables; {@code --fit} first fits the costs and prints them. */
    public static void main(String[] args) {
        List<Row> rows = targets();
        DeviceCosts costs = DeviceCosts.builtIn();
        if (args.length > 0 && args[0].equals("--fit")) {
            costs = rounded(fit(costs, c -> ratioObjective(rows, c)));
            System.out.println("fitted: " + costs.asMap());
        }
        System.out.print(sideBySide(rows, costs));
        double factor = 1;
        for (Row row : rows) {
            for (var t : row.targets().entrySet()) {
                if (!t.getValue().text().contains("..")) {
                    double r = row.ratio(t.getKey(), costs) / t.getValue().centre();
                    factor = Math.max(factor, Math.max(r, 1 / r));
                }
            }
        }
        System.out.printf(Locale.ROOT, "largest factor between a measured ratio and the simulated one: %.2f (allowed %.1f)%n",
                factor, TOLERANCE);
        System.out.printf(Locale.ROOT, "targets missed: %s%n", worstMiss(rows, costs) == 1.0 ? "none" : "SOME");
    }
}
