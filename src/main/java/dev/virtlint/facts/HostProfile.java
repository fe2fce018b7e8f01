package dev.virtlint.facts;

import dev.virtlint.parse.Suggestions;
import dev.virtlint.parse.Yaml.YNode;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.parse.Yaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes a host profile: a YAML file describing one hypervisor host, written by hand or
 * by {@code virtlint probe} ({@link #write}). Its keys are named here once, for both directions.
 *
 * <pre>
 * kernel: "5.15.0"
 * qemu: "7.2.0"
 * openzfs: "2.2.2"        # /sys/module/zfs/version
 * memory: 64GiB
 * memory-available: 12GiB  # MemAvailable of /proc/meminfo when probed
 * guests-memory: 48GiB     # what the host's guests hold together (by hand)
 * mounts:                 # options: as /proc/self/mountinfo lists them
 *   - {path: /, fstype: ext4, options: "rw,relatime"}
 *   - {path: /var/lib/libvirt/images, fstype: xfs}
 *   - {path: /tank/vm, fstype: zfs, zfs-sync: disabled}
 * storage:                # per path; a mount entry may carry these keys too
 *   - {path: /srv/btrfs/images, nocow: true, btrfs-data: single}
 *   - {path: /mnt/nfs, export: "rw,async", flushes: "no"}
 * images:
 *   - {path: /srv/btrfs/images/db.raw, allocation: sparse, size: 20GiB}
 * odirect:
 *   - {path: /srv/ram-images, supported: false}
 * sysctl:
 *   vm.dirty_ratio: 20
 * costs:                  # written by probe --bench; names as in HostFacts.COST_NAMES
 *   flush-us: 850
 * </pre>
 */
public final class HostProfile {

    private static final String KERNEL = "kernel";
    private static final String QEMU = "qemu";
    private static final String MEMORY = "memory";
    /** /proc/meminfo MemAvailable: what the dirty thresholds are shares of (HostModel). */
    private static final String MEMORY_AVAILABLE = "memory-available";
    /** The memory the host's guests hold together, stated by hand. */
    private static final String GUESTS_MEMORY = "guests-memory";
    private static final String MOUNTS = "mounts";
    private static final String ODIRECT = "odirect";
    private static final String SYSCTL = "sysctl";
    private static final String COSTS = "costs";
    private static final String PATH = "path";
    private static final String FSTYPE = "fstype";
    private static final String SUPPORTED = "supported";
    private static final String OPENZFS = "openzfs";
    private static final String STORAGE = "storage";
    private static final String IMAGES = "images";
    private static final String OPTIONS = "options";
    private static final String NOCOW = "nocow";
    private static final String ZFS_SYNC = "zfs-sync";
    private static final String ZFS_DIRECT = "zfs-direct";
    private static final String BTRFS_DATA = "btrfs-data";
    private static final String EXPORT = "export";
    private static final String FLUSHES = "flushes";
    private static final String WRITE_CACHE = "write-cache";
    private static final String ALLOCATION = "allocation";
    private static final String SIZE_KEY = "size";
    /** The per-path keys of {@code storage:}, which a {@code mounts:} entry may carry too. */
    private static final List<String> STORAGE_KEYS =
            List.of(NOCOW, ZFS_SYNC, ZFS_DIRECT, BTRFS_DATA, EXPORT, FLUSHES, WRITE_CACHE);
    /** zfsprops(7): the values of sync and of direct. */
    private static final List<String> ZFS_MODES = List.of("standard", "always", "disabled");
    /** btrfs(5) / mkfs.btrfs(8) data profiles. */
    private static final List<String> BTRFS_PROFILES = List.of("single", "dup", "raid0", "raid1",
            "raid1c3", "raid1c4", "raid10", "raid5", "raid6");
    private static final List<String> FLUSH_VALUES = List.of("yes", "no", "unknown");
    /** Documentation/ABI/stable/sysfs-block, queue/write_cache. */
    private static final List<String> WRITE_CACHES = List.of("write back", "write through");
    private static final List<String> ALLOCATIONS = List.of("sparse", "preallocated");
    /** A sysctl's prefix, as {@code sysctl -a} writes it; a profile may leave it out. */
    private static final String VM = "vm.";

    private static final Set<String> KEYS =
            Set.of(KERNEL, QEMU, OPENZFS, MEMORY, MEMORY_AVAILABLE, GUESTS_MEMORY, MOUNTS, STORAGE, IMAGES, ODIRECT, SYSCTL, COSTS);

    /** The dirty page settings of Linux's {@code vm.rst} the simulator uses, in probe order. */
    static final List<String> SYSCTLS = List.of("dirty_ratio", "dirty_background_ratio",
            "dirty_bytes", "dirty_background_bytes", "dirty_expire_centisecs",
            "dirty_writeback_centisecs");

    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([KMGTP]?)(i?B?)?",
            Pattern.CASE_INSENSITIVE);

    /**
     * A version as {@code /proc/sys/kernel/osrelease} (what {@code probe} writes) or QEMU print it;
     * RHEL kernels carry underscores ({@code 4.18.0-513.5.1.el8_9.x86_64}).
     */
    private static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9]+)*([-+~.][0-9A-Za-z.+~_-]*)?");

    private HostProfile() {
    }

    /** Reads a profile file; {@code label} is how errors name it. */
    public static HostFacts load(Path path, String label) throws IOException, YamlException {
        return from(Yaml.read(path, label), label);
    }

    static HostFacts from(YNode root, String label) throws YamlException {
        Map<String, YNode> m = root.map(KEYS);
        String kernel = version(m.get(KERNEL));
        String qemu = version(m.get(QEMU));
        String openzfs = version(m.get(OPENZFS));
        Long memory = m.containsKey(MEMORY) ? size(m.get(MEMORY)) : null;
        if (memory != null && memory <= 0) {
            throw m.get(MEMORY).error("memory must be more than 0 bytes, found " + memory);
        }
        Long available = m.containsKey(MEMORY_AVAILABLE) ? size(m.get(MEMORY_AVAILABLE)) : null;
        if (available != null && (available <= 0 || memory != null && available > memory)) {
            throw m.get(MEMORY_AVAILABLE).error(MEMORY_AVAILABLE + " must be more than 0 bytes and at most"
                    + " memory, found " + available);
        }
        Long guests = m.containsKey(GUESTS_MEMORY) ? size(m.get(GUESTS_MEMORY)) : null;
        if (guests != null && (guests < 0 || memory != null && guests >= memory)) {
            throw m.get(GUESTS_MEMORY).error(GUESTS_MEMORY + " must be less than memory, found " + guests);
        }
        List<HostFacts.Mount> mounts = new ArrayList<>();
        Map<String, HostFacts.Mount> byPath = new LinkedHashMap<>();
        for (HostFacts.Mount d : HostFacts.defaultMounts()) {
            byPath.put(d.path(), d);
        }
        List<HostFacts.Storage> storage = new ArrayList<>();
        if (m.containsKey(MOUNTS)) {
            Set<String> allowed = new java.util.HashSet<>(STORAGE_KEYS);
            allowed.addAll(List.of(PATH, FSTYPE, OPTIONS));
            for (YNode item : m.get(MOUNTS).list()) {
                Map<String, YNode> e = item.map(allowed);
                String path = absolute(item.require(PATH));
                String fstype = item.require(FSTYPE).string().trim();
                if (fstype.isEmpty()) {
                    throw item.require(FSTYPE).error(FSTYPE + " is empty");
                }
                String options = e.containsKey(OPTIONS) ? e.get(OPTIONS).string().trim() : null;
                byPath.put(path, new HostFacts.Mount(path, fstype.toLowerCase(Locale.ROOT),
                        options));
                HostFacts.Storage st = storage(path, e);
                if (st.states()) {
                    storage.add(st);
                }
            }
        }
        mounts.addAll(byPath.values());
        if (m.containsKey(STORAGE)) {
            Set<String> allowed = new java.util.HashSet<>(STORAGE_KEYS);
            allowed.add(PATH);
            for (YNode item : m.get(STORAGE).list()) {
                Map<String, YNode> e = item.map(allowed);
                HostFacts.Storage st = storage(absolute(item.require(PATH)), e);
                if (!st.states()) {
                    throw item.error("a storage entry states nothing beyond its path; expected one"
                            + " of "
                            + String.join(", ", STORAGE_KEYS));
                }
                storage.add(st);
            }
        }
        List<HostFacts.Image> images = new ArrayList<>();
        if (m.containsKey(IMAGES)) {
            for (YNode item : m.get(IMAGES).list()) {
                Map<String, YNode> e = item.map(Set.of(PATH, ALLOCATION, SIZE_KEY));
                String path = absolute(item.require(PATH));
                if (!e.containsKey(ALLOCATION) && !e.containsKey(SIZE_KEY)) {
                    throw item.error("an images entry states nothing beyond its path; expected "
                            + ALLOCATION + " or " + SIZE_KEY);
                }
                Long size = e.containsKey(SIZE_KEY) ? size(e.get(SIZE_KEY)) : null;
                if (size != null && size <= 0) {
                    throw e.get(SIZE_KEY).error(SIZE_KEY + " must be more than 0 bytes, found "
                            + size);
                }
                images.add(new HostFacts.Image(path, e.containsKey(ALLOCATION)
                        ? oneOf(e.get(ALLOCATION), ALLOCATION, ALLOCATIONS) : null, size));
            }
        }
        List<HostFacts.DirectIoProbe> probes = new ArrayList<>();
        if (m.containsKey(ODIRECT)) {
            for (YNode item : m.get(ODIRECT).list()) {
                item.map(Set.of(PATH, SUPPORTED));
                probes.add(new HostFacts.DirectIoProbe(absolute(item.require(PATH)),
                        item.require(SUPPORTED).bool()));
            }
        }
        Map<String, Long> sysctl = new LinkedHashMap<>();
        if (m.containsKey(SYSCTL)) {
            YNode node = m.get(SYSCTL);
            for (Map.Entry<String, YNode> e : node.map().entrySet()) {
                String name = e.getKey();
                String key = name.startsWith(VM) ? name.substring(VM.length()) : name;
                if (!SYSCTLS.contains(key)) {
                    List<String> known = new java.util.TreeSet<>(SYSCTLS).stream().map(k -> VM + k).toList();
                    String hint = Suggestions.didYouMean(name.startsWith(VM) ? name : VM + name, known);
                    throw node.keyNode(name).error("unknown sysctl '" + name + "'"
                            + (hint.isEmpty() ? "; expected one of " + String.join(", ", known) : hint));
                }
                long value = number(e.getValue());
                checkSysctl(e.getValue(), VM + key, value);
                sysctl.put(key, value);
            }
        }
        Map<String, Double> costs = new LinkedHashMap<>();
        if (m.containsKey(COSTS)) {
            YNode node = m.get(COSTS);
            for (Map.Entry<String, YNode> e : node.map().entrySet()) {
                if (!HostFacts.COST_NAMES.contains(e.getKey())) {
                    String hint = Suggestions.didYouMean(e.getKey(), HostFacts.COST_NAMES);
                    throw node.keyNode(e.getKey()).error("unknown device cost '" + e.getKey() + "'" + (hint.isEmpty()
                            ? "; expected one of " + String.join(", ", HostFacts.COST_NAMES) : hint));
                }
                double value = decimal(e.getValue());
                boolean positive = e.getKey().equals("copy-mbps") || e.getKey().equals("device-mbps");
                if (positive && value == 0 || e.getKey().equals("device-queue") && value < 1) {
                    // DeviceCosts' constructor: the simulator divides by these rates and the queue depth.
                    throw e.getValue().error(e.getKey() + " must be " + (positive ? "more than 0" : "at least 1")
                            + ", found " + e.getValue().string().trim());
                }
                // decimal() takes only finite numbers >= 0 and the rates are checked above: what
                // the simulator's DeviceCosts refuses cannot get through.
                costs.put(e.getKey(), value);
            }
        }
        return new HostFacts(kernel, qemu, openzfs, memory, mounts, probes, storage, images, sysctl,
                costs, label).withMemory(available, guests);
    }

    /** The storage keys of one entry ({@code storage:} or {@code mounts:}). */
    private static HostFacts.Storage storage(String path, Map<String,
            YNode> e) throws YamlException {
        Boolean nocow = e.containsKey(NOCOW) ? e.get(NOCOW).bool() : null;
        String export = null;
        if (e.containsKey(EXPORT)) {
            export = e.get(EXPORT).string().trim().replace(" ", "");
            if (export.isEmpty()) {
                throw e.get(EXPORT).error(EXPORT
                        + " is empty; expected export options such as rw,sync");
            }
        }
        return new HostFacts.Storage(path, nocow, optional(e, ZFS_SYNC, ZFS_MODES),
                optional(e, ZFS_DIRECT, ZFS_MODES), optional(e, BTRFS_DATA, BTRFS_PROFILES), export,
                optional(e, FLUSHES, FLUSH_VALUES), optional(e, WRITE_CACHE, WRITE_CACHES));
    }

    private static String optional(Map<String, YNode> e, String key, List<String> values)
            throws YamlException {
        return e.containsKey(key) ? oneOf(e.get(key), key, values) : null;
    }

    /**
     * One of {@code values}, lower case. YAML 1.1 readers take a bare {@code no} for false; this
     * reader keeps the text, so {@code flushes: no} and {@code flushes: "no"} read alike.
     */
    private static String oneOf(YNode node, String key, List<String> values) throws YamlException {
        String v = node.string().trim().toLowerCase(Locale.ROOT);
        if (!values.contains(v)) {
            throw node.error(key + " must be one of " + String.join(", ", values) + ", found '"
                    + node.string().trim() + "'");
        }
        return v;
    }

    /**
     * The profile of a probed host, as {@link #from} reads it back: a header comment, then each
     * fact that is known, in the order of the class comment; strings in double quotes, memory in
     * KiB (in bytes when not a whole number of KiB), cost notes as comments before the costs.
     */
    public static String write(ProbedHost host) {
        StringBuilder y = new StringBuilder();
        y.append("# Host profile written by virtlint probe.")
                .append(" Use it with --host FILE or hosts: in .virtlint.yaml.\n");
        if (host.kernel() != null) {
            y.append(KERNEL).append(": ").append(quote(host.kernel())).append('\n');
        }
        if (host.qemu() != null) {
            y.append(QEMU).append(": ").append(quote(host.qemu())).append('\n');
        }
        if (host.openzfs() != null) {
            y.append(OPENZFS).append(": ").append(quote(host.openzfs())).append('\n');
        }
        Long memory = host.memoryBytes();
        if (memory != null) {
            String written = memory % 1024 == 0 ? memory / 1024 + "KiB" : memory.toString();
            y.append(MEMORY).append(": ").append(written).append('\n');
        }
        Long available = host.memoryAvailableBytes();
        if (available != null) {
            // A snapshot that moves from one second to the next: written rounded down to 256 MiB,
            // no more precise than it is.
            long mib = available >> 20;
            long written = Math.max(256, mib - mib % 256);
            y.append(MEMORY_AVAILABLE).append(": ").append(written).append("MiB\n");
        }
        if (!host.mounts().isEmpty()) {
            y.append(MOUNTS).append(":\n");
            for (HostFacts.Mount mount : host.mounts()) {
                y.append("  - {").append(PATH).append(": ").append(quote(mount.path())).append(", ")
                        .append(FSTYPE).append(": ").append(quote(mount.fstype()));
                if (mount.options() != null) {
                    y.append(", ").append(OPTIONS).append(": ").append(quote(mount.options()));
                }
                y.append("}\n");
            }
        }
        if (!host.storage().isEmpty()) {
            y.append(STORAGE).append(":\n");
            for (HostFacts.Storage st : host.storage()) {
                y.append("  - {").append(PATH).append(": ").append(quote(st.path()));
                field(y, NOCOW, st.nocow() == null ? null : st.nocow().toString(), false);
                field(y, ZFS_SYNC, st.zfsSync(), false);
                field(y, ZFS_DIRECT, st.zfsDirect(), false);
                field(y, BTRFS_DATA, st.btrfsData(), false);
                field(y, EXPORT, st.export(), true);
                field(y, FLUSHES, st.flushes(), true);
                field(y, WRITE_CACHE, st.writeCache(), true);
                y.append("}\n");
            }
        }
        if (!host.images().isEmpty()) {
            y.append(IMAGES).append(":\n");
            for (HostFacts.Image i : host.images()) {
                y.append("  - {").append(PATH).append(": ").append(quote(i.path()));
                field(y, ALLOCATION, i.allocation(), false);
                field(y, SIZE_KEY, i.size() == null ? null : i.size().toString(), false);
                y.append("}\n");
            }
        }
        if (!host.odirect().isEmpty()) {
            y.append(ODIRECT).append(":\n");
            for (HostFacts.DirectIoProbe probe : host.odirect()) {
                y.append("  - {").append(PATH).append(": ").append(quote(probe.path())).append(", ")
                        .append(SUPPORTED).append(": ").append(probe.supported()).append("}\n");
            }
        }
        if (!host.sysctl().isEmpty()) {
            y.append(SYSCTL).append(":\n");
            host.sysctl().forEach((k, v) ->
                    y.append("  ").append(VM).append(k).append(": ").append(v).append('\n'));
        }
        for (String note : host.costNotes()) {
            y.append("# ").append(note).append('\n');
        }
        if (!host.costs().isEmpty()) {
            y.append(COSTS).append(":\n");
            host.costs().forEach((k, v) ->
                    y.append("  ").append(k).append(": ").append(number(v)).append('\n'));
        }
        return y.toString();
    }

    private static void field(StringBuilder y, String key, String value, boolean quoted) {
        if (value != null) {
            y.append(", ").append(key).append(": ").append(quoted ? quote(value) : value);
        }
    }

    /** A YAML double-quoted string, as {@link Yaml} reads it back. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A cost as a whole number when it is one, else as Java prints the double. */
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
                : String.valueOf(v);
    }

    /**
     * The ranges the kernel accepts, from Documentation/admin-guide/sysctl/vm.rst: the two ratios are
     * percentages (0-100); dirty_bytes is at least two pages ("any value lower than this limit will be
     * ignored"), or 0 as it reads while dirty_ratio is in use; the centisecs are in 100ths of a second,
     * held by the kernel in an int (mm/page-writeback.c: dirty_expire_interval, dirty_writeback_interval).
     */
    private static void checkSysctl(YNode node, String name, long value) throws YamlException {
        long twoPages = 2 * 4096;
        boolean ok = switch (name) {
            case "vm.dirty_ratio", "vm.dirty_background_ratio" -> value <= 100;
            case "vm.dirty_bytes" -> value == 0 || value >= twoPages;
            case "vm.dirty_expire_centisecs", "vm.dirty_writeback_centisecs" -> value <= Integer.MAX_VALUE;
            default -> true;
        };
        if (!ok) {
            String range = switch (name) {
                case "vm.dirty_ratio", "vm.dirty_background_ratio" -> "a percentage, 0 to 100";
                case "vm.dirty_bytes" -> "0 or at least " + twoPages + " (two pages)";
                default -> "0 to " + Integer.MAX_VALUE;
            };
            throw node.error(name + " must be " + range + " (Linux vm.rst), found " + value);
        }
    }

    private static double decimal(YNode node) throws YamlException {
        try {
            double d = Double.parseDouble(node.string().trim());
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw node.error("expected a number of at least 0, found " + node.string().trim());
            }
            return d;
        } catch (NumberFormatException e) {
            throw node.error("expected a number, found '" + node.string() + "'");
        }
    }

    private static String version(YNode node) throws YamlException {
        if (node == null) {
            return null;
        }
        String v = node.string().trim();
        if (!VERSION.matcher(v).matches()) {
            throw node.error("expected a version such as \"5.15.0\", found '" + v + "'");
        }
        return v;
    }

    private static String absolute(YNode node) throws YamlException {
        String p = node.string().trim();
        if (!p.startsWith("/")) {
            throw node.error("expected an absolute host path, found '" + p + "'");
        }
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static long number(YNode node) throws YamlException {
        try {
            long n = Long.parseLong(node.string().trim());
            if (n < 0) {
                throw node.error("expected a number of at least 0, found " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw node.error("expected a whole number, found '" + node.string() + "'");
        }
    }

    /** {@code 64GiB}, {@code 64G}, {@code 512 MiB} or a plain byte count; K, M, G, T, P are powers of 1024. */
    static long size(YNode node) throws YamlException {
        Optional<Long> bytes = parseSize(node.string().trim());
        if (bytes.isEmpty()) {
            throw node.error("expected a size such as 64GiB, found '" + node.string() + "'");
        }
        return bytes.get();
    }

    static Optional<Long> parseSize(String text) {
        Matcher mm = SIZE.matcher(text);
        if (!mm.matches()) {
            return Optional.empty();
        }
        String unit = mm.group(2).toUpperCase(Locale.ROOT);
        int power = unit.isEmpty() ? 0 : "KMGTP".indexOf(unit) + 1;
        double value = Double.parseDouble(mm.group(1)) * Math.pow(1024, power);
        if (value > Long.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of((long) value);
    }
}
