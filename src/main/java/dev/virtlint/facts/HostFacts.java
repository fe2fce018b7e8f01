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
 * ({@link Mount#assumed()}) and everything else is unknown. The filesystem cases follow the
 * research of issue 18 (/work/research/i18-filesystems.md), cited at each case.
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
     * An image file a host profile lists, and whether its space is allocated: {@code sparse} or
     * {@code preallocated} ({@code probe IMAGE} reads it from {@code qemu-img info}).
     */
    record Image(String path, String allocation) {
    }

    /**
     * What an O_DIRECT open does on a path (research: /work/research/i18-filesystems.md):
     * {@code DIRECT} opens and bypasses the host page cache; {@code BUFFERED} opens, but the
     * filesystem serves the I/O from its own cache (no double-caching gain, no harm);
     * {@code HAZARD} opens, and direct writes whose buffer changes in flight corrupt data (btrfs
     * checksums before Linux 6.15); {@code REFUSED} fails with EINVAL: QEMU does not start.
     */
    public enum Effect { DIRECT, BUFFERED, HAZARD, REFUSED }

    /**
     * Whether flushes on a path reach stable storage: {@code honoured} is empty when unknown.
     * {@code assumption} says what an unknown answer is taken to be ("assumes the NFS server
     * exports with sync ..."), or is null. {@code commitSeconds} is how long data written without
     * an honoured flush stays volatile at most (ZFS' transaction group timeout), 0 when the
     * device's own destage time applies.
     */
    public record FlushHonesty(Optional<Boolean> honoured, String reason, String assumption,
                               double commitSeconds) {

        static final FlushHonesty UNKNOWN = new FlushHonesty(Optional.empty(), null, null, 0);

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
            if (i.path().equals(path)) {
                return Optional.of(i.allocation().equals("sparse"));
            }
        }
        return Optional.empty();
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
                // Commit e88e0d366f9c "tmpfs: trivial support for direct IO" (vfs.tmpfs, merged
                // for 6.6): shmem_file_open sets FMODE_CAN_ODIRECT.
                if (kernel == null) {
                    return new DirectIo(where + "; tmpfs supports O_DIRECT only from Linux 6.6"
                            + " and the host kernel is unknown (give a host profile)", assumed,
                            flushes,
                            Effect.DIRECT, Effect.REFUSED);
                }
                if (GuestTable.compare(numericPrefix(kernel), "6.6") < 0) {
                    return new DirectIo(where + ", and tmpfs refuses O_DIRECT before Linux 6.6"
                            + " (host kernel " + kernel + ")", assumed, flushes, Effect.REFUSED);
                }
                return new DirectIo(where + ", which supports O_DIRECT since Linux 6.6", assumed,
                        flushes, Effect.DIRECT);
            case "btrfs":
                return btrfs(path, mount.get(), where, flushes);
            case "zfs":
                return zfs(path, where, flushes);
            case "fuse", "fuseblk":
                return fuse(where, flushes);
            case "virtiofs", "9p":
                // QEMU hw/9pfs/9p.c get_dotl_openflags: "Ignore direct disk access hint until the
                // server supports it", flags &= ~O_DIRECT. virtiofsd resets O_DIRECT on open unless
                // started with allow_direct_io (C virtiofsd, 2020; Rust virtiofsd: default false).
                return new DirectIo(where + ", whose server opens the file without O_DIRECT ("
                        + (base.equals("9p") ? "QEMU's 9p server strips it"
                                : "virtiofsd drops it unless started with allow_direct_io")
                        + "): the I/O is buffered on the outer host, so cache='none' gains nothing",
                        assumed, flushes, Effect.BUFFERED);
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

    /** The kernel compared with a mainline version, or null when the kernel is unknown. */
    private Integer kernelVs(String version) {
        return kernel == null ? null : GuestTable.compare(numericPrefix(kernel), version);
    }

    /**
     * btrfs takes O_DIRECT on every file (commit 4b46fce23349, 2010). On a file with data
     * checksums (datacow, the default) a direct write whose buffer the guest changes in flight
     * leaves a checksum that no longer matches: later reads fail with EIO (Proxmox pve-docs
     * pve-storage-btrfs.adoc: "VMs should not use cache mode none, otherwise there will be
     * checksum errors"). Linux 6.15 falls back to buffered writes for such files (commit
     * 968f19c5b1b7, fs/btrfs/direct-io.c btrfs_direct_write; not in 6.14, and not backported to
     * 6.12 per Qu Wenruo on linux-btrfs, 2026-02: a distribution kernel is judged by its mainline
     * number). A nocow file (chattr +C, or the nodatacow mount option) has no checksums and gets
     * real direct I/O, except on a data profile with copies (dup, raid1*, raid10, raid5/6): there
     * a changed buffer leaves the copies different, and commit 7c2830f00c3e (after 6.19, so 7.0)
     * makes those buffered too.
     */
    private DirectIo btrfs(String path, Mount mount, String where, FlushHonesty flushes) {
        Boolean nocow = storage(path, Storage::nocow);
        String nocowSource = "the host profile";
        if (nocow == null && (mount.option("nodatacow") || mount.option("nodatasum"))) {
            nocow = true;
            nocowSource = "the mount option " + (mount.option("nodatacow") ? "nodatacow"
                    : "nodatasum");
        }
        if (Boolean.TRUE.equals(nocow)) {
            String data = storage(path, Storage::btrfsData);
            boolean copies = data != null && !data.equals("single") && !data.equals("raid0");
            String nocowWhere = where + ", without data checksums (nocow, from " + nocowSource
                    + ")";
            if (!copies) {
                String on = data == null ? "" : " on a " + data + " data profile";
                return new DirectIo(nocowWhere + on, null, flushes, Effect.DIRECT);
            }
            Integer vs = kernelVs("7.0");
            String what = nocowWhere + " on a " + data + " data profile: a direct write whose"
                    + " buffer changes in flight leaves its copies different";
            if (vs == null) {
                return new DirectIo(what + " before Linux 7.0, which buffers such writes (commit"
                        + " 7c2830f00c3e); the host kernel is unknown", null, flushes,
                        Effect.HAZARD, Effect.BUFFERED);
            }
            if (vs < 0) {
                return new DirectIo(what + " (host kernel " + kernel + "; Linux 7.0 buffers such"
                        + " writes, commit 7c2830f00c3e)", null, flushes, Effect.HAZARD);
            }
            return new DirectIo(nocowWhere + " on a " + data + " data profile, where Linux 7.0"
                    + " buffers direct writes (commit 7c2830f00c3e; host kernel " + kernel + ")",
                    null, flushes, Effect.BUFFERED);
        }
        String assumption = nocow != null ? null : "assumes " + path + " has data checksums (btrfs'"
                + " default): " + profileName() + " states no nocow attribute for it";
        String csum = where + ", with data checksums ("
                + (nocow == null ? "btrfs' default" : "nocow: false") + ")";
        Integer vs = kernelVs("6.15");
        if (vs == null) {
            return new DirectIo(csum
                    + ": direct writes whose buffer changes in flight break the checksums"
                    + " before Linux 6.15 and are buffered from 6.15 (commit 968f19c5b1b7); the"
                    + " host kernel is unknown", assumption, flushes, Effect.HAZARD, Effect.BUFFERED);
        }
        if (vs < 0) {
            return new DirectIo(csum
                    + ": direct writes whose buffer changes in flight break the checksums"
                    + " and later reads fail (host kernel " + kernel + "; Linux 6.15 buffers them"
                    + " instead, commit 968f19c5b1b7)", assumption, flushes, Effect.HAZARD);
        }
        return new DirectIo(csum
                + ", where Linux 6.15 buffers direct writes (commit 968f19c5b1b7; host"
                + " kernel " + kernel + "): cache='none' gains nothing", assumption, flushes,
                Effect.BUFFERED);
    }

    /**
     * OpenZFS: up to 0.7 zpl_address_space_operations has no direct_IO (EINVAL); 0.8 to 2.2 take
     * O_DIRECT and serve it through the ARC (PR #7823, zpl_direct_IO calls zpl_iter_write); 2.3
     * honours it per the dataset's {@code direct} property (PR #10018, zfsprops(7): disabled
     * "causes the O_DIRECT flag to be silently ignored"; the default is standard). The
     * {@code direct} property exists only from 2.3, so stating it states the version.
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
                + (direct == null ? "standard, the default" : direct) + ")" + version, null,
                flushes,
                Effect.DIRECT);
    }

    /**
     * FUSE refused O_DIRECT until Linux 3.4 (commit 4273b793ec68 "fuse: O_DIRECT support for
     * files", merged 2012-04; the tag is inferred from the date); since then it bypasses the FUSE
     * client's cache, and what the daemon does with the data is its own business.
     */
    private DirectIo fuse(String where, FlushHonesty flushes) {
        Integer vs = kernelVs("3.4");
        if (vs == null) {
            return new DirectIo(where
                    + "; FUSE takes O_DIRECT only from Linux 3.4 and the host kernel is"
                    + " unknown (give a host profile)", null, flushes, Effect.DIRECT,
                    Effect.REFUSED);
        }
        if (vs < 0) {
            return new DirectIo(where + ", and FUSE refuses O_DIRECT before Linux 3.4 (host kernel "
                    + kernel + ")", null, flushes, Effect.REFUSED);
        }
        return new DirectIo(where
                + ", where O_DIRECT bypasses the FUSE client's cache (Linux 3.4+)",
                null, flushes, Effect.DIRECT);
    }

    /**
     * overlayfs opens the real file with the caller's flags (ovl_open; since 4.19 the overlay
     * inode's a_ops has noop_direct_IO), so O_DIRECT does what it does on the upper filesystem,
     * where a written image lives after copy-up. That filesystem is the mount holding the
     * {@code upperdir=} option's path.
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
        return new DirectIo(real.supported(), where + ", whose upper layer decides: "
                + real.reason(),
                real.assumption(), real.effects(), flushes);
    }

    /**
     * Whether flushes under a path reach stable storage, from what the profile states. ZFS
     * {@code sync=disabled}: zfs_fsync (module/zfs/zfs_vnops.c) skips zil_commit and returns 0,
     * so acknowledged writes wait for the next transaction group, which zfs_txg_timeout closes
     * after 5 s by default (module/zfs/txg.c, "max seconds worth of delta per txg"). An NFS
     * {@code async} export: nfsd_commit (fs/nfsd/vfs.c) skips vfs_fsync_range unless EX_ISSYNC;
     * a client cannot see the export options, so sync (the default since nfs-utils 1.0.0) is
     * assumed when none are stated. ext3/ext4 {@code nobarrier} or {@code barrier=0}
     * (fs/ext4/super.c ext4_param_specs) and btrfs {@code nobarrier} send no cache flushes.
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
        if (fs.equals("zfs") && "disabled".equals(storage(path, Storage::zfsSync))) {
            return new FlushHonesty(Optional.of(false), "the ZFS dataset holding " + path + " has"
                    + " sync=disabled: fsync returns before anything is written, and acknowledged"
                    + " writes wait for the next transaction group (zfs_txg_timeout, 5 s by"
                    + " default)",
                    null, 5);
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
                // The server acknowledges from its page cache; Linux writes that back within
                // dirty_expire_centisecs (30 s) plus a flusher interval (5 s), its defaults
                // (assumed).
                return new FlushHonesty(Optional.of(false), "the NFS server exports " + mount.path()
                        + " with async: it acknowledges COMMIT before the data is on stable storage"
                        + " (exports(5), nfsd_commit)", null, 35);
            }
        }
        if (mount != null && (fs.equals("ext4") || fs.equals("ext3") || fs.equals("btrfs"))
                && (mount.option("nobarrier") || "0".equals(mount.optionValue("barrier")))) {
            return new FlushHonesty(Optional.of(false), mount.path() + " is mounted with "
                    + (mount.option("nobarrier") ? "nobarrier" : "barrier=0") + ": " + fs
                    + " sends the device no cache flushes", null, 0);
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
