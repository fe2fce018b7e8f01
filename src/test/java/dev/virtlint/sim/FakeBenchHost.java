package dev.virtlint.sim;

import dev.virtlint.model.CacheMode.Preset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A scripted host for {@link Bench}: no qemu-img runs. {@code qemu-img bench} answers "Run completed
 * in X seconds" with X = requests x size / the scripted MB/s of its cell and mode, times a noise
 * factor by the run's index within that cell and mode (the last factor repeats). Every command,
 * and every drop_caches attempt (as the command {@code [drop_caches]}), is logged in order.
 */
public final class FakeBenchHost implements Bench.Host {

    /** The warm-up a read row gets: 1 MiB reads. */
    static final int WARM_SIZE = 1 << 20;

    public final List<List<String>> log = new ArrayList<>();
    private final BiFunction<String, Preset, Double> rate;
    private final double[] noise;
    private final boolean dropPermitted;
    private final Map<String, Integer> runs = new HashMap<>();
    private final Map<String, String> allocation = new HashMap<>();

    public FakeBenchHost(BiFunction<String, Preset, Double> rate, double[] noise, boolean dropPermitted) {
        this.rate = rate;
        this.noise = noise.clone();
        this.dropPermitted = dropPermitted;
    }

    /** Each cell's MB/s as the built-in costs predict it, times {@code factor} for one cell and mode. */
    public static FakeBenchHost model(String slowCell, Preset slowMode, double factor) {
        return new FakeBenchHost((label, mode) -> speed(label, mode, DeviceCosts.builtIn())
                * (label.equals(slowCell) && mode == slowMode ? factor : 1), new double[] {1}, true);
    }

    static double speed(String label, Preset mode, DeviceCosts costs) {
        return cell(label).row().speed(mode, costs);
    }

    static Bench.Cell cell(String label) {
        return Bench.cells().stream().filter(c -> c.label().equals(label)).findFirst().orElseThrow();
    }

    @Override
    public Optional<String> run(List<String> command) {
        log.add(List.copyOf(command));
        if (command.equals(List.of("qemu-img", "--version"))) {
            return Optional.of("qemu-img version 7.2.22\n");
        }
        if (command.size() > 1 && command.get(0).equals("qemu-img") && command.get(1).equals("create")) {
            int o = command.indexOf("-o");
            String image = command.get(command.size() - 2);
            allocation.put(image, o < 0 ? "sparse" : command.get(o + 1).equals("preallocation=falloc")
                    ? "falloc" : "data");
            return Optional.of("");
        }
        if (command.size() > 1 && command.get(0).equals("qemu-img") && command.get(1).equals("bench")) {
            return Optional.of(bench(command));
        }
        return Optional.of("");
    }

    private String bench(List<String> c) {
        boolean write = c.contains("-w");
        int count = Integer.parseInt(arg(c, "-c"));
        int size = Integer.parseInt(arg(c, "-s"));
        int depth = Integer.parseInt(arg(c, "-d"));
        Preset mode = Preset.valueOf(arg(c, "-t").toUpperCase(Locale.ROOT));
        boolean qcow2 = arg(c, "-f").equals("qcow2");
        long flush = c.stream().filter(a -> a.startsWith("--flush-interval=")).findFirst()
                .map(a -> Long.parseLong(a.substring(a.indexOf('=') + 1))).orElse(0L);
        String image = c.get(c.size() - 1);
        if (!Files.exists(Path.of(image).getParent())) {
            throw new IllegalStateException("bench outside the bench directory: " + image);
        }
        if (!write && size == WARM_SIZE) {
            return "Run completed in 0.100 seconds.\n";
        }
        String alloc = allocation.get(image);
        Bench.Cell cell = Bench.cells().stream()
                .filter(x -> x.allocation().equals(alloc) && x.row().reads() != write)
                .filter(x -> x.row().pattern().equals(new IoPattern(size, depth, flush, qcow2,
                        x.row().pattern().preallocated())))
                .findFirst().orElseThrow(() -> new IllegalStateException("no cell for " + c));
        String key = cell.label() + " " + mode.id();
        int index = runs.merge(key, 1, Integer::sum) - 1;
        double mbps = rate.apply(cell.label(), mode) * noise[Math.min(index, noise.length - 1)];
        double seconds = (double) count * size / (mbps * 1e6);
        return String.format(Locale.ROOT, "Sending %d %s requests, %d bytes each, %d in parallel\n"
                + "Run completed in %.6f seconds.\n", count, write ? "write" : "read", size, depth, seconds);
    }

    private static String arg(List<String> c, String flag) {
        return c.get(c.indexOf(flag) + 1);
    }

    /** The load average reported; 0.5 on 2 processors unless a test sets it. */
    public double load = 0.5;

    @Override
    public double load() {
        return load;
    }

    @Override
    public int processors() {
        return 2;
    }

    @Override
    public boolean dropCaches() {
        log.add(List.of("[drop_caches]"));
        return dropPermitted;
    }
}
