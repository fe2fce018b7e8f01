package dev.virtlint.facts;

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
 * Reads a host profile: a YAML file describing one hypervisor host, written by hand or by
 * {@code virtlint probe}.
 *
 * <pre>
 * kernel: "5.15.0"
 * qemu: "7.2.0"
 * memory: 64GiB
 * mounts:
 *   - {path: /, fstype: ext4}
 *   - {path: /var/lib/libvirt/images, fstype: xfs}
 * odirect:
 *   - {path: /srv/ram-images, supported: false}
 * sysctl:
 *   vm.dirty_ratio: 20
 * costs:                  # written by probe --bench; names as in HostFacts.COST_NAMES
 *   flush-us: 850
 * </pre>
 */
public final class HostProfile {

    private static final Set<String> KEYS = Set.of("kernel", "qemu", "memory", "mounts", "odirect", "sysctl",
            "costs");

    /** The dirty page settings of Linux's {@code vm.rst} that the simulator uses. */
    private static final Set<String> SYSCTLS = Set.of("dirty_ratio", "dirty_background_ratio", "dirty_bytes",
            "dirty_background_bytes", "dirty_expire_centisecs", "dirty_writeback_centisecs");

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

    public static HostFacts from(YNode root, String label) throws YamlException {
        Map<String, YNode> m = root.map(KEYS);
        String kernel = version(m.get("kernel"));
        String qemu = version(m.get("qemu"));
        Long memory = m.containsKey("memory") ? size(m.get("memory")) : null;
        if (memory != null && memory <= 0) {
            throw m.get("memory").error("memory must be more than 0 bytes, found " + memory);
        }
        List<HostFacts.Mount> mounts = new ArrayList<>();
        Map<String, HostFacts.Mount> byPath = new LinkedHashMap<>();
        for (HostFacts.Mount d : HostFacts.defaultMounts()) {
            byPath.put(d.path(), d);
        }
        if (m.containsKey("mounts")) {
            for (YNode item : m.get("mounts").list()) {
                item.map(Set.of("path", "fstype"));
                String path = absolute(item.require("path"));
                String fstype = item.require("fstype").string().trim();
                if (fstype.isEmpty()) {
                    throw item.require("fstype").error("fstype is empty");
                }
                byPath.put(path, new HostFacts.Mount(path, fstype.toLowerCase(Locale.ROOT)));
            }
        }
        mounts.addAll(byPath.values());
        List<HostFacts.DirectIoProbe> probes = new ArrayList<>();
        if (m.containsKey("odirect")) {
            for (YNode item : m.get("odirect").list()) {
                item.map(Set.of("path", "supported"));
                probes.add(new HostFacts.DirectIoProbe(absolute(item.require("path")),
                        item.require("supported").bool()));
            }
        }
        Map<String, Long> sysctl = new LinkedHashMap<>();
        if (m.containsKey("sysctl")) {
            YNode node = m.get("sysctl");
            for (Map.Entry<String, YNode> e : node.map().entrySet()) {
                String key = e.getKey().startsWith("vm.") ? e.getKey().substring(3) : e.getKey();
                if (!SYSCTLS.contains(key)) {
                    throw node.keyNode(e.getKey()).error("unknown sysctl '" + e.getKey() + "'; expected one of vm."
                            + String.join(", vm.", new java.util.TreeSet<>(SYSCTLS)));
                }
                long value = number(e.getValue());
                checkSysctl(e.getValue(), "vm." + key, value);
                sysctl.put(key, value);
            }
        }
        Map<String, Double> costs = new LinkedHashMap<>();
        if (m.containsKey("costs")) {
            YNode node = m.get("costs");
            for (Map.Entry<String, YNode> e : node.map().entrySet()) {
                if (!HostFacts.COST_NAMES.contains(e.getKey())) {
                    throw node.keyNode(e.getKey()).error("unknown device cost '" + e.getKey() + "'; expected one of "
                            + String.join(", ", HostFacts.COST_NAMES));
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
        return new HostFacts(kernel, qemu, memory, mounts, probes, sysctl, costs, label);
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
    public static long size(YNode node) throws YamlException {
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
