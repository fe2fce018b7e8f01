package dev.virtlint.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What virtlint knows about the host that runs the disks: kernel, QEMU and OpenZFS versions,
 * memory, which filesystem holds a path (with its mount options), what the storage under a path
 * is ({@link Storage}: nocow, ZFS properties, NFS export, whether flushes are honoured), which
 * images are sparse, what O_DIRECT does on a path ({@link #directIo}), and the dirty page
 * sysctls. Without a host profile, {@code /dev/shm} and {@code /run} are assumed to be tmpfs
 * ({@link Mount#assumed()}) and everything else is unknown. Each filesystem case cites its
 * source (kernel commit, file and function, OpenZFS or QEMU source, man page) where it is
 * decided, and says "unconfirmed" or "assumed" where the source does not settle it.
 */
public final class HostFacts {

    /**
     * A mount point and its filesystem type; {@code assumed} when no host profile states it (the
     * built-in {@code /dev/shm} and {@code /run}). {@code options} are its mount options as
     * {@code /proc/self/mountinfo} lists them (the per-mount ones, then the superblock's), or null
     * when not stated.
     */
    public record Mount(String path, String fstype, boolean assumed, String options) {

        public Mount(String path, String fstype) {
            this(path, fstype, false, null);
        }

        public Mount(String path, String fstype, boolean assumed) {
            this(path, fstype, assumed, null);
        }

        public Mount(String path, String fstype, String options) {
            this(path, fstype, false, options);
        }

        /** Whether the options hold {@code name} or {@code name=...}. */
        boolean option(String name) {
            return optionValue(name) != null;
        }

        /** The value of {@code name=value} among the options, "" for a bare {@code name}, or null.
         * */
        String optionValue(String name) {
            if (options == null) {
                return null;
            }
            for (String o : options.split(",")) {
                if (o.equals(name)) {
                    return "";
                }
                if (o.startsWith(name + "=")) {
                    return o.substring(name.length() + 1);
                }
            }
            return null;
        }
    }

    /**
     * What a host profile states about the storage under a path, beyond its filesystem; each field
     * is null when not stated. The longest path that states a field decides it
     * ({@link HostFacts#storage}).
     *
     * @param nocow      btrfs' nocow attribute ({@code chattr +C}, FS_NOCOW_FL) on the path
     * @param zfsSync    the ZFS dataset's {@code sync} property: standard, always or disabled
     * @param zfsDirect  the ZFS dataset's {@code direct} property (OpenZFS 2.3+): standard,
     *                   always or disabled
     * @param btrfsData  the btrfs data profile: single, dup, raid0, raid1, raid1c3, raid1c4,
     *                   raid10, raid5 or raid6
     * @param export     the NFS server's export options ({@code exports(5)}), e.g. {@code rw,async}
     * @param flushes    whether the storage honours flushes: yes, no or unknown
     * @param writeCache the block device's {@code queue/write_cache}: "write back" or
     *                   "write through"
     */
    record Storage(String path, Boolean nocow, String zfsSync, String zfsDirect,
                          String btrfsData, String export, String flushes, String writeCache) {

        /** Whether any field is stated. */
        boolean states() {
            return nocow != null || zfsSync != null || zfsDirect != null || btrfsData != null
                    || export != null || flushes != null || writeCache != null;
        }
    }

    /**
     * An image file a host profile lists: whether its space is allocated ({@code sparse} or
     * {@code preallocated}, or null when not stated) and its virtual size in bytes (what the
     * guest sees, or null); {@code probe --image} reads both from {@code qemu-img info}.
     */
    record Image(String path, String allocation, Long size) {

        Image(String path, String allocation) {
            this(path, allocation, null);
        }
    }

    /**
     * What an O_DIRECT open does on a path: {@code DIRECT} opens and bypasses the host page cache;
     * {@code BUFFERED} opens, but the filesystem serves the I/O from its own cache or caches
     * nothing to bypass (no double-caching gain, no harm); {@code HAZARD} opens, and direct
     * writes whose buffer the guest changes in flight fail (btrfs checksums before Linux 6.15,
     * OpenZFS 2.3's direct write verification); {@code REFUSED} fails with EINVAL: QEMU does not
     * start.
     */
    public enum Effect { DIRECT, BUFFERED, HAZARD, REFUSED }

    /**
     * Where the data that a lying flush acknowledged waits until it is stable: the device's
     * volatile cache, this host's memory (ZFS' open transaction group, a tmpfs or ramfs file: a
     * host crash loses it too), or the memory of the NFS server (its crash or power loss loses
     * it, not this host's).
     */
    public enum Volatile { DEVICE, HOST_MEMORY, SERVER }

    /**
     * Whether flushes on a path reach stable storage: {@code honoured} is empty when unknown.
     * {@code assumption} says what an unknown answer is taken to be ("assumes the NFS server
     * exports with sync ..."), or is null. {@code commitSeconds} is how long data written without
     * an honoured flush stays volatile (ZFS' transaction groups, an NFS server's writeback), 0
     * when the device's own destage time applies, infinite where nothing ever makes it stable
     * (tmpfs, ramfs). {@code where} says where that data waits.
     */
    public record FlushHonesty(Optional<Boolean> honoured, String reason, String assumption,
                               double commitSeconds, Volatile where) {

        static final FlushHonesty UNKNOWN = new FlushHonesty(Optional.empty(), null, null, 0,
                Volatile.DEVICE);

        FlushHonesty(Optional<Boolean> honoured, String reason, String assumption,
                double commitSeconds) {
            this(honoured, reason, assumption, commitSeconds, Volatile.DEVICE);
        }

        /** Whether the storage is stated not to honour flushes. */
        public boolean ignored() {
            return honoured.isPresent() && !honoured.get();
        }
    }

    /**
     * Whether O_DIRECT works on a path, and why; {@code supported} is empty when it depends on what
     * is unknown. {@code assumption} says what the answer takes for granted that no host profile
     * states ({@code assumed tmpfs: ...}, {@code assumes O_DIRECT works on ...}), or is null.
     * {@code effects} are what the open may do: one when the facts decide it, several when a
     * kernel or OpenZFS version is unknown. {@code flushes} says whether the storage under the
     * path honours flushes.
     */
    public record DirectIo(Optional<Boolean> supported, String reason, String assumption,
                           Set<Effect> effects, FlushHonesty flushes) {

        public DirectIo {
            effects = Set.copyOf(effects);
        }

        public DirectIo(Optional<Boolean> supported, String reason) {
            this(supported, reason, null);
        }

        public DirectIo(Optional<Boolean> supported, String reason, String assumption) {
            this(supported, reason, assumption, supported.isEmpty()
                    ? Set.of(Effect.DIRECT, Effect.REFUSED)
                    : Set.of(supported.get() ? Effect.DIRECT : Effect.REFUSED),
                    FlushHonesty.UNKNOWN);
        }

        DirectIo(String reason, String assumption, FlushHonesty flushes, Effect... effects) {
            this(supportedBy(effects), reason, assumption, Set.of(effects), flushes);
        }

        private static Optional<Boolean> supportedBy(Effect[] effects) {
            boolean refused = false;
            boolean opens = false;
            for (Effect e : effects) {
                refused |= e == Effect.REFUSED;
                opens |= e != Effect.REFUSED;
            }
            return refused && opens ? Optional.empty() : Optional.of(opens);
        }

        /** Whether O_DIRECT is known to open and bypass the host page cache safely. */
        public boolean gains() {
            return effects.size() == 1 && effects.contains(Effect.DIRECT);
        }

        /**
         * Whether direct writes corrupt data here: empty when that depends on an unknown kernel.
         */
        public Optional<Boolean> hazard() {
            if (!effects.contains(Effect.HAZARD)) {
                return Optional.of(false);
            }
            return effects.size() == 1 ? Optional.of(true) : Optional.empty();
        }

        /** Whether the filesystem is known to serve O_DIRECT from its own cache. */
        public boolean buffered() {
            return effects.size() == 1 && effects.contains(Effect.BUFFERED);
        }
    }

    /** What a probe (or the operator) found about O_DIRECT under a path. */
    record DirectIoProbe(String path, boolean supported) {
    }

    private final String kernel;
    private final String qemu;
    private final String openzfs;
    private final Long memoryBytes;
    private final List<Mount> mounts;
    private final List<DirectIoProbe> probes;
    private final List<Storage> storage;
    private final List<Image> images;
    private final Map<String, Long> sysctl;
    private final String profile;
    /**
     * The names of a profile's device costs ({@code costs:}), in the order the simulator's
     * DeviceCosts holds them; kept here so that reading a profile needs nothing of the simulator.
     */
    public static final java.util.List<String> COST_NAMES = java.util.List.of("submit-us", "copy-mbps",
            "device-latency-us", "read-latency-us", "device-mbps", "device-queue", "allocate-us", "writeout-us",
            "flush-us", "sync-contention", "qcow2-write-us", "qcow2-cluster-us", "qcow2-flush-us", "fua-us",
            "dispatch-us");

    private final Map<String, Double> costs;
    /** MemAvailable as probe read it from /proc/meminfo, or null; see {@link #withMemory}. */
    private Long memoryAvailableBytes;
    /** The memory the profile says the host's guests hold, or null; see {@link #withMemory}. */
    private Long guestsMemoryBytes;

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
        this(kernel, qemu, null, memoryBytes, mounts, probes, List.of(), List.of(), sysctl, costs,
                profile);
    }

    /**
     * @param openzfs the OpenZFS kernel module's version, or null
     * @param storage what the profile states per path beyond the filesystem
     * @param images  the image files whose allocation the profile states
     */
    public HostFacts(String kernel, String qemu, String openzfs, Long memoryBytes,
            List<Mount> mounts,
                     List<DirectIoProbe> probes, List<Storage> storage, List<Image> images,
                     Map<String, Long> sysctl, Map<String, Double> costs, String profile) {
        this.kernel = kernel;
        this.qemu = qemu;
        this.openzfs = openzfs;
        this.memoryBytes = memoryBytes;
        this.mounts = longestFirst(mounts, Mount::path);
        this.probes = longestFirst(probes, DirectIoProbe::path);
        this.storage = longestFirst(storage, Storage::path);
        this.images = List.copyOf(images);
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

    /** The OpenZFS kernel module's version ({@code /sys/module/zfs/version}). */
    public Optional<String> openzfs() {
        return Optional.ofNullable(openzfs);
    }

    /** What the profile states per path beyond the filesystem, longest path first. */
    List<Storage> storage() {
        return storage;
    }

    /** The image files whose allocation the profile states. */
    List<Image> images() {
        return images;
    }

    /** Whether the profile says the image at {@code path} is sparse: empty when it does not say. */
    public Optional<Boolean> sparse(String path) {
        for (Image i : images) {
            if (i.path().equals(path) && i.allocation() != null) {
                return Optional.of(i.allocation().equals("sparse"));
            }
        }
        return Optional.empty();
    }

    /** The virtual size the profile states for the image at {@code path}: empty when it does not say. */
    public Optional<Long> imageSize(String path) {
        for (Image i : images) {
            if (i.path().equals(path) && i.size() != null) {
                return Optional.of(i.size());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the profile's {@code costs:} state every device cost ({@link #COST_NAMES}), as
     * {@code probe --bench} writes them: the simulator's speeds are then on this host's measured
     * scale, not the built-in assumed one. A profile that states some costs only (written by
     * hand) keeps the built-in scale for the rest.
     */
    public boolean measuredCosts() {
        return costs.keySet().containsAll(COST_NAMES);
    }

    public Optional<Long> memoryBytes() {
        return Optional.ofNullable(memoryBytes);
    }

    /**
     * The host's {@code MemAvailable} (/proc/meminfo, Documentation/filesystems/proc.rst: an
     * estimate of the memory available for new work without swapping, the free and reclaimable
     * page cache), which the profile's {@code memory-available:} states: what the kernel's dirty
     * thresholds are shares of, approximately (mm/page-writeback.c global_dirtyable_memory).
     */
    public Optional<Long> memoryAvailableBytes() {
        return Optional.ofNullable(memoryAvailableBytes);
    }

    /** The memory the profile's {@code guests-memory:} says the host's guests hold together. */
    public Optional<Long> guestsMemoryBytes() {
        return Optional.ofNullable(guestsMemoryBytes);
    }

    /**
     * These facts with the memory a profile states beyond {@code memory:} (null where it states
     * none): kept apart from the constructors so that the keys stay optional everywhere.
     */
    public HostFacts withMemory(Long available, Long guests) {
        HostFacts h = new HostFacts(kernel, qemu, openzfs, memoryBytes, mounts, probes, storage, images, sysctl,
                costs, profile);
        h.memoryAvailableBytes = available;
        h.guestsMemoryBytes = guests;
        return h;
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

    /**
     * The mount whose filesystem holds a path's data: {@link #mountOf}, or for an overlay whose
     * {@code upperdir=} another mount holds, that mount (a written file lives in the upper layer
     * after copy-up, as {@link #directIo} resolves it).
     */
    public Optional<Mount> filesystemOf(String path) {
        Optional<Mount> mount = mountOf(path);
        for (int depth = 0; depth < 4 && mount.isPresent() && mount.get().fstype().equals("overlay"); depth++) {
            String upper = mount.get().optionValue("upperdir");
            if (upper == null || !upper.startsWith("/")) {
                break;
            }
            String rest = mount.get().path().equals("/") ? path : path.substring(mount.get().path().length());
            Optional<Mount> up = mountOf(upper + rest);
            if (up.isEmpty() || up.get().path().equals(mount.get().path())) {
                break;
            }
            path = upper + rest;
            mount = up;
        }
        return mount;
    }

    private static boolean under(String path, String prefix) {
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        return path.equals(prefix) || path.startsWith(p) || prefix.equals("/");
    }

    /**
     * The stated value of one storage field for a path: from the longest path that is a prefix of
     * it and states the field, or null.
     */
    <T> T storage(String path, java.util.function.Function<Storage, T> field) {
        Storage st = stating(path, field);
        return st == null ? null : field.apply(st);
    }

    /** The entry that decides a storage field for a path, or null. */
    private Storage stating(String path, java.util.function.Function<Storage, ?> field) {
        for (Storage st : storage) {
            if (under(path, st.path()) && field.apply(st) != null) {
                return st;
            }
        }
        return null;
    }

    /** The profile as named in a reason: "the host profile FILE" or "no host profile". */
    private String profileName() {
        return profile == null ? "no host profile" : "the host profile " + profile;
    }

    private String says() {
        return profile == null ? "the host profile" : "the host profile " + profile;
    }

    /** Whether a host path can be opened with O_DIRECT, and what it does there (domain.md section
     * 3). */
    public DirectIo directIo(String path) {
        return directIo(path, 0);
    }

    private DirectIo directIo(String path, int depth) {
        Optional<Mount> mount = mountOf(path);
        FlushHonesty flushes = flushes(path, mount.orElse(null));
        for (DirectIoProbe probe : probes) {
            if (under(path, probe.path())) {
                return new DirectIo(path + " is under " + probe.path() + ", where the host profile"
                        + (profile == null ? "" : " " + profile) + " says O_DIRECT "
                        + (probe.supported() ? "works" : "is refused"), null, flushes,
                        probe.supported() ? Effect.DIRECT : Effect.REFUSED);
            }
        }
        if (mount.isEmpty()) {
            return new DirectIo("no profile entry says otherwise", "assumes O_DIRECT works on "
                    + path
                    + ": " + (profile == null ? "no host profile"
                            : "the host profile " + profile + " has no mount for it"),
                    flushes, Effect.DIRECT);
        }
        String fs = mount.get().fstype();
        String assumed = !mount.get().assumed() ? null : "assumed " + fs + ": "
                + (profile == null ? "no host profile" : "the host profile " + profile + " does not")
                + " say" + (profile == null ? "s" : "") + " what " + mount.get().path() + " is";
        String where = path + " is on " + fs + " (" + (assumed == null ? mount.get().path() : assumed) + ")";
        // fuse.sshfs, fuse.glusterfs: FUSE with the daemon's name (proc.rst, mountinfo field 9).
        String base = fs.startsWith("fuse.") ? "fuse" : fs;
        switch (base) {
            case "ramfs":
                // fs/ramfs/file-mmu.c: ramfs_aops has no direct_IO, so do_dentry_open refuses it.
                return new DirectIo(where + ", and ramfs refuses O_DIRECT on every kernel", assumed,
                        flushes, Effect.REFUSED);
            case "tmpfs":
                // "tmpfs: trivial support for direct IO" (Hugh Dickins, vfs.tmpfs, 2023-08):
                // shmem_file_open sets FMODE_CAN_ODIRECT. Merged for 6.6 by the branch and date;
                // the commit id and tag are unconfirmed. The open then works, but the file's
                // data stays in the kernel's caches ("tmpfs puts everything into the kernel
                // internal caches", Documentation/filesystems/tmpfs.rst): nothing to bypass.
                switch (kernelHas("6.6")) {
                    case UNKNOWN:
                        return new DirectIo(where + "; tmpfs supports O_DIRECT only from Linux 6.6"
                                + " and the host kernel is unknown (give a host profile)", assumed,
                                flushes, Effect.BUFFERED, Effect.REFUSED);
                    case MAYBE:
                        return maybe(where + ", and tmpfs refuses O_DIRECT before Linux 6.6",
                                assumed, "tmpfs: trivial support for direct IO", flushes,
                                Effect.BUFFERED, Effect.REFUSED);
                    case BEFORE:
                        return new DirectIo(where + ", and tmpfs refuses O_DIRECT before Linux 6.6"
                                + " (host kernel " + kernel + ")", assumed, flushes,
                                Effect.REFUSED);
                    default:
                        return new DirectIo(where + ", which supports O_DIRECT since Linux 6.6"
                                + " but keeps the file in memory anyway: cache='none' gains"
                                + " nothing", assumed, flushes, Effect.BUFFERED);
                }
            case "btrfs":
                return btrfs(path, mount.get(), where, flushes);
            case "zfs":
                return zfs(path, where, flushes);
            case "fuse", "fuseblk":
                return fuse(where, flushes);
            case "virtiofs":
                // The guest side of virtiofs is the FUSE client (fs/fuse/virtio_fs.c), which takes
                // O_DIRECT (fuse_direct_IO, Linux 3.4+) and skips this machine's page cache. On
                // the outer host virtiofsd resets O_DIRECT on open unless started with
                // allow_direct_io (QEMU's C virtiofsd, 2020; Rust virtiofsd: default false).
                return new DirectIo(where + ", whose FUSE client takes O_DIRECT and skips this"
                        + " machine's page cache (fuse_direct_IO); virtiofsd on the outer host"
                        + " drops O_DIRECT unless started with allow_direct_io, so that host still"
                        + " caches the data", assumed, flushes, Effect.DIRECT);
            case "9p":
                return nineP(mount.get(), where, assumed, flushes);
            case "overlay":
                return overlay(path, mount.get(), where, flushes, depth);
            default:
                // Only a filesystem known to take O_DIRECT is a stated fact (TAKES_ODIRECT); any
                // other (vboxsf, cifs, exfat, ...) is assumed to, which is not a refusal.
                return new DirectIo(where, assumed != null || TAKES_ODIRECT.contains(base)
                        ? assumed : "assumes O_DIRECT works on " + path + ": fstype " + fs
                        + " is not known to take it", flushes, Effect.DIRECT);
        }
    }

    /**
     * 9p: the client's cache= mount option decides (fs/9p/v9fs.c, fs/9p/vfs_file.c
     * v9fs_file_open): with none, the default, the client caches nothing, so O_DIRECT has nothing
     * to bypass; with loose, fscache or mmap it uses this machine's page cache, which O_DIRECT
     * skips (v9fs_direct_IO, implemented in the 4.1 cycle, commit 9565a544). QEMU's 9p server
     * strips O_DIRECT (hw/9pfs/9p.c get_dotl_openflags: "Ignore direct disk access hint until
     * the server supports it"), so the outer host caches the data either way.
     */
    private static DirectIo nineP(Mount mount, String where, String assumed,
            FlushHonesty flushes) {
        String server = "; QEMU's 9p server strips O_DIRECT, so the outer host caches the data";
        if (mount.options() == null) {
            return new DirectIo(where + ": whether O_DIRECT skips a cache here depends on the"
                    + " cache= mount option (none caches nothing), which the host profile does"
                    + " not give" + server, assumed, flushes, Effect.DIRECT, Effect.BUFFERED);
        }
        String cache = mount.optionValue("cache");
        if (cache == null || cache.equals("none")) {
            return new DirectIo(where + " with cache=none" + (cache == null ? " (the default)" : "")
                    + ": the client caches nothing, so cache='none' gains nothing" + server,
                    assumed, flushes, Effect.BUFFERED);
        }
        if (cache.equals("loose") || cache.equals("fscache") || cache.equals("mmap")) {
            return new DirectIo(where + " with cache=" + cache + ", whose page cache O_DIRECT"
                    + " skips (v9fs_direct_IO)" + server, assumed, flushes, Effect.DIRECT);
        }
        return new DirectIo(where + " with cache=" + cache + ", a mode virtlint does not know"
                + server, assumed, flushes, Effect.DIRECT, Effect.BUFFERED);
    }

    /** How the host kernel stands to a change merged for a mainline version. */
    private enum Fix { BEFORE, AFTER, UNKNOWN, MAYBE }

    /**
     * Whether the host kernel has a change merged for mainline {@code version}: AFTER from that
     * version on, UNKNOWN without a kernel, MAYBE for an older kernel that may carry a backport
     * (a distribution's, with a suffix after the version such as "6.12.0-55.el10" or
     * "5.14.21-150500.55-default": RHEL and SUSE backport filesystem fixes; or a stable release
     * of one of {@code series}, to which a backport was posted), BEFORE otherwise.
     */
    private Fix kernelHas(String version, String... series) {
        if (kernel == null) {
            return Fix.UNKNOWN;
        }
        String number = numericPrefix(kernel);
        if (GuestTable.compare(number, version) >= 0) {
            return Fix.AFTER;
        }
        if (!kernel.equals(number)) {
            return Fix.MAYBE;
        }
        for (String s : series) {
            if (number.startsWith(s + ".") && !number.equals(s + ".0")) {
                return Fix.MAYBE;
            }
        }
        return Fix.BEFORE;
    }

    /**
     * A kernel older than a fix that may carry a backport of {@code change}: both outcomes, and
     * the assumption (the mount's, or that there is no backport).
     */
    private DirectIo maybe(String reason, String assumption, String change, FlushHonesty flushes,
            Effect... effects) {
        boolean distribution = !kernel.equals(numericPrefix(kernel));
        String noBackport = "assumes host kernel " + kernel + " has no backport of " + change + ": "
                + (distribution ? "a distribution kernel is not judged by its mainline number"
                        : "a backport to its stable series was posted, whether it was merged is"
                        + " unconfirmed");
        return new DirectIo(reason + " (host kernel " + kernel + ", which may carry a backport)",
                assumption != null ? assumption : noBackport, flushes, effects);
    }

    /** Two answers an assumption decides between: their effects together. */
    private static DirectIo either(String reason, String assumption, FlushHonesty flushes,
            DirectIo a, DirectIo b) {
        java.util.Set<Effect> all = java.util.EnumSet.noneOf(Effect.class);
        all.addAll(a.effects());
        all.addAll(b.effects());
        return new DirectIo(reason, assumption, flushes, all.toArray(new Effect[0]));
    }

    /**
     * Filesystems whose regular files take O_DIRECT on every kernel in use (fs/open.c
     * do_dentry_open: FMODE_CAN_ODIRECT, set by the filesystem's open or by an address space with
     * direct_IO): ext4 (ext4_file_open; ext3 and ext2 mounts are served by the ext4 driver unless
     * ext2's own is built, whose ext2_file_open sets it too), xfs (xfs_file_open; before commit
     * a2ad63daa88b both had .direct_IO = noop_direct_IO), nfs and nfs4 (fs/nfs/file.c
     * nfs_file_open and fs/nfs/nfs4file.c nfs4_file_open; fs/nfs/direct.c), f2fs
     * (f2fs_file_open).
     */
    private static final Set<String> TAKES_ODIRECT =
            Set.of("ext4", "ext3", "ext2", "xfs", "nfs", "nfs4", "f2fs");

    /**
     * btrfs takes O_DIRECT on every file (commit 4b46fce23349, 2010). On a file with data
     * checksums (datacow, the default) a direct write whose buffer the guest changes in flight
     * leaves a checksum that no longer matches: later reads fail with EIO (Proxmox pve-docs
     * pve-storage-btrfs.adoc: "VMs should not use cache mode none, otherwise there will be
     * checksum errors"). Linux 6.15 falls back to buffered writes for such files (commit
     * 968f19c5b1b7, fs/btrfs/direct-io.c btrfs_direct_write; not in 6.14: the stable bot's
     * "[PATCH 6.12.y] btrfs: always fallback..." on stable@vger, 2025-05-08, found it in no
     * 6.14.y). Backports to 6.12.y and 6.6.y were posted in May 2025; Qu Wenruo wrote on
     * linux-btrfs (2026-02) that 6.12 does not have it; later stable releases are unconfirmed, so
     * those series and distribution kernels get both outcomes ({@link #kernelHas}). A nocow file
     * (its own chattr +C, FS_NOCOW_FL) has no checksums and gets real direct I/O, except on a data
     * profile with copies (dup, raid1*, raid10, raid5/6): there a changed buffer leaves the
     * copies different, and commit 7c2830f00c3e (committed 2026-02-03, after 6.19, so 7.0; an
     * AUTOSEL for 6.12 to 6.19 was posted, merged unconfirmed) makes those buffered too. The
     * nodatacow and nodatasum mount options apply only to files created while they are in force
     * (Documentation/filesystems/btrfs.txt; commits a258af7a3e39, d399167d88ea), so they only
     * suggest that an image is nocow.
     */
    private DirectIo btrfs(String path, Mount mount, String where, FlushHonesty flushes) {
        Boolean nocow = storage(path, Storage::nocow);
        if (nocow == null && (mount.option("nodatacow") || mount.option("nodatasum"))) {
            String option = mount.option("nodatacow") ? "nodatacow" : "nodatasum";
            DirectIo without = nocowFile(path, where + ", mounted with " + option, flushes);
            DirectIo with = checksummed(path, where, null, flushes);
            return either(where + ", mounted with " + option + ", which applies only to files"
                    + " created under it: if " + path + " was, " + without.reason()
                    + "; if not, " + with.reason(), "assumes " + path + " was created after the"
                    + " mount option " + option + " was set: " + profileName() + " states no"
                    + " nocow attribute for the image", flushes, without, with);
        }
        Storage entry = stating(path, Storage::nocow);
        if (Boolean.TRUE.equals(nocow) && !entry.path().equals(path)) {
            // A directory's chattr +C is inherited only by files created in it afterwards
            // (btrfs_inherit_iflags; btrfs(5): the flag can be set only on empty files), so it
            // says nothing certain of an image that may have been there before, or moved in.
            DirectIo without = nocowFile(path, where + ", in " + entry.path() + ", which the host"
                    + " profile states nocow", flushes);
            DirectIo with = checksummed(path, where, null, flushes);
            return either(where + ": " + entry.path() + " is nocow, which a file inherits only"
                    + " when created in it: if " + path + " was, " + without.reason()
                    + "; if not, " + with.reason(), "assumes " + path + " was created in "
                    + entry.path() + " after its nocow attribute was set: " + profileName()
                    + " states it for the directory, not the image", flushes, without, with);
        }
        if (Boolean.TRUE.equals(nocow)) {
            return nocowFile(path, where + ", without data checksums (nocow, from the host"
                    + " profile)", flushes);
        }
        return checksummed(path, where, nocow, flushes);
    }

    /** A btrfs file without data checksums: direct, unless its data profile keeps copies. */
    private DirectIo nocowFile(String path, String nocowWhere, FlushHonesty flushes) {
        String data = storage(path, Storage::btrfsData);
        if (data != null && (data.equals("single") || data.equals("raid0"))) {
            return new DirectIo(nocowWhere + " on a " + data + " data profile", null, flushes,
                    Effect.DIRECT);
        }
        String profileText = data == null ? "a data profile with copies (dup, raid1*, raid10,"
                + " raid5/6)" : "a " + data + " data profile";
        String what = nocowWhere + " on " + profileText + ": a direct write whose buffer changes"
                + " in flight leaves its copies different";
        DirectIo copies;
        // The AUTOSEL for 7c2830f00c3e was posted for 6.12 to 6.19.
        switch (kernelHas("7.0", "6.12", "6.13", "6.14", "6.15", "6.16", "6.17", "6.18", "6.19")) {
            case UNKNOWN:
                copies = new DirectIo(what + " before Linux 7.0, which buffers such writes (commit"
                        + " 7c2830f00c3e); the host kernel is unknown", null, flushes,
                        Effect.HAZARD, Effect.BUFFERED);
                break;
            case MAYBE:
                copies = maybe(what + " before Linux 7.0 (commit 7c2830f00c3e buffers them)", null,
                        "commit 7c2830f00c3e", flushes, Effect.HAZARD, Effect.BUFFERED);
                break;
            case BEFORE:
                copies = new DirectIo(what + " (host kernel " + kernel + "; Linux 7.0 buffers"
                        + " such writes, commit 7c2830f00c3e)", null, flushes, Effect.HAZARD);
                break;
            default:
                copies = new DirectIo(nocowWhere + " on " + profileText + ", where Linux 7.0"
                        + " buffers direct writes (commit 7c2830f00c3e; host kernel " + kernel
                        + ")", null, flushes, Effect.BUFFERED);
        }
        if (data != null) {
            return copies;
        }
        DirectIo single = new DirectIo(nocowWhere + " on a single or raid0 data profile", null,
                flushes, Effect.DIRECT);
        return either(single.reason() + "; " + copies.reason(), "assumes single or raid0 data"
                + " under " + path + ": " + profileName() + " states no btrfs-data for it",
                flushes, single, copies);
    }

    /** A btrfs file with data checksums: a hazard before Linux 6.15, buffered from 6.15. */
    private DirectIo checksummed(String path, String where, Boolean nocow, FlushHonesty flushes) {
        String assumption = nocow != null ? null : "assumes " + path + " has data checksums (btrfs'"
                + " default): " + profileName() + " states no nocow attribute for it";
        String csum = where + ", with data checksums ("
                + (nocow == null ? "btrfs' default" : "nocow: false") + ")";
        switch (kernelHas("6.15", "6.6", "6.12")) {
            case UNKNOWN:
                return new DirectIo(csum
                        + ": direct writes whose buffer changes in flight break the checksums"
                        + " before Linux 6.15 and are buffered from 6.15 (commit 968f19c5b1b7); the"
                        + " host kernel is unknown", assumption, flushes, Effect.HAZARD,
                        Effect.BUFFERED);
            case MAYBE:
                return maybe(csum + ": direct writes whose buffer changes in flight break the"
                        + " checksums before Linux 6.15 (commit 968f19c5b1b7 buffers them)",
                        assumption, "commit 968f19c5b1b7", flushes, Effect.HAZARD,
                        Effect.BUFFERED);
            case BEFORE:
                return new DirectIo(csum
                        + ": direct writes whose buffer changes in flight break the checksums"
                        + " and later reads fail (host kernel " + kernel + "; Linux 6.15 buffers"
                        + " them instead, commit 968f19c5b1b7)", assumption, flushes,
                        Effect.HAZARD);
            default:
                return new DirectIo(csum
                        + ", where Linux 6.15 buffers direct writes (commit 968f19c5b1b7; host"
                        + " kernel " + kernel + "): cache='none' gains nothing", assumption,
                        flushes, Effect.BUFFERED);
        }
    }

    /**
     * OpenZFS: up to 0.7 zpl_address_space_operations has no direct_IO (EINVAL); 0.8 to 2.2 take
     * O_DIRECT and serve it through the ARC (PR #7823, zpl_direct_IO calls zpl_iter_write); 2.3
     * honours it per the dataset's {@code direct} property (PR #10018, zfsprops(7): disabled
     * "causes the O_DIRECT flag to be silently ignored"; the default is standard). The
     * {@code direct} property exists only from 2.3, so stating it states the version. 2.3 also
     * verifies the checksum of each direct write (zfs(4) zfs_vdev_direct_write_verify, 1 by
     * default on Linux: "if the checksum is not valid then the I/O operation will return EIO"),
     * so a write whose buffer the guest changes in flight fails, as on btrfs (the test
     * tests/zfs-tests/tests/functional/direct/dio_write_verify.ksh does exactly that): a hazard
     * as long as the guest may do it, which nothing in a profile states.
     */
    private DirectIo zfs(String path, String where, FlushHonesty flushes) {
        String direct = storage(path, Storage::zfsDirect);
        Integer vs08 = openzfs == null ? null : GuestTable.compare(numericPrefix(openzfs), "0.8");
        Integer vs23 = null;
        if (openzfs != null) {
            vs23 = GuestTable.compare(numericPrefix(openzfs), "2.3");
        } else if (direct != null) {
            vs23 = 1; // the direct property exists only from 2.3
        }
        String version = openzfs == null ? "" : " (OpenZFS " + openzfs + ")";
        if (vs23 == null) {
            return new DirectIo(where
                    + ": OpenZFS refuses O_DIRECT up to 0.7, ignores it from 0.8 to 2.2"
                    + " and honours it from 2.3; the OpenZFS version is unknown (openzfs: in the"
                    + " host"
                    + " profile)", null, flushes, Effect.REFUSED, Effect.BUFFERED, Effect.DIRECT);
        }
        if (vs08 != null && vs08 < 0) {
            return new DirectIo(where + ", and OpenZFS before 0.8 refuses O_DIRECT" + version, null,
                    flushes, Effect.REFUSED);
        }
        if (vs23 < 0) {
            return new DirectIo(where
                    + ", where OpenZFS 0.8 to 2.2 accept O_DIRECT and serve it through"
                    + " the ARC" + version + ": cache='none' gains nothing", null, flushes,
                    Effect.BUFFERED);
        }
        if ("disabled".equals(direct)) {
            return new DirectIo(where + ", whose dataset has direct=disabled: O_DIRECT is silently"
                    + " ignored" + version + ", so cache='none' gains nothing", null, flushes,
                    Effect.BUFFERED);
        }
        return new DirectIo(where + ", where OpenZFS 2.3 bypasses the ARC for O_DIRECT (direct="
                + (direct == null ? "standard, the default" : direct) + ")" + version
                + " and verifies each direct write's checksum (zfs_vdev_direct_write_verify):"
                + " a write whose buffer the guest changes in flight fails with EIO", null,
                flushes, Effect.HAZARD, Effect.DIRECT);
    }

    /**
     * FUSE refused O_DIRECT until Linux 3.4 (commit 4273b793ec68 "fuse: O_DIRECT support for
     * files", merged 2012-04; the tag is inferred from the date); since then it bypasses the FUSE
     * client's cache, and what the daemon does with the data is its own business. A distribution
     * kernel older than 3.4 may carry a backport ({@link #kernelHas}).
     */
    private DirectIo fuse(String where, FlushHonesty flushes) {
        switch (kernelHas("3.4")) {
            case UNKNOWN:
                return new DirectIo(where
                        + "; FUSE takes O_DIRECT only from Linux 3.4 and the host kernel is"
                        + " unknown (give a host profile)", null, flushes, Effect.DIRECT,
                        Effect.REFUSED);
            case MAYBE:
                return maybe(where + ", and FUSE refuses O_DIRECT before Linux 3.4", null,
                        "commit 4273b793ec68", flushes, Effect.DIRECT, Effect.REFUSED);
            case BEFORE:
                return new DirectIo(where + ", and FUSE refuses O_DIRECT before Linux 3.4 (host"
                        + " kernel " + kernel + ")", null, flushes, Effect.REFUSED);
            default:
                return new DirectIo(where
                        + ", where O_DIRECT bypasses the FUSE client's cache (Linux 3.4+)",
                        null, flushes, Effect.DIRECT);
        }
    }

    /**
     * overlayfs opens the real file with the caller's flags (ovl_open; since 4.19 the overlay
     * inode's a_ops has noop_direct_IO), so O_DIRECT does what it does on the upper filesystem,
     * where a written image lives after copy-up. That filesystem is the mount holding the
     * {@code upperdir=} option's path, and its flushes are the ones that count.
     */
    private DirectIo overlay(String path, Mount mount, String where, FlushHonesty flushes,
            int depth) {
        String upper = mount.optionValue("upperdir");
        if (upper == null || upper.isEmpty() || !upper.startsWith("/") || depth > 4) {
            return new DirectIo(where
                    + ", which does with O_DIRECT what its upper filesystem does; the"
                    + " host profile does not give its upperdir option", null, flushes,
                    Effect.DIRECT, Effect.REFUSED);
        }
        String rest = mount.path().equals("/") ? path : path.substring(mount.path().length());
        // Inside a container, upperdir names a path of the host's mount namespace, which this
        // profile's mounts may not hold: resolved only when another mount holds it.
        Optional<Mount> upperMount = mountOf(upper + rest);
        if (upperMount.isEmpty() || upperMount.get().path().equals(mount.path())) {
            return new DirectIo(where
                    + ", which does with O_DIRECT what its upper filesystem does; no"
                    + " mount of the host profile holds its upperdir " + upper, null, flushes,
                    Effect.DIRECT, Effect.REFUSED);
        }
        DirectIo real = directIo(upper + rest, depth + 1);
        // A profile's flushes: for the overlay's own path still decides; otherwise the upper
        // layer's storage does.
        FlushHonesty stated = stating(path, Storage::flushes) != null ? flushes : real.flushes();
        return new DirectIo(real.supported(), where + ", whose upper layer decides: "
                + real.reason(),
                real.assumption(), real.effects(), stated);
    }

    /**
     * Whether flushes under a path reach stable storage, from what the profile states.
     * <ul>
     * <li>tmpfs and ramfs keep files in memory only: their fsync is noop_fsync (mm/shmem.c
     * shmem_file_operations, fs/ramfs/file-mmu.c), and a host crash or power loss loses all of
     * it; only a stated mount counts (the built-in /run may hold links to shared storage).</li>
     * <li>ZFS {@code sync=disabled}: zfs_fsync (module/zfs/zfs_vnops.c) skips zil_commit and
     * returns 0, so acknowledged writes wait in memory for their transaction group. A group stays
     * open up to zfs_txg_timeout (5 s by default, module/zfs/txg.c), and its data is stable only
     * once it has been quiesced and synced (txg.c: open, quiescing, syncing): up to about two
     * intervals plus the sync time. The model takes two intervals, a lower bound when the pool
     * syncs slowly.</li>
     * <li>An NFS {@code async} export: nfsd_commit (fs/nfsd/vfs.c) skips vfs_fsync_range unless
     * EX_ISSYNC, so the server's memory holds acknowledged data (assumed: until its Linux
     * defaults write it back, dirty_expire_centisecs 30 s plus dirty_writeback_centisecs 5 s). A
     * client cannot see the export options, so sync (the default since nfs-utils 1.0.0) is
     * assumed when none are stated.</li>
     * <li>ext3/ext4 {@code nobarrier} or {@code barrier=0} (fs/ext4/super.c ext4_param_specs) and
     * btrfs {@code nobarrier} send no cache flushes; XFS {@code nobarrier} did so before Linux 4.10
     * (commit 4cf4573d899c made it a no-op).</li>
     * </ul>
     */
    FlushHonesty flushes(String path, Mount mount) {
        Storage entry = stating(path, Storage::flushes);
        String stated = entry == null ? null : entry.flushes();
        if ("yes".equals(stated)) {
            return new FlushHonesty(Optional.of(true), says() + " says the storage under "
                    + entry.path()
                    + " honours flushes", null, 0);
        }
        if ("no".equals(stated)) {
            return new FlushHonesty(Optional.of(false), says() + " says the storage under "
                    + entry.path()
                    + " does not honour flushes", null, 0);
        }
        String fs = mount == null ? "" : mount.fstype();
        if ((fs.equals("tmpfs") || fs.equals("ramfs")) && !mount.assumed()) {
            return new FlushHonesty(Optional.of(false), path + " is on " + fs + ", which keeps"
                    + " files in memory only (its fsync is noop_fsync): a host crash or power"
                    + " loss loses everything written to it", null, Double.POSITIVE_INFINITY,
                    Volatile.HOST_MEMORY);
        }
        if (fs.equals("zfs") && "disabled".equals(storage(path, Storage::zfsSync))) {
            return new FlushHonesty(Optional.of(false), "the ZFS dataset holding " + path + " has"
                    + " sync=disabled: fsync returns before anything is written, and acknowledged"
                    + " writes wait in memory until their transaction group is synced (a group"
                    + " stays open up to zfs_txg_timeout, 5 s by default, then is quiesced and"
                    + " synced: about 10 s, more on a slow pool)",
                    null, 10, Volatile.HOST_MEMORY);
        }
        if (fs.equals("nfs") || fs.equals("nfs4")) {
            String export = storage(path, Storage::export);
            if (export == null) {
                return new FlushHonesty(Optional.empty(), null, "assumes the NFS server exports "
                        + mount.path()
                        + " with sync (exports(5)'s default): a client cannot see the"
                        + " export options", 0);
            }
            if (java.util.Arrays.asList(export.split(",")).contains("async")) {
                return new FlushHonesty(Optional.of(false), "the NFS server exports " + mount.path()
                        + " with async: it acknowledges COMMIT before the data is on stable storage"
                        + " (exports(5), nfsd_commit), and holds it in its memory (assumed: 35 s,"
                        + " the Linux writeback defaults)", null, 35, Volatile.SERVER);
            }
        }
        if (mount != null && (fs.equals("ext4") || fs.equals("ext3") || fs.equals("btrfs"))
                && (mount.option("nobarrier") || "0".equals(mount.optionValue("barrier")))) {
            return new FlushHonesty(Optional.of(false), mount.path() + " is mounted with "
                    + (mount.option("nobarrier") ? "nobarrier" : "barrier=0") + ": " + fs
                    + " sends the device no cache flushes", null, 0);
        }
        if (fs.equals("xfs") && mount.option("nobarrier")) {
            Fix fix = kernelHas("4.10");
            if (fix == Fix.BEFORE) {
                return new FlushHonesty(Optional.of(false), mount.path() + " is mounted with"
                        + " nobarrier: XFS before Linux 4.10 sends the device no cache flushes"
                        + " (host kernel " + kernel + ")", null, 0);
            }
            if (fix != Fix.AFTER) {
                return new FlushHonesty(Optional.of(false), mount.path() + " is mounted with"
                        + " nobarrier: XFS sends the device no cache flushes before Linux 4.10,"
                        + " which ignores the option (commit 4cf4573d899c)", "assumes nobarrier"
                        + " disables flushes on " + mount.path() + ": the host kernel"
                        + (kernel == null ? " is unknown" : " " + kernel + " may be 4.10 or"
                        + " carry the change"), 0);
            }
        }
        if ("write through".equals(storage(path, Storage::writeCache))) {
            return new FlushHonesty(Optional.empty(), null, "assumes the device under " + path
                    + " has no volatile cache: its queue/write_cache says write through, so the"
                    + " kernel"
                    + " sends it no flushes", 0);
        }
        return FlushHonesty.UNKNOWN;
    }

    private static String numericPrefix(String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[0-9]+(\\.[0-9]+)*").matcher(version);
        return m.find() ? m.group() : "0";
    }
}
