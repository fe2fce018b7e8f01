package dev.virtlint.sim;

import dev.virtlint.facts.HostProbe;
import dev.virtlint.model.CacheMode.Preset;
import dev.virtlint.sim.Calibration.Measured;
import dev.virtlint.sim.Calibration.Row;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures this host's device costs ({@code virtlint probe --bench DIR}): runs {@code qemu-img
 * bench} for every bench row of the calibration table under each cache mode, on scratch images in
 * a directory, and fits the simulator's costs to the throughputs measured.
 */
public final class Bench {

    private static final Pattern COMPLETED = Pattern.compile("Run completed in ([0-9.]+) seconds");

    /**
     * The fitted costs by their profile names, and notes on how they were measured (one line each:
     * the measured and the fitted model's MB/s per row and mode, and the runs that failed).
     */
    public record Result(List<String> notes, Map<String, Double> costs) {
    }

    private final Path dir;
    private final int count;
    private final PrintWriter err;

    /** {@code count} requests per run, in {@code dir}; progress (a line a run) to {@code err}. */
    public Bench(Path dir, int count, PrintWriter err) {
        this.dir = dir;
        this.count = count;
        this.err = err;
    }

    /** Whether {@code qemu-img}, which the bench runs, is installed. */
    public static boolean available() throws InterruptedException {
        return HostProbe.run(List.of("qemu-img", "--version")).isPresent();
    }

    /** Runs every bench row under each mode and fits the costs; fails when no run succeeds. */
    public Result run() throws IOException, InterruptedException {
        List<Measured> measured = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Row row : Calibration.targets()) {
            if (row.pattern() == null) {
                continue;
            }
            for (Preset mode : Preset.values()) {
                Optional<Double> mbps = benchOne(row, mode);
                if (mbps.isPresent()) {
                    measured.add(new Measured(row, mode, mbps.get()));
                } else {
                    failed.add(row.id() + " " + mode.id());
                }
                err.printf(Locale.ROOT, "virtlint: probe: %-12s %-13s %s%n", row.id(), mode.id(),
                        mbps.map(v -> String.format(Locale.ROOT, "%.1f MB/s", v)).orElse("failed"));
                err.flush();
            }
        }
        if (measured.isEmpty()) {
            throw new IOException("qemu-img bench failed for every mode in " + dir);
        }
        DeviceCosts fitted = Calibration.rounded(Calibration.fit(DeviceCosts.builtIn(),
                c -> Calibration.absoluteObjective(measured, c)));
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "qemu-img bench in %s, %d requests per run;"
                + " measured MB/s and the fitted model's (worst factor %.2f):",
                dir.toAbsolutePath().normalize(), count, Calibration.worstFactor(measured, fitted)));
        for (Measured m : measured) {
            notes.add(String.format(Locale.ROOT, "  %-12s %-13s %10.1f %10.1f", m.row().id(),
                    m.mode().id(), m.mbps(), m.row().speed(m.mode(), fitted)));
        }
        for (String f : failed) {
            notes.add("  " + f + ": qemu-img bench failed (O_DIRECT not supported here?)");
        }
        return new Result(notes, fitted.asMap());
    }

    private Optional<Double> benchOne(Row row, Preset mode)
            throws IOException, InterruptedException {
        IoPattern p = row.pattern();
        String format = p.formatName();
        Path image = dir.resolve(".virtlint-bench-" + ProcessHandle.current().pid() + "." + format);
        long imageBytes = 256L << 20;
        int n = (int) Math.min(count, imageBytes / p.size());
        try {
            Files.deleteIfExists(image);
            List<String> create = new ArrayList<>(
                    List.of("qemu-img", "create", "-q", "-f", format));
            if (p.preallocated()) {
                create.addAll(List.of("-o", "preallocation=falloc"));
            }
            create.addAll(List.of(image.toString(), "256M"));
            if (HostProbe.run(create).isEmpty()) {
                return Optional.empty();
            }
            if (row.reads()) {
                // Warm the host page cache with the data the reads will ask for.
                HostProbe.run(benchCommand(true, "writeback", format, n, p.size(), 64, 0, image));
            }
            Optional<String> out = HostProbe.run(benchCommand(!row.reads(), mode.id(), format, n,
                    p.size(), p.depth(), p.writesPerFlush(), image));
            if (out.isEmpty()) {
                return Optional.empty();
            }
            Matcher m = COMPLETED.matcher(out.get());
            if (!m.find()) {
                return Optional.empty();
            }
            double seconds = Math.max(1e-6, Double.parseDouble(m.group(1)));
            return Optional.of((double) n * p.size() / seconds / 1e6);
        } finally {
            Files.deleteIfExists(image);
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
