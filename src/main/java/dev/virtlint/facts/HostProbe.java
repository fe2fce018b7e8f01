package dev.virtlint.facts;

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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the host virtlint runs on ({@code virtlint probe}): kernel release, QEMU version, memory,
 * real mounts, dirty page sysctls, and whether O_DIRECT works in given directories.
 */
public final class HostProbe {

    /** Filesystems that never hold disk images. */
    private static final Set<String> PSEUDO = Set.of("proc", "sysfs", "devtmpfs", "devpts",
            "cgroup", "cgroup2", "mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf",
            "configfs", "fusectl", "autofs", "binfmt_misc", "nsfs", "efivarfs", "hugetlbfs",
            "rpc_pipefs", "selinuxfs");

    private static final Pattern VERSION = Pattern.compile("version (\\d+\\.\\d+(?:\\.\\d+)?)");

    private final PrintWriter err;

    /** {@code err} takes the warnings of a probe that could not run (O_DIRECT in a directory). */
    public HostProbe(PrintWriter err) {
        this.err = err;
    }

    /** This host's facts, with an O_DIRECT answer for each of {@code dirs} that could be tested. */
    public ProbedHost read(List<Path> dirs) throws InterruptedException {
        List<HostFacts.DirectIoProbe> odirect = new ArrayList<>();
        for (Path d : dirs) {
            directIo(d).ifPresent(ok -> odirect.add(
                    new HostFacts.DirectIoProbe(d.toAbsolutePath().normalize().toString(), ok)));
        }
        Map<String, Long> sysctl = new LinkedHashMap<>();
        for (String name : HostProfile.SYSCTLS) {
            readFirstLine(Path.of("/proc/sys/vm/" + name)).flatMap(HostProbe::whole)
                    .ifPresent(v -> sysctl.put(name, v));
        }
        return new ProbedHost(readFirstLine(Path.of("/proc/sys/kernel/osrelease")).orElse(null),
                qemuVersion().orElse(null), memory().map(kib -> kib * 1024).orElse(null), mounts(),
                odirect, sysctl, List.of(), Map.of());
    }

    private static Optional<Long> whole(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> readFirstLine(Path p) {
        try {
            List<String> lines = Files.readAllLines(p);
            return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** MemTotal of /proc/meminfo, in KiB. */
    private static Optional<Long> memory() {
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
    static List<HostFacts.Mount> mounts() {
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
        List<HostFacts.Mount> out = new ArrayList<>();
        byPath.forEach((p, t) -> out.add(new HostFacts.Mount(p, t)));
        return out;
    }

    /** /proc/mounts writes space, tab, newline and backslash as octal escapes. */
    static String unescape(String s) {
        Matcher m = Pattern.compile("\\\\([0-7]{3})").matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            char c = (char) Integer.parseInt(m.group(1), 8);
            m.appendReplacement(b, Matcher.quoteReplacement(String.valueOf(c)));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * Nova's check: create a file in the directory with O_DIRECT and write one aligned block;
     * EINVAL means the filesystem does not take O_DIRECT. Empty when the probe could not run at
     * all.
     */
    Optional<Boolean> directIo(Path dir) {
        Path probe = dir.resolve(".virtlint-odirect-probe-" + ProcessHandle.current().pid());
        try {
            int block = (int) Math.max(512, Files.getFileStore(dir).getBlockSize());
            try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
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
            err.println("virtlint: probe: cannot test O_DIRECT in " + dir + ": " + msg);
            err.flush();
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

    private static Optional<String> qemuVersion() throws InterruptedException {
        for (String binary : List.of("qemu-system-x86_64", "qemu-system-aarch64", "qemu-kvm",
                "qemu-img")) {
            Optional<String> out = run(List.of(binary, "--version"));
            if (out.isPresent()) {
                Matcher m = VERSION.matcher(out.get());
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }

    /** The output (stdout and stderr) of a command that exits 0 within a minute, else empty. */
    public static Optional<String> run(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
