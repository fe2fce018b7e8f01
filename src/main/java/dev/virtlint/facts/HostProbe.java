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
 * Reads the host virtlint runs on ({@code virtlint probe}): kernel release, QEMU and OpenZFS
 * versions, memory, real mounts with their options, dirty page sysctls, and for given
 * directories whether O_DIRECT works, their nocow attribute, ZFS properties and the block
 * device's write cache; for given images whether they are sparse. Nothing here needs root.
 *
 * <p>The nocow attribute is FS_NOCOW_FL of the FS_IOC_GETFLAGS ioctl, which Java cannot issue
 * without native code (JNI, or the foreign function API, which Java 17 has only as an
 * incubator): the probe runs {@code lsattr FILE} on each given image on btrfs when it is
 * installed (e2fsprogs), which issues that ioctl, and states nothing otherwise. It reads the
 * image's own flag, not its directory's: chattr +C on a directory reaches only files created
 * in it afterwards (btrfs_inherit_iflags), so images made before, or moved in, keep their
 * checksums.
 */
public final class HostProbe {

    /** Filesystems that never hold disk images. */
    private static final Set<String> PSEUDO = Set.of("proc", "sysfs", "devtmpfs", "devpts",
            "cgroup", "cgroup2", "mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf",
            "configfs", "fusectl", "autofs", "binfmt_misc", "nsfs", "efivarfs", "hugetlbfs",
            "rpc_pipefs", "selinuxfs");

    private static final Pattern VERSION = Pattern.compile("version (\\d+\\.\\d+(?:\\.\\d+)?)");

    private final PrintWriter err;
    /** Where /proc and /sys are: "/" on a real host, a temporary tree in tests. */
    private final Path root;

    /** {@code err} takes the warnings of a probe that could not run (O_DIRECT in a directory). */
    public HostProbe(PrintWriter err) {
        this(err, Path.of("/"));
    }

    HostProbe(PrintWriter err, Path root) {
        this.err = err;
        this.root = root;
    }

    /** This host's facts, with an O_DIRECT answer for each of {@code dirs} that could be tested. */
    public ProbedHost read(List<Path> dirs) throws InterruptedException {
        return read(dirs, List.of());
    }

    /**
     * This host's facts; for each of {@code dirs} O_DIRECT, nocow, ZFS properties and write
     * cache, and for each of {@code images} its allocation ({@code qemu-img info}).
     */
    public ProbedHost read(List<Path> dirs, List<Path> images) throws InterruptedException {
        List<HostFacts.DirectIoProbe> odirect = new ArrayList<>();
        for (Path d : dirs) {
            directIo(d).ifPresent(ok -> odirect.add(
                    new HostFacts.DirectIoProbe(d.toAbsolutePath().normalize().toString(), ok)));
        }
        Map<String, Long> sysctl = new LinkedHashMap<>();
        for (String name : HostProfile.SYSCTLS) {
            readFirstLine(root.resolve("proc/sys/vm/" + name)).flatMap(HostProbe::whole)
                    .ifPresent(v -> sysctl.put(name, v));
        }
        List<MountLine> lines = mountinfo();
        List<HostFacts.Mount> mounts = new ArrayList<>();
        for (MountLine l : lines) {
            mounts.add(l.mount());
        }
        List<HostFacts.Storage> storage = new ArrayList<>();
        for (Path d : dirs) {
            storage(d.toAbsolutePath().normalize().toString(), lines).ifPresent(storage::add);
        }
        List<HostFacts.Image> allocations = new ArrayList<>();
        for (Path i : images) {
            String path = i.toAbsolutePath().normalize().toString();
            nocowOf(path, lines).ifPresent(storage::add);
            Optional<String> info = run(List.of("qemu-img", "info", "--output=json", "-U",
                    path));
            String allocation = info.flatMap(HostProbe::allocation).orElse(null);
            Long size = info.flatMap(HostProbe::virtualSize).orElse(null);
            if (allocation != null || size != null) {
                allocations.add(new HostFacts.Image(path, allocation, size));
            }
        }
        // /sys/module/zfs/version: the loaded module's version, readable by anyone.
        String openzfs = readFirstLine(root.resolve("sys/module/zfs/version")).orElse(null);
        return new ProbedHost(readFirstLine(root.resolve("proc/sys/kernel/osrelease")).orElse(null),
                qemuVersion().orElse(null), openzfs, meminfo("MemTotal:").map(kib -> kib * 1024).orElse(null),
                meminfo("MemAvailable:").map(kib -> kib * 1024).orElse(null), mounts, storage, allocations, odirect, sysctl, List.of(), Map.of());
    }

    /** One line of /proc/self/mountinfo: the mount, its device and its source. */
    record MountLine(HostFacts.Mount mount, String device, String source) {
    }

    /** The nocow attribute of an image file on btrfs ({@code lsattr FILE}), as a storage entry. */
    private static Optional<HostFacts.Storage> nocowOf(String file, List<MountLine> lines)
            throws InterruptedException {
        MountLine holder = holder(file, lines);
        if (holder == null || !holder.mount().fstype().equals("btrfs")) {
            return Optional.empty();
        }
        return run(List.of("lsattr", file)).flatMap(HostProbe::nocow)
                .map(n -> new HostFacts.Storage(file, n, null, null, null, null, null, null));
    }

    private static MountLine holder(String path, List<MountLine> lines) {
        MountLine holder = null;
        for (MountLine l : lines) {
            String p = l.mount().path();
            if ((path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/"))
                    && (holder == null || p.length() >= holder.mount().path().length())) {
                holder = l;
            }
        }
        return holder;
    }

    /**
     * What can be read of the storage under a directory without root: a ZFS dataset's sync and
     * direct properties ({@code zfs get}, which works unprivileged only where /dev/zfs is open to all: best effort), and the block device's
     * {@code queue/write_cache} (Documentation/ABI/stable/sysfs-block; a partition's queue is its
     * disk's). Empty when nothing could be read.
     */
    private Optional<HostFacts.Storage> storage(String dir, List<MountLine> lines)
            throws InterruptedException {
        MountLine holder = holder(dir, lines);
        if (holder == null) {
            return Optional.empty();
        }
        String sync = null;
        String direct = null;
        String fstype = holder.mount().fstype();
        if (fstype.equals("zfs")) {
            sync = zfsProperty("sync", holder.source()).orElse(null);
            // The direct property exists from OpenZFS 2.3; older zfs get refuses the name.
            direct = zfsProperty("direct", holder.source()).orElse(null);
        }
        String writeCache = writeCache(holder.device()).orElse(null);
        HostFacts.Storage st = new HostFacts.Storage(dir, null, sync, direct, null, null, null,
                writeCache);
        return st.states() ? Optional.of(st) : Optional.empty();
    }

    private static Optional<String> zfsProperty(String name, String dataset)
            throws InterruptedException {
        return run(List.of("zfs", "get", "-H", "-p", "-o", "value", name, dataset))
                .map(String::trim).filter(v -> v.equals("standard") || v.equals("always")
                        || v.equals("disabled"));
    }

    /** {@code lsattr} prints the flags, then the path; C is FS_NOCOW_FL (e2fsprogs
     * lib/e2p/pf.c). */
    static Optional<Boolean> nocow(String lsattr) {
        String line = lsattr.lines().findFirst().orElse("").trim();
        int space = line.indexOf(' ');
        if (space <= 0) {
            return Optional.empty();
        }
        String flags = line.substring(0, space);
        return flags.matches("[-A-Za-z]+") ? Optional.of(flags.indexOf('C') >= 0)
                : Optional.empty();
    }

    /**
     * {@code queue/write_cache} of the device {@code major:minor}: "write back" or "write through".
     * A partition has no queue of its own; its parent directory (the disk) has it.
     */
    Optional<String> writeCache(String device) {
        Path dev = root.resolve("sys/dev/block/" + device);
        for (Path q : List.of(dev.resolve("queue/write_cache"),
                dev.resolve("../queue/write_cache"))) {
            Optional<String> v = readFirstLine(q);
            if (v.isPresent() && (v.get().equals("write back")
                    || v.get().equals("write through"))) {
                return v;
            }
        }
        return Optional.empty();
    }

    private static final Pattern ACTUAL = Pattern.compile("\"actual-size\"\\s*:\\s*([0-9]+)");
    private static final Pattern VIRTUAL = Pattern.compile("\"virtual-size\"\\s*:\\s*([0-9]+)");

    /**
     * sparse or preallocated from {@code qemu-img info --output=json}: actual-size (bytes the host
     * allocated) against virtual-size (the disk's size). An image with less than 98% of its size
     * allocated is sparse; qcow2 metadata makes a fully allocated image slightly larger, not
     * smaller. An image with a backing file (backing-filename) holds only what differs from it,
     * so it always reads sparse: its allocation is left unknown.
     */
    static Optional<String> allocation(String json) {
        if (json.contains("\"backing-filename\"")) {
            return Optional.empty();
        }
        Matcher a = ACTUAL.matcher(json);
        Matcher v = VIRTUAL.matcher(json);
        if (!a.find() || !v.find()) {
            return Optional.empty();
        }
        double actual = Double.parseDouble(a.group(1));
        double virtual = Double.parseDouble(v.group(1));
        return Optional.of(actual < 0.98 * virtual ? "sparse" : "preallocated");
    }

    /**
     * The disk's size as the guest sees it: {@code virtual-size} of {@code qemu-img info
     * --output=json} (qemu-img(1), "info"), which bounds what a failure can lose and what the host
     * can cache of it.
     */
    static Optional<Long> virtualSize(String json) {
        Matcher v = VIRTUAL.matcher(json);
        return v.find() ? whole(v.group(1)).filter(n -> n > 0) : Optional.empty();
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

    /**
     * A field of /proc/meminfo, in KiB: MemTotal, or MemAvailable (Linux 3.14 and later,
     * Documentation/filesystems/proc.rst: memory available for starting new applications without
     * swapping, counting the reclaimable page cache; what the dirty thresholds are shares of,
     * approximately: mm/page-writeback.c global_dirtyable_memory counts free and file pages).
     */
    private Optional<Long> meminfo(String field) {
        try {
            for (String line : Files.readAllLines(root.resolve("proc/meminfo"))) {
                if (line.startsWith(field)) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Real filesystems from /proc/self/mountinfo (Documentation/filesystems/proc.rst, 3.5): field
     * 3 is the device, 5 the mount point, 6 the per-mount options; after the "-" separator the
     * type (type.subtype for FUSE), the source (a ZFS dataset's name) and the superblock's
     * options. A later mount on the same path hides the earlier one.
     */
    List<MountLine> mountinfo() {
        List<String> text;
        try {
            text = Files.readAllLines(root.resolve("proc/self/mountinfo"));
        } catch (IOException e) {
            return List.of();
        }
        return mountinfo(text);
    }

    static List<MountLine> mountinfo(List<String> text) {
        Map<String, MountLine> byPath = new LinkedHashMap<>();
        for (String line : text) {
            String[] f = line.split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            if (f.length < 6 || dash < 6 || f.length < dash + 3 || PSEUDO.contains(f[dash + 1])) {
                continue;
            }
            String path = unescape(f[4]);
            java.util.Set<String> opts = new java.util.LinkedHashSet<>(List.of(f[5].split(",")));
            if (f.length > dash + 3) {
                opts.addAll(List.of(unescape(f[dash + 3]).split(",")));
            }
            String options = String.join(",", opts);
            byPath.remove(path);
            byPath.put(path, new MountLine(new HostFacts.Mount(path, f[dash + 1], options), f[2],
                    unescape(f[dash + 2])));
        }
        return new ArrayList<>(byPath.values());
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
