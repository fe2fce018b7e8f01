package dev.virtlint.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What virtlint knows about the host that runs the disks: kernel and QEMU versions, memory, which
 * filesystem holds a path, where O_DIRECT is known to work, and the dirty page sysctls. Without a
 * host profile, {@code /dev/shm} and {@code /run} are assumed to be tmpfs ({@link Mount#assumed()})
 * and everything else is unknown.
 */
public final class HostFacts {

    /**
     * A mount point and its filesystem type; {@code assumed} when no host profile states it (the
     * built-in {@code /dev/shm} and {@code /run}).
     */
    public record Mount(String path, String fstype, boolean assumed) {

        public Mount(String path, String fstype) {
            this(path, fstype, false);
        }
    }

    /**
     * Whether O_DIRECT works on a path, and why; {@code supported} is empty when it depends on what
     * is unknown. {@code assumption} says what the answer takes for granted that no host profile
     * states ({@code assumed tmpfs: ...}, {@code assumes O_DIRECT works on ...}), or is null.
     */
    public record DirectIo(Optional<Boolean> supported, String reason, String assumption) {

        public DirectIo(Optional<Boolean> supported, String reason) {
            this(supported, reason, null);
        }
    }

    /** What a probe (or the operator) found about O_DIRECT under a path. */
    record DirectIoProbe(String path, boolean supported) {
    }

    private final String kernel;
    private final String qemu;
    private final Long memoryBytes;
    private final List<Mount> mounts;
    private final List<DirectIoProbe> probes;
    private final Map<String, Long> sysctl;
    private final String profile;
    /**
     * The names of a profile's device costs ({@code costs:}), in the order the simulator's
     * DeviceCosts holds them; kept here so that reading a profile needs nothing of the simulator.
     */
    public static final java.util.List<String> COST_NAMES = java.util.List.of("submit-us", "copy-mbps",
            "device-latency-us", "read-latency-us", "device-mbps", "device-queue", "allocate-us", "writeout-us",
            "flush-us", "sync-contention", "qcow2-write-us", "qcow2-cluster-us", "qcow2-flush-us");

    private final Map<String, Double> costs;

    public HostFacts(String kernel, List<Mount> mounts) {
        this(kernel, null, null, mounts, List.of(), Map.of(), null);
    }

    public HostFacts(String kernel, String qemu, Long memoryBytes, List<Mount> mounts, List<DirectIoProbe> probes,
                     Map<String, Long> sysctl, String profile) {
        this(kernel, qemu, memoryBytes, mounts, probes, sysctl, Map.of(), profile);
    }

    /**
     * @param costs   measured device costs by their profile names ({@code probe --bench}), may be empty
     * @param profile where the facts come from (a profile file), or null for built-in defaults
     */
    public HostFacts(String kernel, String qemu, Long memoryBytes, List<Mount> mounts, List<DirectIoProbe> probes,
                     Map<String, Long> sysctl, Map<String, Double> costs, String profile) {
        this.kernel = kernel;
        this.qemu = qemu;
        this.memoryBytes = memoryBytes;
        this.mounts = longestFirst(mounts, Mount::path);
        this.probes = longestFirst(probes, DirectIoProbe::path);
        this.sysctl = Map.copyOf(sysctl);
        this.costs = Map.copyOf(costs);
        this.profile = profile;
    }

    private static <T> List<T> longestFirst(List<T> items, java.util.function.Function<T, String> path) {
        List<T> sorted = new ArrayList<>(items);
        // Our own lambda, not Comparator's combinators: the class-data archive keeps ours; the JDK's are made at run time.
        sorted.sort((a, b) -> Integer.compare(path.apply(b).length(), path.apply(a).length()));
        return List.copyOf(sorted);
    }

    /**
     * The mounts most Linux hosts have without being told: {@code /dev/shm} and {@code /run} on
     * tmpfs (systemd mounts both so). Assumed, not known: oVirt's images under
     * {@code /run/vdsm/storage} are links to shared storage, so findings that rest on these say so
     * and get no automatic fix.
     */
    public static List<Mount> defaultMounts() {
        return List.of(new Mount("/dev/shm", "tmpfs", true), new Mount("/run", "tmpfs", true));
    }

    public static HostFacts defaults() {
        return new HostFacts(null, defaultMounts());
    }

    public Optional<String> kernel() {
        return Optional.ofNullable(kernel);
    }

    public Optional<String> qemu() {
        return Optional.ofNullable(qemu);
    }

    public Optional<Long> memoryBytes() {
        return Optional.ofNullable(memoryBytes);
    }

    /** {@code vm.dirty_*} values by their name without {@code vm.}, e.g. {@code dirty_ratio}. */
    public Map<String, Long> sysctl() {
        return sysctl;
    }

    /** Device costs measured on this host, by the names of a profile's {@code costs:} section. */
    public Map<String, Double> costs() {
        return costs;
    }

    /** The profile file the facts come from, empty for the built-in defaults. */
    public Optional<String> profile() {
        return Optional.ofNullable(profile);
    }

    /** The mount that holds a path: the longest mount point that is a prefix of it. */
    public Optional<Mount> mountOf(String path) {
        for (Mount m : mounts) {
            if (under(path, m.path())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static boolean under(String path, String prefix) {
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        return path.equals(prefix) || path.startsWith(p) || prefix.equals("/");
    }

    /** Whether a host path can be opened with O_DIRECT (domain.md section 3). */
    public DirectIo directIo(String path) {
        for (DirectIoProbe probe : probes) {
            if (under(path, probe.path())) {
                return new DirectIo(Optional.of(probe.supported()), path + " is under " + probe.path()
                        + ", where the host profile" + (profile == null ? "" : " " + profile) + " says O_DIRECT "
                        + (probe.supported() ? "works" : "is refused"));
            }
        }
        Optional<Mount> mount = mountOf(path);
        if (mount.isEmpty()) {
            return new DirectIo(Optional.of(true), "no profile entry says otherwise",
                    "assumes O_DIRECT works on " + path + ": " + (profile == null ? "no host profile"
                            : "the host profile " + profile + " has no mount for it"));
        }
        String fs = mount.get().fstype();
        String assumed = !mount.get().assumed() ? null : "assumed " + fs + ": "
                + (profile == null ? "no host profile" : "the host profile " + profile + " does not")
                + " say" + (profile == null ? "s" : "") + " what " + mount.get().path() + " is";
        String where = path + " is on " + fs + " (" + (assumed == null ? mount.get().path() : assumed) + ")";
        switch (fs) {
            case "ramfs":
                return new DirectIo(Optional.of(false), where + ", and ramfs refuses O_DIRECT on every kernel",
                        assumed);
            case "tmpfs":
                if (kernel == null) {
                    return new DirectIo(Optional.empty(), where + "; tmpfs supports O_DIRECT only from Linux 6.6"
                            + " and the host kernel is unknown (give a host profile)", assumed);
                }
                if (GuestTable.compare(numericPrefix(kernel), "6.6") < 0) {
                    return new DirectIo(Optional.of(false), where + ", and tmpfs refuses O_DIRECT before Linux 6.6"
                            + " (host kernel " + kernel + ")", assumed);
                }
                return new DirectIo(Optional.of(true), where + ", which supports O_DIRECT since Linux 6.6", assumed);
            default:
                return new DirectIo(Optional.of(true), where, assumed);
        }
    }

    private static String numericPrefix(String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[0-9]+(\\.[0-9]+)*").matcher(version);
        return m.find() ? m.group() : "0";
    }
}
