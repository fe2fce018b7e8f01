package dev.virtlint.rules;

import dev.virtlint.advise.Advisor;
import dev.virtlint.advise.NetworkDriver;
import dev.virtlint.facts.Flushes;
import dev.virtlint.facts.GuestFact;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.CacheMode.Preset;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Domain;
import dev.virtlint.model.SourceKind;
import dev.virtlint.sim.DeviceCosts;
import dev.virtlint.sim.Evidence;
import dev.virtlint.sim.HostModel;
import dev.virtlint.sim.LossModel;
import dev.virtlint.sim.Prediction;
import dev.virtlint.sim.Simulator;
import dev.virtlint.sim.Simulator.Scenario;
import dev.virtlint.sim.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns what is known of a disk into the simulator's scenario, and the scenario into a finding's
 * evidence or {@code virtlint simulate}'s table: one implementation for both, so that the two
 * cannot tell different figures for the same disk.
 */
public final class Evidences {

    /**
     * One simulator per process: disks with the same scenario, in any file, share one computation.
     * The system property {@value #SIMULATE_ALL} makes it simulate the losses it would otherwise look
     * up (the simulator's benchmark sets it to measure the model itself).
     */
    public static final String SIMULATE_ALL = "virtlint.simulate-all-losses";

    private static final Simulator SIMULATOR = new Simulator(!Boolean.getBoolean(SIMULATE_ALL));

    private Evidences() {
    }

    public static Simulator simulator() {
        return SIMULATOR;
    }

    /**
     * Why a disk's findings carry no simulator figures, or empty when they do. The simulator models
     * a local image under the host page cache (flusher, dirty limits, a device's volatile cache);
     * a network disk has none of that: QEMU's driver talks to the server itself (see
     * {@link NetworkDriver}), and what it loses depends on the server (librbd's own cache and the
     * OSDs for rbd), which the simulator does not model. Figures for it would be false, so there
     * are none.
     */
    public static Optional<String> omitted(Disk disk) {
        if (NetworkDriver.isRbd(disk)) {
            return Optional.of(librbd(disk.cache()));
        }
        return NetworkDriver.of(disk).map(d -> "no simulator figures: the simulator models the host"
                + " page cache and a local device, which a network disk ("
                + disk.protocol().orElse("network") + ") does not use");
    }

    /**
     * An rbd disk's figures: those of librbd's cache ({@link LossModel#librbd}), not of a host page
     * cache, which librbd does not use. What a crash loses of it is what the guest was told was
     * durable, as for the simulator's figures; Ceph's defaults are assumed (a ceph.conf, or the
     * disk's own Ceph options, is not read), and so is that the OSDs acknowledge only stored data.
     */
    static String librbd(CacheMode mode) {
        LossModel.Librbd flushing = LossModel.librbd(mode, true);
        LossModel.Librbd never = LossModel.librbd(mode, false);
        String lost = lostText(flushing, never);
        // Ceph src/common/options/rbd.yaml.in: rbd_cache_policy defaults to writearound;
        // rbd_cache_max_dirty (24_M) applies to write-around and write-back, and
        // rbd_cache_max_dirty_age (1) only to write-back: "seconds in cache before writeback
        // starts", not how long data may stay dirty. doc/rbd/rbd-config-ref.rst: "Writes return
        // immediately under both the write-around and write-back policies, unless there are more
        // than rbd_cache_max_dirty unwritten bytes to the storage cluster."
        String assumed = " (assumed: Ceph's defaults rbd_cache_policy writearound, rbd_cache_max_dirty "
                + HostModel.binary(LossModel.RBD_CACHE_MAX_DIRTY) + ", rbd_cache_writethrough_until_flush true;"
                + " ceph.conf is not read; OSDs acknowledge only stored writes)";
        String how;
        if (!flushing.enabled()) {
            how = "QEMU turns librbd's cache off (rbd_cache=false under cache.direct), so nothing waits in"
                    + " QEMU's memory";
        } else if (mode.noFlush()) {
            how = "cache.no-flush drops every flush before librbd, which therefore never leaves"
                    + " writethrough: every write is on the OSDs when it completes";
        } else if (!mode.writeback()) {
            how = "writethrough flushes librbd after every write";
        } else {
            how = "librbd writes through until the guest's first flush; then a write completes before it"
                    + " is on the OSDs, up to rbd_cache_max_dirty (" + HostModel.binary(flushing.dirtyBytes())
                    + ") of unwritten writes (the writearound policy sends each at once; under the"
                    + " writeback policy writeback starts after rbd_cache_max_dirty_age, "
                    + (long) LossModel.RBD_CACHE_MAX_DIRTY_AGE + " s by default), lost with QEMU's memory"
                    + " (a QEMU crash, a crash or power loss of this host) but never flush-acknowledged: a"
                    + " flush writes them to the OSDs first; a guest that never flushes keeps librbd"
                    + " writethrough";
        }
        return "librbd cache figures, no host page cache: " + how + "; " + lost + assumed;
    }

    private static String lostText(LossModel.Librbd flushing, LossModel.Librbd never) {
        long a = Math.max(flushing.losses().qemuCrash().max(), never.losses().qemuCrash().max());
        long b = Math.max(flushing.losses().hostCrash().max(), never.losses().hostCrash().max());
        long c = Math.max(flushing.losses().powerLoss().max(), never.losses().powerLoss().max());
        return a == 0 && b == 0 && c == 0
                ? "a QEMU crash, a host crash or a power loss of this host loses 0 B of acknowledged writes"
                : "acknowledged writes lost at most: QEMU crash " + HostModel.binary(a) + ", host crash "
                + HostModel.binary(b) + ", power loss " + HostModel.binary(c);
    }

    /** The evidence for findings on a writable disk: as it is, and with the advisor's cache mode. */
    static Evidence of(DiskCheck check, Domain domain, Function<String, Workload> workloads) {
        List<String> assumptions = new ArrayList<>();
        Scenario scenario = scenario(check, domain, workloads, assumptions);
        CacheMode recommended = check.advice().map(r -> r.cache().explicitMode()).orElse(check.disk().cache());
        boolean chosen = domain != null && domain.name() != null
                && workloads.apply(domain.name()) != null;
        CacheMode then = asRun(recommended, check.guest());
        List<String> notes = new ArrayList<>();
        Evidence.Basis basis = basis(check, scenario, chosen ? "in .virtlint.yaml" : null);
        qcow2Note(check, scenario, then, basis.diskBytes()).ifPresent(notes::add);
        notes.addAll(notes(check, recommended));
        return SIMULATOR.evidence(scenario, then, assumptions)
                .withNotes(notes)
                .on(basis);
    }

    /**
     * The most a floppy's guest can write: QEMU picks a floppy's geometry from the fd_formats
     * table of hw/block/fdc.c (pick_geometry) and fd_seek refuses sectors beyond it; its largest
     * entry is the 2.88 MB drive type with 48 sectors, 80 tracks and 2 heads of 512 bytes
     * (FD_SECTOR_LEN): 3,932,160 bytes, whatever the image file's size.
     */
    static final long FLOPPY_MAX_BYTES = 48L * 80 * 2 * 512;

    /**
     * What the figures of {@code s} rest on for this disk ({@link Evidence.Basis}): the workload
     * and how it was chosen ({@code chosen}, null when assumed), the host's dirty limit and device
     * cache as the model has them, whether the storage honours flushes, whether the image is in
     * host RAM (a tmpfs or ramfs mount, stated or assumed), the disk's size where it is known,
     * and whether the host profile's costs give the speeds a measured scale.
     */
    public static Evidence.Basis basis(DiskCheck check, Scenario s, String chosen) {
        HostFacts host = check.host();
        Optional<String> path = Advisor.localPath(check.disk(), host);
        Evidence.StorageFlushes flushes = Evidence.StorageFlushes.UNKNOWN;
        String inRam = null;
        boolean inRamAssumed = false;
        long size = -1;
        String sizeSource = null;
        if (path.isPresent()) {
            HostFacts.FlushHonesty f = host.directIo(path.get()).flushes();
            flushes = f.honoured().isEmpty() ? Evidence.StorageFlushes.UNKNOWN
                    : f.honoured().get() ? Evidence.StorageFlushes.HONOURED
                    : Evidence.StorageFlushes.IGNORED;
            // The filesystem that holds the data: an overlay's upper layer (as the flush note has it).
            Optional<HostFacts.Mount> mount = host.filesystemOf(path.get());
            if (mount.isPresent() && (mount.get().fstype().equals("tmpfs")
                    || mount.get().fstype().equals("ramfs"))) {
                inRam = mount.get().path() + " is " + mount.get().fstype();
                inRamAssumed = mount.get().assumed();
            }
            Optional<Long> stated = host.imageSize(path.get());
            if (stated.isPresent()) {
                size = stated.get();
                sizeSource = "its virtual size in the host profile";
            }
        }
        if (check.disk().device() == dev.virtlint.model.DiskDevice.FLOPPY
                && (size < 0 || size > FLOPPY_MAX_BYTES)) {
            size = FLOPPY_MAX_BYTES;
            sizeSource = "QEMU's largest floppy format";
        }
        return basis(s, chosen, host, flushes, inRam, inRamAssumed, size, sizeSource);
    }

    /** The basis of a scenario given without a disk: the workload, the host and its scale. */
    public static Evidence.Basis basis(Scenario s, String chosen, HostFacts host) {
        return basis(s, chosen, host, Evidence.StorageFlushes.UNKNOWN, null, false, -1, null);
    }

    private static Evidence.Basis basis(Scenario s, String chosen, HostFacts host,
                                        Evidence.StorageFlushes flushes, String inRam,
                                        boolean inRamAssumed, long size, String sizeSource) {
        HostModel h = s.host();
        long mem = h.memoryBytes();
        String gib = mem % (1L << 30) == 0 ? String.valueOf(mem >> 30)
                : String.valueOf(Math.round(mem * 10.0 / (1L << 30)) / 10.0);
        String of = " % of the host's " + (h.dirtyableBytes() == mem ? gib + " GiB memory"
                : HostModel.binary(h.dirtyableBytes()) + " dirtyable memory")
                + (host.memoryBytes().isEmpty() ? ", assumed" : "");
        String limit = host.sysctl().getOrDefault("dirty_bytes", 0L) > 0
                ? "vm.dirty_bytes of the host profile"
                : (host.sysctl().containsKey("dirty_ratio") ? "" : "Linux's default ")
                + "vm.dirty_ratio " + Math.round(h.dirtyRatio() * 100) + of;
        // mm/page-writeback.c domain_dirty_limits: a background threshold not below the dirty
        // one is halved (HostModel.backgroundLimitBytes).
        String background = host.sysctl().getOrDefault("dirty_background_bytes", 0L) > 0
                ? "vm.dirty_background_bytes of the host profile"
                : h.backgroundLimitBytes() == h.dirtyLimitBytes() / 2
                && h.backgroundRatio() >= h.dirtyRatio() ? "half the dirty limit ("
                + "vm.dirty_background_ratio is not below vm.dirty_ratio)"
                : (host.sysctl().containsKey("dirty_background_ratio") ? "" : "Linux's default ")
                + "vm.dirty_background_ratio " + Math.round(h.backgroundRatio() * 100) + of;
        String measured = host.measuredCosts()
                ? host.profile().orElse("the host profile") : null;
        // The host page cache shares the host's memory with the guest: it cannot hold more of the
        // guest's data than the memory the guest leaves, or than the dirtyable memory a profile
        // states (MemAvailable, or memory less guests-memory: the guests are counted there).
        long leaves;
        String leavesText;
        if (h.dirtyableBytes() < mem) {
            leaves = h.dirtyableBytes();
            leavesText = "the host's dirtyable memory, " + HostModel.binary(leaves) + " (host profile)";
        } else {
            leaves = Math.max(0, mem - Math.max(0, s.guestMemory()));
            leavesText = "the host memory the guest leaves, " + gib + " GiB"
                    + (host.memoryBytes().isEmpty() ? " (assumed)" : "") + " less the guest's "
                    + HostModel.binary(s.guestMemory());
        }
        return new Evidence.Basis(s.workload(), chosen, h.dirtyLimitBytes(), limit,
                h.backgroundLimitBytes(), background,
                h.deviceCacheBytes(), h.destageSeconds(), flushes, inRam, inRamAssumed, s.guestMemory(),
                leaves, leavesText, size, sizeSource, measured);
    }

    /**
     * What the profile states that changes what the figures mean: storage that ignores flushes
     * (the losses then count its cache as volatile, see {@link HostModel#ignoringFlushes}), and a
     * sparse image under an O_DIRECT recommendation.
     */
    private static List<String> notes(DiskCheck check, CacheMode recommended) {
        Optional<String> path = Advisor.localPath(check.disk());
        if (path.isEmpty()) {
            return List.of();
        }
        List<String> notes = new ArrayList<>();
        HostFacts.FlushHonesty flushes = check.host().directIo(path.get()).flushes();
        if (flushes.ignored()) {
            notes.add(flushNote(flushes));
        }
        if (recommended.direct() && check.host().sparse(path.get()).orElse(false)) {
            notes.add(sparseNote(path.get(), check.disk().format().orElse("raw")));
        }
        return notes;
    }

    /**
     * The qcow2 L2 cache's loss ({@link LossModel#qcow2Metadata}) as a note of its own, not a
     * figure: for a qcow2 image the host profile does not state preallocated, where QEMU's qcow2
     * caches stay dirty ({@link LossModel#qcow2CachesStayDirty}) as the disk is or with the
     * recommended mode. qcow2 on a block device or LV allocates its clusters as a file does, so
     * the scenario's {@code preallocated} (the host side: no filesystem allocation) does not
     * decide it; the profile's {@code allocation: preallocated} (nearly all of the image's
     * virtual size allocated) does.
     */
    static Optional<String> qcow2Note(DiskCheck check, Scenario s, CacheMode recommended, long diskBytes) {
        if (!s.qcow2()) {
            return Optional.empty();
        }
        if (qcow2Allocated(check)) {
            return Optional.empty();
        }
        boolean now = LossModel.qcow2CachesStayDirty(s.cache(), s.guestFlushes());
        boolean then = LossModel.qcow2CachesStayDirty(recommended, s.guestFlushes());
        if (!now && !then) {
            return Optional.empty();
        }
        String modes = now && then && !recommended.equals(s.cache()) ? "as the disk is and with the recommended mode"
                : now ? "as the disk is" : "with the recommended mode";
        return Optional.of(qcow2Text(modes, diskBytes));
    }

    /**
     * Whether the host profile states the disk's image preallocated ({@code allocation:
     * preallocated}), so that its qcow2 L2 entries exist and a QEMU crash loses none of them; a
     * block device or LV under a qcow2 image says nothing of that ({@link #qcow2Note}).
     */
    public static boolean qcow2Allocated(DiskCheck check) {
        return Advisor.localPath(check.disk()).flatMap(p -> check.host().sparse(p)).map(sparse -> !sparse)
                .orElse(false);
    }

    /**
     * The note of {@link #qcow2Note}, for the modes {@code where} names; where the disk's size is
     * known ({@code diskBytes} at least 0), no bound exceeds it: the guest cannot write more new
     * clusters than the disk has.
     */
    static String qcow2Text(String where, long diskBytes) {
        LossModel.Qcow2Metadata m = LossModel.qcow2Metadata(LossModel.QCOW2_CLUSTER, LossModel.QCOW2_REFCOUNT_BITS);
        if (diskBytes >= 0) {
            m = new LossModel.Qcow2Metadata(Math.min(m.inOrderBytes(), diskBytes), Math.min(m.scatteredBytes(), diskBytes));
        }
        return "qcow2 metadata, not in the figures: " + where + ", nothing writes QEMU's qcow2 caches (a"
                + " write cache and a guest that does not flush; or cache.no-flush with the write cache off,"
                + " since QEMU 10.0), so a QEMU crash (or a host crash or power loss) also loses writes into"
                + " newly allocated clusters whose L2 entries QEMU holds unwritten: up to "
                + HostModel.binary(m.inOrderBytes()) + " while the image is filled in order (l2_allocate"
                + " flushes the L2 cache), up to about " + HostModel.binary(m.scatteredBytes())
                + " when allocation is scattered (alloc_refcount_block flushes it)"
                + (diskBytes >= 0 && m.scatteredBytes() == diskBytes ? ", no more than the disk holds" : "")
                + "; writes into allocated"
                + " clusters lose nothing, nor does an image created with preallocation=metadata, falloc or"
                + " full, whose L2 entries exist (assumed: the default "
                + HostModel.binary(LossModel.QCOW2_CLUSTER).replace(" ", "") + " clusters and "
                + LossModel.QCOW2_REFCOUNT_BITS + "-bit refcounts; the image is not stated preallocated)";
    }

    /**
     * What the loss figures mean on storage that ignores flushes ({@link HostFacts#flushes}):
     * until when they count acknowledged writes as lost, and which failure loses them: a host
     * crash too where the data waits in this host's memory, the NFS server's crash or power loss
     * (not this host's) for an async export, whose figures appear as power loss.
     */
    static String flushNote(HostFacts.FlushHonesty flushes) {
        double commit = flushes.commitSeconds();
        String until = Double.isInfinite(commit) ? "the losses count every acknowledged write as"
                + " lost (nothing makes it stable: the figures cover only the simulated run)"
                : "the losses count acknowledged writes as lost until " + (commit > 0
                ? "the storage commits them (" + (long) commit + " s"
                + (flushes.where() == HostFacts.Volatile.SERVER ? ", assumed" : ", a lower bound")
                + ")" : "the device destages them");
        String failure = switch (flushes.where()) {
            case HOST_MEMORY -> "; a host crash loses them as a power loss does";
            case SERVER -> "; the power-loss figures are those of the NFS server's crash or power"
                    + " loss, not this host's";
            default -> "";
        };
        return "flushes are not honoured: " + flushes.reason() + "; " + until + ", in every cache"
                + " mode" + failure;
    }

    /**
     * O_DIRECT writes into space not yet allocated wait for the filesystem's allocation (issue
     * 18 puts it at 4-7x the cost of a preallocated image, measured with qemu-img bench, citing
     * its seed article "On caching and preallocation"; virtlint has not measured it).
     * Preallocation modes (qemu-block-drivers(7)): raw takes off, falloc and full; qcow2 off, metadata, falloc and full. metadata allocates only qcow2's own
     * tables, so data writes still allocate (qemu-iotests 243.out: a metadata image's disk usage
     * stays low), and {@code probe --image} would call it sparse again: the note leads with
     * falloc. An existing raw image is allocated in place with fallocate(1), which keeps its
     * data; a qcow2 image is rewritten by qemu-img convert, which copies no internal snapshots
     * and, without -B, flattens a backing chain (qemu-img(1)).
     */
    static String sparseNote(String path, String format) {
        String how = format.equalsIgnoreCase("qcow2")
                ? "qemu-img convert -f qcow2 -O qcow2 -o preallocation=falloc " + path
                + " NEW.qcow2,"
                + " then replace the image with NEW.qcow2 while the VM is off (convert copies no"
                + " internal snapshots: check qemu-img snapshot -l " + path + " first, and keeps a"
                + " backing file only with -B BACKING -F FORMAT; new images:"
                + " qemu-img create -f qcow2 -o preallocation=falloc FILE SIZE)"
                : "fallocate -l $(stat -c %s " + path + ") " + path
                + " (new images: qemu-img create -f raw -o preallocation=falloc FILE SIZE)";
        return "the image is sparse (host profile): O_DIRECT writes that allocate space cost"
                + " several times more than into a preallocated image; preallocate it: " + how;
    }

    /** How the assumption of a default workload starts: {@code workload database (the default}. */
    private static final String DEFAULT_WORKLOAD = "workload ";

    /**
     * Whether the figures' workload is the default one virtlint assumed, not one the configuration
     * chose for the domain ({@link #scenario}).
     */
    public static boolean workloadAssumed(Evidence e) {
        String clause = DEFAULT_WORKLOAD + e.workload() + " (the default for ";
        return e.assumptions().stream().anyMatch(a -> a.startsWith(clause));
    }

    /** The scenario for a disk; what had to be assumed is added to {@code assumptions}. */
    public static Scenario scenario(DiskCheck check, Domain domain, Function<String, Workload> workloads,
                                    List<String> assumptions) {
        var disk = check.disk();
        Workload chosen = domain == null || domain.name() == null ? null : workloads.apply(domain.name());
        Workload workload = chosen != null ? chosen : check.scratch() ? Workload.SCRATCH_TEST : Workload.DATABASE;
        if (chosen == null) {
            assumptions.add(DEFAULT_WORKLOAD + workload.id() + " (the default for "
                    + (check.scratch() ? "scratch" : "persistent")
                    + " disks; choose one under workloads: in .virtlint.yaml)");
        }
        boolean guestFlushes = check.guest().flushes() == Flushes.YES;
        boolean standalone = check.standalone();
        if (check.guest().assumed()) {
            assumptions.add(standalone ? "the guest flushes (a standalone <disk>: its domain and guest OS are unknown)"
                    : "the guest flushes (its OS is unknown)");
        } else if (check.guest().flushes() == Flushes.COND) {
            assumptions.add("the guest does not flush (it flushes only in some setups)");
        }
        boolean qcow2 = disk.format().map("qcow2"::equalsIgnoreCase).orElse(false);
        if (disk.format().isEmpty()) {
            assumptions.add("a raw image (no format given)");
        }
        boolean preallocated = disk.sourceKind() != SourceKind.FILE && disk.sourceKind() != SourceKind.VOLUME;
        Optional<String> path = Advisor.localPath(disk);
        Optional<Boolean> sparse = path.flatMap(p -> check.host().sparse(p));
        if (!preallocated && sparse.isPresent()) {
            preallocated = !sparse.get();
        } else if (!preallocated) {
            assumptions.add("a sparse image (space allocated on first write)");
        }
        HostFacts.FlushHonesty flushes = path.map(p -> check.host().directIo(p).flushes())
                .orElse(null);
        if (flushes != null && flushes.assumption() != null) {
            assumptions.add(flushes.assumption());
        }
        long memory = domain != null && domain.memoryBytes() != null ? domain.memoryBytes()
                : Simulator.DEFAULT_GUEST_MEMORY;
        if (domain == null || domain.memoryBytes() == null) {
            assumptions.add(standalone ? DEFAULT_MEMORY
                    + " (a standalone <disk>: its domain is unknown)" : DEFAULT_MEMORY);
        }
        Scenario s = onHost(asRun(disk.cache(), check.guest()), guestFlushes, workload, qcow2,
                preallocated, memory, check.host());
        if (flushes != null && flushes.ignored()) {
            s = new Scenario(s.cache(), s.guestFlushes(), s.workload(), s.qcow2(), s.preallocated(),
                    s.guestMemory(), s.host().ignoringFlushes(flushes.commitSeconds(),
                            flushes.where() == HostFacts.Volatile.HOST_MEMORY), s.costs());
        }
        return s;
    }

    /**
     * A cache mode as QEMU runs it for this guest: a virtio-blk driver that negotiates no flush
     * feature gets the write cache turned off (hw/block/virtio-blk.c virtio_blk_set_status), so
     * every write gets FUA, emulated by a flush; cache.no-flush=on drops those flushes, so there
     * the mode stays as written.
     */
    static CacheMode asRun(CacheMode mode, GuestFact guest) {
        return guest.noFlushFeature() && !mode.noFlush() ? mode.withWriteback(false) : mode;
    }

    private static final String DEFAULT_MEMORY = "guest memory 2 GiB";

    /**
     * The scenario of facts given without a disk ({@code simulate --flushes yes ...}): a guest of
     * the default memory, which is added to {@code assumptions}, on {@code host}.
     */
    public static Scenario given(CacheMode cache, boolean guestFlushes, Workload workload,
                                 boolean qcow2, boolean preallocated, HostFacts host,
                                 List<String> assumptions) {
        assumptions.add(DEFAULT_MEMORY);
        return onHost(cache, guestFlushes, workload, qcow2, preallocated,
                Simulator.DEFAULT_GUEST_MEMORY, host);
    }

    private static Scenario onHost(CacheMode cache, boolean guestFlushes, Workload workload,
                                   boolean qcow2, boolean preallocated, long guestMemory,
                                   HostFacts host) {
        return new Scenario(cache, guestFlushes, workload, qcow2, preallocated, guestMemory,
                HostModel.of(host), DeviceCosts.withOverrides(host.costs()));
    }

    /**
     * A scenario under each cache mode ({@link Preset} order) and as it is, with all that the
     * predictions assume, as {@code simulate} prints it.
     */
    public record WhatIf(Scenario scenario, Prediction current, List<Prediction> modes,
                         List<String> assumptions, Evidence.Basis basis) {
    }

    /**
     * The what-if table of {@code scenario}, predicted as evidence is ({@link #of}) and bounded
     * as {@code basis} says; {@code l2Allocated} says that a qcow2 image's L2 entries exist (stated
     * preallocated: {@link #qcow2Allocated}), not only its host space (a block device's
     * {@code preallocated} scenario), which leaves the qcow2 metadata clause out.
     */
    public static WhatIf whatIf(Scenario scenario, List<String> assumptions, Evidence.Basis basis,
                                boolean l2Allocated) {
        List<Prediction> modes = new ArrayList<>();
        for (Preset p : Preset.values()) {
            modes.add(basis.bound(SIMULATOR.predict(scenario.withCache(p.explicitMode()))));
        }
        Prediction current = basis.bound(SIMULATOR.predict(scenario));
        List<String> all = Simulator.assumed(scenario, assumptions);
        boolean perInode = Simulator.perInode(scenario.cache(), current);
        boolean dirtyQcow2 = LossModel.qcow2CachesStayDirty(scenario.cache(), scenario.guestFlushes());
        Preset[] presets = Preset.values();
        for (int i = 0; i < presets.length; i++) {
            perInode |= Simulator.perInode(presets[i].explicitMode(), modes.get(i));
            dirtyQcow2 |= LossModel.qcow2CachesStayDirty(presets[i].explicitMode(), scenario.guestFlushes());
        }
        if (perInode) {
            all.add(LossModel.perInodeBound(scenario.host()));
        }
        if (scenario.qcow2() && !l2Allocated && dirtyQcow2) {
            // The table's figures leave the qcow2 L2 cache out (qcow2Note); say it here.
            all.add(qcow2Text("in the modes that keep a write cache for this guest", basis.diskBytes()));
        }
        return new WhatIf(scenario, current, modes, all, basis);
    }
}
