package dev.virtlint.sim;

import dev.virtlint.facts.HostProbe;
import dev.virtlint.model.CacheMode.Preset;
import dev.virtlint.sim.Calibration.Measured;
import dev.virtlint.sim.Calibration.Row;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures this host's device costs ({@code virtlint probe --bench DIR}): runs {@code qemu-img
 * bench} for every bench row of the calibration table, on a sparse and on a preallocated image,
 * under each cache mode, several times, on scratch images in a directory, and fits the
 * simulator's costs to the median throughputs.
 *
 * <p>How a run is made comparable with the next one:
 * <ul>
 *   <li>a write run gets a fresh image ({@code qemu-img create}: {@code -o preallocation=falloc}
 *       calls posix_fallocate(), qemu-img(1), "raw" and "qcow2" format options), because a
 *       run allocates what it writes and the next run would measure a different image;</li>
 *   <li>a read row's image is created once with {@code preallocation=full} ("preallocates space
 *       for image by writing data to underlying storage", qemu-img(1)): a sparse or falloc'd
 *       image reads back holes or unwritten extents, which no device serves, so reads are
 *       measured on written data only;</li>
 *   <li>before every run: {@code sync}, then the clean page cache dropped by writing 3 to
 *       /proc/sys/vm/drop_caches (root only; the kernel's Documentation/admin-guide/sysctl/vm.rst,
 *       drop_caches: it frees clean pages only, "the user may run sync prior"), or, when that is
 *       not permitted, the scratch image's own pages with {@code dd if=IMAGE iflag=nocache
 *       count=0} (GNU coreutils dd(1) since 8.11, "nocache: Request to drop cache", and the
 *       coreutils manual's "dd invocation": with count=0 it advises dropping the cache for the
 *       whole file, and data not yet persisted is not discarded, hence the sync first; dd calls
 *       posix_fadvise(POSIX_FADV_DONTNEED), which needs no privilege; posix_fadvise(2));
 *       </li>
 *   <li>a read row is warmed by reading the whole image (qemu-img bench without -w, 1 MiB
 *       requests, cache=writeback), never by writing: a writing warm-up leaves dirty pages that
 *       the kernel writes back during the measured run;</li>
 *   <li>the request count of a cell ({@code -c}) is chosen by duration: a pilot run (discarded)
 *       grows from 64 requests, eightfold, until it lasts a quarter of the target; the count is
 *       then scaled so that a run lasts about the target ({@code --seconds}), at most 1 GiB of
 *       requests (qemu-img bench prints its time to the millisecond, qemu-img.c img_bench, so a
 *       run of 0.25 s is timed to 0.4 %). A sparse image is as large as the run writes, so no
 *       write lands twice (qemu-img bench wraps its offset at the image size, bench_cb).</li>
 *   <li>the runs of a cell go in rounds of one run per mode, so that a slow spell on the host
 *       slows a round, which the ratio to writeback (the median of each round's) cancels; the
 *       median MB/s over the rounds is what the costs are fitted to.</li>
 * </ul>
 */
public final class Bench {

    private static final Pattern COMPLETED = Pattern.compile("Run completed in ([0-9.]+) seconds");

    /** The fewest runs per cell: the median of three ignores one outlier. */
    public static final int MIN_REPEATS = 3;

    /** A fitted throughput this far from the measured one (either way) is a miss. */
    public static final double MISS_FACTOR = 2.0;

    /**
     * A fitted transfer rate this many times the fastest rate measured is not supported by any
     * measurement (the data cannot tell it from infinity).
     */
    public static final double RATE_SLACK = 10.0;

    private static final long MIB = 1 << 20;
    private static final long MAX_RUN_BYTES = 1L << 30;
    private static final long READ_IMAGE_BYTES = 256 * MIB;
    private static final int PILOT_START = 64;

    /** What the bench asks of the host; {@link #SYSTEM} runs it, tests script it. */
    public interface Host {

        /** A command's output (standard output and error), or empty when it could not run or failed. */
        Optional<String> run(List<String> command) throws InterruptedException;

        /** Writes 3 to /proc/sys/vm/drop_caches; false when that is not permitted. */
        boolean dropCaches();

        /**
         * The 1-minute load average: runnable and waiting-for-disk tasks (/proc/loadavg's first
         * field, proc(5)); negative when unknown.
         */
        double load();

        /** The processors the runs share. */
        int processors();

        /** The machine virtlint runs on. */
        Host SYSTEM = new Host() {
            @Override
            public Optional<String> run(List<String> command) throws InterruptedException {
                return HostProbe.run(command);
            }

            @Override
            public boolean dropCaches() {
                try {
                    Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3\n",
                            StandardCharsets.US_ASCII);
                    return true;
                } catch (IOException | SecurityException e) {
                    return false;
                }
            }

            @Override
            public double load() {
                try {
                    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim()
                            .split("\\s+")[0]);
                } catch (IOException | RuntimeException e) {
                    return -1;
                }
            }

            @Override
            public int processors() {
                return Runtime.getRuntime().availableProcessors();
            }
        };
    }

    /**
     * One bench pattern on one image allocation: {@code sparse} (a new image), {@code falloc}
     * (preallocation=falloc) or {@code data} (preallocation=full, for reads).
     */
    public record Cell(String id, String allocation, Row row) {

        public String label() {
            return id + "/" + allocation;
        }
    }

    /** The runs of a cell under a mode: their MB/s, in run order, and the request count. */
    public record Sample(Cell cell, Preset mode, int count, List<Double> mbps) {

        public Sample {
            mbps = List.copyOf(mbps);
        }

        public double median() {
            List<Double> s = new ArrayList<>(mbps);
            Collections.sort(s);
            int n = s.size();
            return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }

        /** (max - min) / median. */
        public double spread() {
            return (Collections.max(mbps) - Collections.min(mbps)) / median();
        }

        /**
         * The median, over rounds, of this run's MB/s over {@code reference}'s in the same round:
         * a slow spell that slows a whole round cancels out.
         */
        public double ratioTo(Sample reference) {
            List<Double> r = new ArrayList<>();
            for (int i = 0; i < Math.min(mbps.size(), reference.mbps.size()); i++) {
                r.add(mbps.get(i) / reference.mbps.get(i));
            }
            return new Sample(cell, mode, count, r).median();
        }
    }

    /**
     * The fitted costs by their profile names, notes on how they were measured (one line each),
     * the problems of the fit (a cell it misses by more than {@link #MISS_FACTOR}, a cost no
     * measurement supports; empty when there are none) and the samples.
     */
    public record Result(List<String> notes, Map<String, Double> costs, List<String> problems,
                         List<Sample> samples) {
    }

    private final Path dir;
    private final double seconds;
    private final int repeats;
    private final PrintWriter err;
    private final Host host;
    private Boolean dropAllowed;

    /**
     * {@code repeats} runs per cell (at least {@link #MIN_REPEATS}) of about {@code seconds} each,
     * in {@code dir}; progress (a line a cell and mode) to {@code err}.
     */
    public Bench(Path dir, double seconds, int repeats, PrintWriter err, Host host) {
        if (repeats < MIN_REPEATS || !(seconds > 0)) {
            throw new IllegalArgumentException("at least " + MIN_REPEATS + " runs of a positive"
                    + " duration, not " + repeats + " of " + seconds + " s");
        }
        this.dir = dir;
        this.seconds = seconds;
        this.repeats = repeats;
        this.err = err;
        this.host = host;
    }

    /** Whether {@code qemu-img}, which the bench runs, is installed. */
    public static boolean available(Host host) throws InterruptedException {
        return host.run(List.of("qemu-img", "--version")).isPresent();
    }

    /**
     * The cells measured: every bench row of the calibration table; a write row on a sparse and
     * on a preallocated image (a pattern two rows share is measured once, under the first row's
     * id), a read row on written data.
     */
    static List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Row row : Calibration.targets()) {
            IoPattern p = row.pattern();
            if (p == null) {
                continue;
            }
            String id = row.id();
            if (row.reads()) {
                IoPattern written = new IoPattern(p.size(), p.depth(), p.writesPerFlush(), p.qcow2(), true);
                cells.add(new Cell(id, "data", new Row(id, row.kind(), written, null, Map.of())));
                continue;
            }
            for (boolean prealloc : new boolean[] {false, true}) {
                IoPattern q = new IoPattern(p.size(), p.depth(), p.writesPerFlush(), p.qcow2(), prealloc);
                String key = row.kind() + " " + q;
                if (seen.contains(key)) {
                    continue;
                }
                seen.add(key);
                cells.add(new Cell(id, prealloc ? "falloc" : "sparse",
                        new Row(id, row.kind(), q, null, Map.of())));
            }
        }
        return cells;
    }

    /** Runs every cell under each mode and fits the costs; fails when no cell could be measured. */
    public Result run() throws IOException, InterruptedException {
        double loadBefore = host.load();
        List<Sample> samples = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Cell cell : cells()) {
            Path image = dir.resolve(".virtlint-bench-" + ProcessHandle.current().pid() + "."
                    + cell.row().pattern().formatName());
            try {
                if (cell.row().reads() && !create(cell, image, READ_IMAGE_BYTES)) {
                    for (Preset mode : Preset.values()) {
                        failed.add(cell.label() + " " + mode.id());
                    }
                    continue;
                }
                Map<Preset, Optional<Sample>> measured = measure(cell, image);
                for (Preset mode : Preset.values()) {
                    Optional<Sample> s = measured.get(mode);
                    s.ifPresentOrElse(samples::add, () -> failed.add(cell.label() + " " + mode.id()));
                    err.printf(Locale.ROOT, "virtlint: probe: %-18s %-13s %s%n", cell.label(), mode.id(),
                            s.map(v -> String.format(Locale.ROOT, "%.1f MB/s (median of %d, spread %.0f%%)",
                                    v.median(), v.mbps().size(), 100 * v.spread())).orElse("failed"));
                }
                err.flush();
            } finally {
                Files.deleteIfExists(image);
            }
        }
        if (samples.isEmpty()) {
            throw new IOException("qemu-img bench failed for every mode in " + dir);
        }
        List<Measured> measured = samples.stream()
                .map(s -> new Measured(s.cell().row(), s.mode(), s.median())).toList();
        DeviceCosts fitted = Calibration.rounded(Calibration.fit(DeviceCosts.builtIn(),
                c -> Calibration.absoluteObjective(measured, c)));
        List<String> problems = problems(samples, fitted);
        List<String> notes = notes(samples, failed, fitted, problems);
        double loadAfter = host.load();
        double load = Math.max(loadBefore, loadAfter);
        if (load >= 0) {
            notes.add(1, String.format(Locale.ROOT, "Load average (1 min, /proc/loadavg) %.2f at the"
                    + " start, %.2f at the end, on %d processors.", loadBefore, loadAfter,
                    host.processors()));
        }
        if (load > host.processors()) {
            String busy = String.format(Locale.ROOT, "the host was busy (load average %.2f on %d"
                    + " processors): other work shared the runs, so these figures will not repeat;"
                    + " measure on an idle host", load, host.processors());
            err.println("virtlint: probe: warning: " + busy);
            err.flush();
            notes.add("WARNING: " + busy);
        }
        return new Result(notes, fitted.asMap(), problems, samples);
    }

    /** The cells the fit misses by more than {@link #MISS_FACTOR}, and costs no measurement supports. */
    static List<String> problems(List<Sample> samples, DeviceCosts fitted) {
        List<String> problems = new ArrayList<>();
        for (Sample s : samples) {
            double model = s.cell().row().speed(s.mode(), fitted);
            double factor = Math.max(model / s.median(), s.median() / model);
            if (factor > MISS_FACTOR) {
                problems.add(String.format(Locale.ROOT,
                        "the fit misses %s %s: measured %.1f MB/s, fitted %.1f MB/s (%.2fx)",
                        s.cell().label(), s.mode().id(), s.median(), model, factor));
            }
        }
        // O_DIRECT runs move data between QEMU and the device; buffered ones copy it through the
        // page cache. A fitted rate far above every rate measured along that path is not a
        // measurement (it was fitted to 1.9e14 MB/s once, issue 19).
        rate(problems, "device-mbps", fitted.deviceMBps(), samples, true);
        rate(problems, "copy-mbps", fitted.copyMBps(), samples, false);
        return problems;
    }

    private static void rate(List<String> problems, String name, double value, List<Sample> samples,
                             boolean direct) {
        double fastest = 0;
        for (Sample s : samples) {
            if (s.mode().explicitMode().direct() == direct) {
                fastest = Math.max(fastest, s.median());
            }
        }
        if (fastest > 0 && value > RATE_SLACK * fastest) {
            problems.add(String.format(Locale.ROOT,
                    "%s %s is above %.0fx the fastest %s rate measured (%.1f MB/s): no measurement"
                            + " supports it", name, fmt(value), RATE_SLACK,
                    direct ? "O_DIRECT" : "buffered", fastest));
        }
    }

    private static String fmt(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros()
                .toPlainString();
    }

    private List<String> notes(List<Sample> samples, List<String> failed, DeviceCosts fitted,
                               List<String> problems) {
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "qemu-img bench in %s: %d runs per cell of about %s s"
                        + " (-c from a pilot run), a fresh image per write run, sync and %s before each"
                        + " run, reads warmed by reading.", dir.toAbsolutePath().normalize(), repeats,
                fmt(seconds), Boolean.TRUE.equals(dropAllowed) ? "/proc/sys/vm/drop_caches"
                        : "the image's pages dropped (dd iflag=nocache)"));
        notes.add(String.format(Locale.ROOT, "MB/s: the median, its spread (max-min)/median, the"
                + " fitted model's; ratio to writeback, measured (the median of each round's) and fitted"
                + " (worst factor %.2f):",
                Calibration.worstFactor(samples.stream()
                        .map(s -> new Measured(s.cell().row(), s.mode(), s.median())).toList(), fitted)));
        notes.add(String.format(Locale.ROOT, "  %-18s %-13s %7s %9s %6s %9s %6s %6s", "cell", "mode",
                "count", "median", "spread", "fitted", "ratio", "fitted"));
        Map<String, Map<Preset, Sample>> byCell = new LinkedHashMap<>();
        for (Sample s : samples) {
            byCell.computeIfAbsent(s.cell().label(), k -> new EnumMap<>(Preset.class)).put(s.mode(), s);
        }
        for (Sample s : samples) {
            Sample wb = byCell.get(s.cell().label()).get(Preset.WRITEBACK);
            Row row = s.cell().row();
            notes.add(String.format(Locale.ROOT, "  %-18s %-13s %7d %9.1f %5.1f%% %9.1f %6s %6.3f",
                    s.cell().label(), s.mode().id(), s.count(), s.median(), 100 * s.spread(),
                    row.speed(s.mode(), fitted),
                    wb == null ? "-" : String.format(Locale.ROOT, "%.3f", s.ratioTo(wb)),
                    row.ratio(s.mode(), fitted)));
        }
        for (String f : failed) {
            notes.add("  " + f + ": qemu-img bench failed (O_DIRECT not supported here?)");
        }
        for (String p : problems) {
            notes.add("WARNING: " + p);
        }
        return notes;
    }

    /**
     * The runs of one cell under each mode: first a pilot per mode that picks its count, then
     * {@code repeats} rounds of one run per mode, so that a slow spell on the host (another
     * process's I/O or CPU) slows every mode of a round alike rather than all runs of one mode.
     * A mode with a failed run has no sample.
     */
    private Map<Preset, Optional<Sample>> measure(Cell cell, Path image)
            throws IOException, InterruptedException {
        IoPattern p = cell.row().pattern();
        Map<Preset, Integer> counts = new EnumMap<>(Preset.class);
        Map<Preset, List<Double>> runs = new EnumMap<>(Preset.class);
        for (Preset mode : Preset.values()) {
            pilot(cell, mode, image).ifPresent(c -> {
                counts.put(mode, c);
                runs.put(mode, new ArrayList<>());
            });
        }
        for (int i = 0; i < repeats; i++) {
            for (Preset mode : Preset.values()) {
                if (!runs.containsKey(mode)) {
                    continue;
                }
                int count = counts.get(mode);
                Optional<Double> t = once(cell, mode, image, count);
                if (t.isEmpty()) {
                    runs.remove(mode);
                } else {
                    runs.get(mode).add((double) count * p.size() / Math.max(t.get(), 0.0005) / 1e6);
                }
            }
        }
        Map<Preset, Optional<Sample>> samples = new EnumMap<>(Preset.class);
        for (Preset mode : Preset.values()) {
            samples.put(mode, Optional.ofNullable(runs.get(mode))
                    .map(r -> new Sample(cell, mode, counts.get(mode), r)));
        }
        return samples;
    }

    /**
     * The request count for a cell and mode: pilot runs (discarded) from 64 requests, eightfold,
     * until one lasts a quarter of the target, scaled to the target; empty when a run fails.
     */
    private Optional<Integer> pilot(Cell cell, Preset mode, Path image)
            throws IOException, InterruptedException {
        int cap = (int) (MAX_RUN_BYTES / cell.row().pattern().size());
        int pilot = Math.min(PILOT_START, cap);
        double took;
        while (true) {
            Optional<Double> t = once(cell, mode, image, pilot);
            if (t.isEmpty()) {
                return Optional.empty();
            }
            took = t.get();
            if (took >= seconds / 4 || pilot >= cap) {
                break;
            }
            pilot = (int) Math.min((long) pilot * 8, cap);
        }
        // qemu-img bench prints milliseconds; a pilot under 1 ms counts as half of one.
        long scaled = Math.round(pilot * seconds / Math.max(took, 0.0005));
        return Optional.of((int) Math.max(16, Math.min(cap, scaled)));
    }

    /** One timed run of {@code count} requests, prepared as the class comment says; its seconds. */
    private Optional<Double> once(Cell cell, Preset mode, Path image, int count)
            throws IOException, InterruptedException {
        IoPattern p = cell.row().pattern();
        boolean reads = cell.row().reads();
        if (!reads) {
            long bytes = Math.max(16 * MIB, ((long) count * p.size() + MIB - 1) / MIB * MIB);
            if (!create(cell, image, bytes)) {
                return Optional.empty();
            }
        }
        settle(image);
        if (reads) {
            host.run(benchCommand(false, Preset.WRITEBACK.id(), p.formatName(),
                    (int) (READ_IMAGE_BYTES / MIB), (int) MIB, 16, 0, image));
        }
        Optional<String> out = host.run(benchCommand(!reads, mode.id(), p.formatName(), count,
                p.size(), p.depth(), p.writesPerFlush(), image));
        if (!reads) {
            Files.deleteIfExists(image);
        }
        if (out.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = COMPLETED.matcher(out.get());
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }

    private boolean create(Cell cell, Path image, long bytes) throws IOException, InterruptedException {
        Files.deleteIfExists(image);
        List<String> create = new ArrayList<>(
                List.of("qemu-img", "create", "-q", "-f", cell.row().pattern().formatName()));
        switch (cell.allocation()) {
            case "falloc" -> create.addAll(List.of("-o", "preallocation=falloc"));
            case "data" -> create.addAll(List.of("-o", "preallocation=full"));
            default -> {
            }
        }
        create.addAll(List.of(image.toString(), String.valueOf(bytes)));
        return host.run(create).isPresent();
    }

    /** sync, then the clean page cache dropped: system-wide when permitted, else the image's. */
    private void settle(Path image) throws InterruptedException {
        host.run(List.of("sync"));
        if (dropAllowed == null) {
            dropAllowed = host.dropCaches();
            if (!dropAllowed) {
                err.println("virtlint: probe: cannot write /proc/sys/vm/drop_caches (needs root):"
                        + " dropping each scratch image's cached pages with dd iflag=nocache instead");
                err.flush();
            }
        } else if (dropAllowed) {
            host.dropCaches();
        }
        if (!dropAllowed) {
            host.run(List.of("dd", "if=" + image, "iflag=nocache", "count=0", "status=none"));
        }
    }

    private static List<String> benchCommand(boolean write, String mode, String format, int count,
                                              int size, int depth, long flushInterval, Path image) {
        List<String> c = new ArrayList<>(List.of("qemu-img", "bench"));
        if (write) {
            c.add("-w");
        }
        c.addAll(List.of("-t", mode, "-f", format, "-c", String.valueOf(count), "-s",
                String.valueOf(size), "-d", String.valueOf(depth)));
        if (flushInterval > 0) {
            c.add("--flush-interval=" + flushInterval);
        }
        c.add(image.toString());
        return c;
    }
}
