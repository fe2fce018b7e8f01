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
        return NetworkDriver.of(disk).map(d -> "no simulator figures: the simulator models the host"
                + " page cache and a local device, which a network disk ("
                + disk.protocol().orElse("network") + ") does not use");
    }

    /** The evidence for findings on a writable disk: as it is, and with the advisor's cache mode. */
    static Evidence of(DiskCheck check, Domain domain, Function<String, Workload> workloads) {
        List<String> assumptions = new ArrayList<>();
        Scenario scenario = scenario(check, domain, workloads, assumptions);
        CacheMode recommended = check.advice().map(r -> r.cache().explicitMode()).orElse(check.disk().cache());
        return SIMULATOR.evidence(scenario, asRun(recommended, check.guest()), assumptions)
                .withNotes(notes(check, recommended));
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
                         List<String> assumptions) {
    }

    /** The what-if table of {@code scenario}, predicted as evidence is ({@link #of}). */
    public static WhatIf whatIf(Scenario scenario, List<String> assumptions) {
        List<Prediction> modes = new ArrayList<>();
        for (Preset p : Preset.values()) {
            modes.add(SIMULATOR.predict(scenario.withCache(p.explicitMode())));
        }
        return new WhatIf(scenario, SIMULATOR.predict(scenario), modes,
                Simulator.assumed(scenario, assumptions));
    }
}
