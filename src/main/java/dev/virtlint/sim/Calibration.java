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
 * The measurements behind the built-in device costs and the checks on them: the throughputs
 * measured with {@code qemu-img bench} on one machine ({@code qemu-img-bench-measured.tsv}, written
 * by {@code bin/bench-measure}), split into a training set the fit uses and a held-out set it never
 * sees, and the ratio table of domain.md section 5 ({@code qemu-img-bench.tsv}, measured on another
 * machine), held out as a whole. The fit is bounded to physical ranges ({@link Bounds}).
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
                // The guest flushes only a write cache it sees (see Simulator.compute).
                IoPattern p = workload.pattern(mode.explicitMode().writeback(), false, false);
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
        out.append(text("%-12s %-13s %12s %10s  %s%n", "test", "mode", "measured", "simulated",
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
     * The range each device cost may take in a fit. A fit that may roam anywhere finds unphysical
     * costs that match its targets (a 33 us flush where about 250 us was measured, a device moving
     * 10^14 MB/s); these ranges keep it to what a device can be.
     *
     * @param lo      the smallest value of each cost, in {@link DeviceCosts#NAMES} order
     * @param hi      the largest
     * @param reasons why, one line per cost that measurements bound ({@code name: reason})
     */
    record Bounds(double[] lo, double[] hi, List<String> reasons) {

        /**
         * Ranges any host's costs lie in. These are engineering assumptions, wide on purpose: from
         * an NVMe device (a few microseconds a request, GB/s) to a rotating disk (milliseconds a
         * seek and a flush); a request costs at least a system call; the device serves no more
         * requests at once than Linux's NVMe driver queues by default (io_queue_depth 1024,
         * drivers/nvme/host/pci.c).
         */
        static Bounds physical() {
            double[] lo = {0.5, 200, 1, 1, 10, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
            double[] hi = {200, 100_000, 50_000, 50_000, 50_000, 1024, 50_000, 50_000, 100_000, 1, 200, 20_000,
                100_000, 100_000, 1000};
            return new Bounds(lo, hi, List.of());
        }

        /**
         * {@link #physical()} narrowed by what a host measured: no step of a request takes longer
         * than the whole request took, and the device is as fast as the fastest O_DIRECT stream
         * and no more than 1.5 times faster (the streams' own overhead), and so on; each narrowing
         * is in {@link #reasons()}.
         */
        static Bounds measured(List<Measured> measured) {
            Bounds b = physical();
            double[] lo = b.lo().clone();
            double[] hi = b.hi().clone();
            List<String> why = new ArrayList<>();
            double buffered = 0;
            double stream = 0;
            int depth = 1;
            Double plain = null;
            Double flushed = null;
            for (Measured m : measured) {
                IoPattern p = m.row().pattern();
                if (p == null) {
                    continue;
                }
                double micros = p.size() / m.mbps();
                depth = Math.max(depth, p.depth());
                boolean write = !m.row().reads();
                if (write && p.writesPerFlush() == 0 && (m.mode() == Preset.WRITEBACK || m.mode() == Preset.UNSAFE)
                        && p.size() <= 65536) {
                    buffered = Math.max(buffered, m.mbps());
                }
                if (write && p.writesPerFlush() == 0 && m.mode() == Preset.NONE && p.size() >= 65536) {
                    stream = Math.max(stream, m.mbps());
                }
                boolean plainCell = write && m.mode() == Preset.NONE && p.size() == 4096 && p.depth() == 1
                        && !p.qcow2() && p.preallocated();
                if (plainCell && p.writesPerFlush() == 0) {
                    plain = micros;
                } else if (plainCell && p.writesPerFlush() == 1) {
                    flushed = micros;
                }
            }
            if (buffered > 0) {
                set(lo, "copy-mbps", buffered, why, "at least the fastest buffered write of 64 KiB or less (%.4g MB/s)");
            }
            if (stream > 0) {
                set(lo, "device-mbps", stream, why, "at least the fastest O_DIRECT stream measured (%.4g MB/s)");
                set(hi, "device-mbps", stream * TOLERANCE, why, "at most 1.5 times it (%.4g MB/s)");
            }
            set(hi, "device-queue", depth, why, "no deeper than the deepest queue measured (%.0f)");
            if (plain != null) {
                set(hi, "device-latency-us", plain, why,
                        "no more than a 4 KiB O_DIRECT write into allocated space took (%.3g us)");
            }
            // Only an upper bound on the flush: the measured difference (a write and a flush less the
            // write alone) is the whole flush request, QEMU's request work and the worker round trip
            // included, which the model charges separately (submit-us, dispatch-us); a lower bound
            // from it would count them twice (review-speed.md finding 3).
            if (plain != null && flushed != null && flushed > plain) {
                set(hi, "flush-us", flushed, why, "no more than the write and the flush together (%.3g us)");
            }
            return new Bounds(lo, hi, List.copyOf(why));
        }

        private static void set(double[] bound, String name, double value, List<String> why, String reason) {
            int i = index(name);
            bound[i] = value;
            why.add(name + ": " + text(reason, value));
        }

        /** The costs moved into the ranges. */
        double[] clamp(double[] v) {
            double[] out = v.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.min(hi[i], Math.max(lo[i], out[i]));
            }
            return out;
        }

        /** Whether every cost lies in its range. */
        boolean contain(DeviceCosts costs) {
            double[] v = costs.values();
            for (int i = 0; i < v.length; i++) {
                if (v[i] < lo[i] || v[i] > hi[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Formatted in the root locale, for bin/bench-sim and probe --bench (never on the lint path). */
    static String text(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static int index(String name) {
        return java.util.Arrays.asList(DeviceCosts.NAMES).indexOf(name);
    }

    /** {@link #fit(DeviceCosts, ToDoubleFunction, Bounds)} within {@link Bounds#physical()}. */
    static DeviceCosts fit(DeviceCosts start, ToDoubleFunction<DeviceCosts> objective) {
        return fit(start, objective, Bounds.physical());
    }

    /**
     * Coordinate descent in log space from {@code start} moved into {@code bounds}: each cost is
     * scaled up and down by a step that halves when nothing improves, and never leaves its range.
     * fua-us is not fitted: qemu-img bench cannot show a FUA write (it runs with aio=threads, which
     * emulates FUA with a flush, see {@link DeviceCosts#fuaUs}), so it follows flush-us. Deterministic.
     */
    static DeviceCosts fit(DeviceCosts start, ToDoubleFunction<DeviceCosts> objective, Bounds bounds) {
        int fua = index("fua-us");
        int flush = index("flush-us");
        double[] v = tie(bounds.clamp(start.values()), fua, flush);
        double best = objective.applyAsDouble(DeviceCosts.of(v));
        for (double step = 2.0; step > 1.001; step = Math.sqrt(step)) {
            boolean improved = true;
            for (int round = 0; improved && round < 200; round++) {
                improved = false;
                for (int i = 0; i < v.length; i++) {
                    if (i == fua) {
                        continue;
                    }
                    for (double factor : new double[] {step, 1 / step}) {
                        double[] trial = v.clone();
                        trial[i] = Math.max(trial[i] * factor, floor(i));
                        trial = tie(bounds.clamp(trial), fua, flush);
                        if (trial[i] == v[i]) {
                            continue;
                        }
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

    private static double[] tie(double[] v, int fua, int flush) {
        v[fua] = v[flush];
        return v;
    }

    /** The costs to three significant digits, as they are written into a profile or the source. */
    static DeviceCosts rounded(DeviceCosts costs) {
        return rounded(costs, Bounds.physical());
    }

    /** {@link #rounded(DeviceCosts)}, rounding inwards where rounding would leave a bound. */
    static DeviceCosts rounded(DeviceCosts costs, Bounds bounds) {
        double[] v = costs.values();
        for (int i = 0; i < v.length; i++) {
            double r = round(v[i], java.math.RoundingMode.HALF_EVEN);
            if (r < bounds.lo()[i]) {
                r = round(v[i], java.math.RoundingMode.CEILING);
            } else if (r > bounds.hi()[i]) {
                r = round(v[i], java.math.RoundingMode.FLOOR);
            }
            v[i] = r;
        }
        if (costs.fuaUs() == costs.flushUs()) {
            v[index("fua-us")] = v[index("flush-us")];
        }
        return DeviceCosts.of(v);
    }

    private static double round(double value, java.math.RoundingMode mode) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(3, mode)).doubleValue();
    }

    private static double floor(int index) {
        return DeviceCosts.NAMES[index].equals("device-queue") ? 1 : 1e-3;
    }

    /**
     * One cell of the measured table under one mode: the median MB/s of its runs and the smallest
     * and largest, and whether the fit may use it.
     */
    record Cell(Measured measured, double min, double max, boolean training) {

        /** The model's MB/s over the measured median. */
        double factor(DeviceCosts costs) {
            return measured.row().speed(measured.mode(), costs) / measured.mbps();
        }

        String id() {
            IoPattern p = measured.row().pattern();
            return measured.row().id() + " " + p.formatName() + " " + (p.preallocated() ? "prealloc" : "sparse");
        }
    }

    /** The measured table ({@code qemu-img-bench-measured.tsv}). */
    static List<Cell> measured() {
        try (InputStream in = Resources.open(Calibration.class, "qemu-img-bench-measured.tsv")) {
            if (in == null) {
                throw new IllegalStateException("qemu-img-bench-measured.tsv is missing from the build");
            }
            return parseMeasured(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Cell> parseMeasured(List<String> lines) {
        List<Cell> cells = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length < 12 || f.length > 14 || !(f[7].equals("training") || f[7].equals("held-out"))) {
                // 12 columns, or 14 with the requests per run and the shortest run's seconds.
                throw new IllegalStateException("qemu-img-bench-measured.tsv: expected 12 to 14 columns: " + line);
            }
            IoPattern p = new IoPattern(Integer.parseInt(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]),
                    f[5].equals("qcow2"), f[6].equals("preallocated"));
            Row row = new Row(f[0], f[1], p, null, Map.of());
            Preset mode = Preset.byName(f[8]).orElseThrow(() -> new IllegalStateException("unknown mode " + f[8]));
            cells.add(new Cell(new Measured(row, mode, Double.parseDouble(f[9])), Double.parseDouble(f[10]),
                    Double.parseDouble(f[11]), f[7].equals("training")));
        }
        return cells;
    }

    /** The cells of one set. */
    static List<Measured> set(List<Cell> cells, boolean training) {
        return cells.stream().filter(c -> c.training() == training).map(Cell::measured).toList();
    }

    /** The largest factor, either way, between the model and the measured median of any cell. */
    static double worstCell(List<Cell> cells, DeviceCosts costs) {
        double worst = 1;
        for (Cell c : cells) {
            double f = c.factor(costs);
            worst = Math.max(worst, Math.max(f, 1 / f));
        }
        return worst;
    }

    /** The largest factor between a ratio of the table and the model's (bands' centres; ranges count as misses). */
    static double worstRatio(List<Row> rows, DeviceCosts costs) {
        double factor = 1;
        for (Row row : rows) {
            for (var t : row.targets().entrySet()) {
                double r = row.ratio(t.getKey(), costs);
                if (t.getValue().text().contains("..")) {
                    factor = Math.max(factor, Math.exp(t.getValue().miss(r)));
                } else {
                    r /= t.getValue().centre();
                    factor = Math.max(factor, Math.max(r, 1 / r));
                }
            }
        }
        return factor;
    }

    /** The measured cells beside the model, one line each. */
    static String cellTable(List<Cell> cells, DeviceCosts costs) {
        StringBuilder out = new StringBuilder();
        out.append(text("%-28s %-13s %9s %19s %9s %7s%n", "cell", "mode", "MB/s", "runs",
                "model", "factor"));
        for (Cell c : cells) {
            double f = c.factor(costs);
            out.append(text("%-28s %-13s %9.4g %9.4g..%-8.4g %9.4g %7.2f%s%n", c.id(),
                    c.measured().mode().id(), c.measured().mbps(), c.min(), c.max(),
                    c.measured().row().speed(c.measured().mode(), costs), f,
                    Math.max(f, 1 / f) > TOLERANCE ? "  beyond 1.5" : ""));
        }
        return out.toString();
    }

    /**
     * Prints the training set, the held-out measured set and the held-out ratio table beside the
     * model; {@code --fit} first fits the costs to the training set within {@link Bounds#measured}
     * and prints them with the bounds.
     */
    public static void main(String[] args) {
        List<Row> rows = targets();
        List<Cell> cells = measured();
        List<Measured> training = set(cells, true);
        DeviceCosts costs = DeviceCosts.builtIn();
        if (args.length > 0 && args[0].equals("--fit")) {
            Bounds bounds = Bounds.measured(training);
            System.out.println("bounds from the training set:");
            bounds.reasons().forEach(r -> System.out.println("  " + r));
            costs = rounded(fit(costs, c -> absoluteObjective(training, c), bounds), bounds);
            System.out.println("fitted: " + costs.asMap());
        }
        List<Cell> train = cells.stream().filter(Cell::training).toList();
        List<Cell> held = cells.stream().filter(c -> !c.training()).toList();
        System.out.println("-- training set: qemu-img-bench-measured.tsv, the cells the fit uses (MB/s) --");
        System.out.print(cellTable(train, costs));
        System.out.println();
        System.out.println("-- held out: the measured cells the fit never sees (MB/s) --");
        System.out.print(cellTable(held, costs));
        System.out.println();
        System.out.println("-- held out: domain.md section 5, another machine (ratio to writeback) --");
        System.out.print(sideBySide(rows, costs));
        System.out.println();
        System.out.printf(Locale.ROOT, "training: %d cells, largest factor %.2f%n", train.size(), worstCell(train, costs));
        System.out.printf(Locale.ROOT, "held out, measured: %d cells, largest factor %.2f, %d beyond %.1f%n",
                held.size(), worstCell(held, costs), beyond(held, costs), TOLERANCE);
        System.out.printf(Locale.ROOT, "held out, ratio table: largest factor %.2f (target %.1f), targets missed: %s%n",
                worstRatio(rows, costs), TOLERANCE, worstMiss(rows, costs) == 1.0 ? "none" : "SOME");
    }

    static long beyond(List<Cell> cells, DeviceCosts costs) {
        return cells.stream().filter(c -> {
            double f = c.factor(costs);
            return Math.max(f, 1 / f) > TOLERANCE;
        }).count();
    }
}
