package dev.virtlint.cli;

import dev.virtlint.model.CacheMode.Preset;
import dev.virtlint.sim.Calibration;
import dev.virtlint.sim.Calibration.Measured;
import dev.virtlint.sim.Calibration.Row;
import dev.virtlint.sim.DeviceCosts;
import dev.virtlint.sim.IoPattern;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code virtlint probe}: a host profile read off the machine it runs on. */
@Command(name = "probe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print a host profile (YAML) read off this machine: mounts, kernel, QEMU, memory, dirty page",
            "sysctls, and whether each DIR takes O_DIRECT. --bench DIR also measures each cache mode with",
            "qemu-img bench in DIR and writes the device costs fitted to the measurements."})
final class ProbeCommand implements Callable<Integer> {

    /** Filesystems that never hold disk images. */
    private static final Set<String> PSEUDO = Set.of("proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2",
            "mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf", "configfs", "fusectl", "autofs",
            "binfmt_misc", "nsfs", "efivarfs", "hugetlbfs", "rpc_pipefs", "selinuxfs");

    private static final List<String> SYSCTLS = List.of("dirty_ratio", "dirty_background_ratio", "dirty_bytes",
            "dirty_background_bytes", "dirty_expire_centisecs", "dirty_writeback_centisecs");

    private static final Pattern VERSION = Pattern.compile("version (\\d+\\.\\d+(?:\\.\\d+)?)");

    private static final Pattern COMPLETED = Pattern.compile("Run completed in ([0-9.]+) seconds");

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "0..*", description = "Directories to probe for O_DIRECT (as Nova does).")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--bench", paramLabel = "DIR",
            description = "Run qemu-img bench per cache mode on scratch images in DIR (needs qemu-utils).")
    Path bench;

    @Option(names = "--count", paramLabel = "N", defaultValue = "4096",
            description = "Requests per qemu-img bench run (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the profile here, not to stdout.")
    Path output;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (count < 16) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 16");
        }
        if (bench != null && !Files.isDirectory(bench)) {
            throw new ParameterException(spec.commandLine(), "--bench " + bench + " is not a directory");
        }
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new ParameterException(spec.commandLine(), d + " is not a directory");
            }
        }
        StringBuilder y = new StringBuilder();
        y.append("# Host profile written by virtlint probe. Use it with --host FILE or hosts: in .virtlint.yaml.\n");
        readFirstLine(Path.of("/proc/sys/kernel/osrelease"))
                .ifPresent(k -> y.append("kernel: ").append(quote(k)).append('\n'));
        qemuVersion().ifPresent(q -> y.append("qemu: ").append(quote(q)).append('\n'));
        memory().ifPresent(kib -> y.append("memory: ").append(kib).append("KiB\n"));
        List<String[]> mounts = mounts();
        if (!mounts.isEmpty()) {
            y.append("mounts:\n");
            for (String[] m : mounts) {
                y.append("  - {path: ").append(quote(m[0])).append(", fstype: ").append(quote(m[1])).append("}\n");
            }
        }
        if (!dirs.isEmpty()) {
            y.append("odirect:\n");
            for (Path d : dirs) {
                Optional<Boolean> ok = directIo(d);
                if (ok.isPresent()) {
                    y.append("  - {path: ").append(quote(d.toAbsolutePath().normalize().toString()))
                            .append(", supported: ").append(ok.get()).append("}\n");
                }
            }
        }
        Map<String, String> sysctl = new LinkedHashMap<>();
        for (String name : SYSCTLS) {
            readFirstLine(Path.of("/proc/sys/vm/" + name)).ifPresent(v -> sysctl.put(name, v));
        }
        if (!sysctl.isEmpty()) {
            y.append("sysctl:\n");
            sysctl.forEach((k, v) -> y.append("  vm.").append(k).append(": ").append(v).append('\n'));
        }
        if (bench != null) {
            y.append(bench());
        }
        if (output != null) {
            Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".probe", ".yaml");
            Files.writeString(tmp, y, StandardCharsets.UTF_8);
            Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(y);
            out.flush();
        }
        return ExitCode.OK;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Optional<String> readFirstLine(Path p) {
        try {
            List<String> lines = Files.readAllLines(p);
            return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<Long> memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Real filesystems from /proc/mounts; a later mount on the same path hides the earlier one. */
    List<String[]> mounts() {
        Map<String, String> byPath = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length < 3 || PSEUDO.contains(f[2])) {
                    continue;
                }
                String path = unescape(f[1]);
                byPath.remove(path);
                byPath.put(path, f[2]);
            }
        } catch (IOException e) {
            return List.of();
        }
        List<String[]> out = new ArrayList<>();
        byPath.forEach((p, t) -> out.add(new String[] {p, t}));
        return out;
    }

    /** /proc/mounts writes space, tab, newline and backslash as octal escapes. */
    static String unescape(String s) {
        Matcher m = Pattern.compile("\\\\([0-7]{3})").matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * Nova's check: create a file in the directory with O_DIRECT and write one aligned block; EINVAL
     * means the filesystem does not take O_DIRECT. Empty when the probe could not run at all.
     */
    Optional<Boolean> directIo(Path dir) {
        Path probe = dir.resolve(".virtlint-odirect-probe-" + ProcessHandle.current().pid());
        try {
            int block = (int) Math.max(512, Files.getFileStore(dir).getBlockSize());
            try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
                ByteBuffer buf = ByteBuffer.allocateDirect(block * 2).alignedSlice(block);
                buf.limit(block);
                ch.write(buf, 0);
                return Optional.of(true);
            }
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("Invalid argument")) {
                return Optional.of(false);
            }
            spec.commandLine().getErr().println("virtlint: probe: cannot test O_DIRECT in " + dir + ": " + msg);
            spec.commandLine().getErr().flush();
            return Optional.empty();
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the probe file stays; nothing else depends on it
            }
        }
    }

    private Optional<String> qemuVersion() throws InterruptedException {
        for (String binary : List.of("qemu-system-x86_64", "qemu-system-aarch64", "qemu-kvm", "qemu-img")) {
            Optional<String> out = runQuietly(List.of(binary, "--version"));
            if (out.isPresent()) {
                Matcher m = VERSION.matcher(out.get());
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> runQuietly(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Runs every bench row of the calibration table under each mode, fits the costs, returns the YAML. */
    private String bench() throws IOException, InterruptedException {
        if (runQuietly(List.of("qemu-img", "--version")).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--bench needs qemu-img (Debian: apt-get install qemu-utils)");
        }
        List<Measured> measured = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        PrintWriter err = spec.commandLine().getErr();
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
            throw new IOException("qemu-img bench failed for every mode in " + bench);
        }
        DeviceCosts fitted = Calibration.rounded(Calibration.fit(DeviceCosts.builtIn(),
                c -> Calibration.absoluteObjective(measured, c)));
        StringBuilder y = new StringBuilder();
        y.append(String.format(Locale.ROOT, "# qemu-img bench in %s, %d requests per run; measured MB/s and the fitted"
                + " model's (worst factor %.2f):%n", bench.toAbsolutePath().normalize(), count,
                Calibration.worstFactor(measured, fitted)));
        for (Measured m : measured) {
            y.append(String.format(Locale.ROOT, "#   %-12s %-13s %10.1f %10.1f%n", m.row().id(), m.mode().id(), m.mbps(),
                    m.row().speed(m.mode(), fitted)));
        }
        for (String f : failed) {
            y.append("#   ").append(f).append(": qemu-img bench failed (O_DIRECT not supported here?)\n");
        }
        y.append("costs:\n");
        fitted.asMap().forEach((k, v) -> y.append("  ").append(k).append(": ").append(number(v)).append('\n'));
        return y.toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    private Optional<Double> benchOne(Row row, Preset mode) throws IOException, InterruptedException {
        IoPattern p = row.pattern();
        String format = p.formatName();
        Path image = bench.resolve(".virtlint-bench-" + ProcessHandle.current().pid() + "." + format);
        long imageBytes = 256L << 20;
        int n = (int) Math.min(count, imageBytes / p.size());
        try {
            Files.deleteIfExists(image);
            List<String> create = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", format));
            if (p.preallocated()) {
                create.addAll(List.of("-o", "preallocation=falloc"));
            }
            create.addAll(List.of(image.toString(), "256M"));
            if (runQuietly(create).isEmpty()) {
                return Optional.empty();
            }
            if (row.reads()) {
                // Warm the host page cache with the data the reads will ask for.
                runQuietly(benchCommand(true, "writeback", format, n, p.size(), 64, 0, image));
            }
            Optional<String> out = runQuietly(benchCommand(!row.reads(), mode.id(), format, n, p.size(), p.depth(),
                    p.writesPerFlush(), image));
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

    private static List<String> benchCommand(boolean write, String mode, String format, int count, int size,
                                              int depth, long flushInterval, Path image) {
        List<String> c = new ArrayList<>(List.of("qemu-img", "bench"));
        if (write) {
            c.add("-w");
        }
        c.addAll(List.of("-t", mode, "-f", format, "-c", String.valueOf(count), "-s", String.valueOf(size),
                "-d", String.valueOf(depth)));
        if (flushInterval > 0) {
            c.add("--flush-interval=" + flushInterval);
        }
        c.add(image.toString());
        return c;
    }
}
