package dev.virtlint.advise;

import dev.virtlint.facts.Flushes;
import dev.virtlint.facts.GuestFact;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.SourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Computes one recommended setting per writable disk (design.md, "The advisor"), so that rules
 * never fight over a disk: every finding on it carries the same fix.
 */
public final class Advisor {

    /** Whether the host page cache is to be avoided (the default) or allowed (the libguestfs school). */
    public enum Policy { AVOID, ALLOW }

    private Advisor() {
    }

    /** The recommendation, or empty for a disk without advice ({@link Disk#noCacheAdvice()}). */
    public static Optional<Recommendation> advise(Disk disk, GuestFact guest, HostFacts host, boolean scratch,
                                                  Policy policy) {
        if (!advisable(disk)) {
            return Optional.empty();
        }
        boolean flushing = guest.flushes() == Flushes.YES;
        if (directOnly(disk).isPresent()) {
            // No other mode starts (CacheModeRefusedRule), whatever the policy or scratch status.
            CacheMode.Preset only = flushing ? CacheMode.Preset.NONE : CacheMode.Preset.DIRECTSYNC;
            String reason = "this kind of disk takes only cache='none' or 'directsync', and the guest "
                    + (flushing ? "flushes" : "may not flush");
            return Optional.of(new Recommendation(only, null, reason,
                    assumptions(disk, guest, host, null, true, only.explicitMode(), true)));
        }
        HostFacts.DirectIo odirect = odirectOf(disk, host);
        // O_DIRECT is recommended only where it opens, bypasses the host page cache, and cannot
        // corrupt data: not on btrfs with data checksums (a hazard before Linux 6.15, buffered
        // after), nor where the filesystem serves it from its own cache (HostFacts.Effect).
        boolean directWorks = odirect == null || odirect.gains();
        boolean opensWithoutGain = odirect != null && !directWorks
                && odirect.supported().orElse(false);
        Optional<NetworkDriver> network = NetworkDriver.of(disk);
        CacheMode.Preset cache;
        String reason;
        Optional<CacheMode.Preset> current = disk.cache().preset();
        if (scratch && disk.cache().noFlush() && current.isPresent()) {
            cache = current.get();
            reason = "the disk is declared scratch, so losing its data is acceptable";
        } else if (disk.shareable()) {
            // For rbd this is librbd's cache instead: it is per client, so a shared image needs it
            // off (Ceph doc/rbd/rbd-config-ref.rst: no coherency between clients, GFS or OCFS on
            // rbd does not work with caching enabled).
            cache = flushing ? CacheMode.Preset.NONE : CacheMode.Preset.DIRECTSYNC;
            reason = "a shareable disk must bypass the host page cache so that every guest sees the same data";
        } else if (network.isPresent()) {
            cache = flushing ? CacheMode.Preset.WRITEBACK : CacheMode.Preset.WRITETHROUGH;
            reason = networkReason(network.get(), flushing);
        } else if (opensWithoutGain) {
            cache = flushing ? CacheMode.Preset.WRITEBACK : CacheMode.Preset.WRITETHROUGH;
            reason = (flushing ? "the guest flushes" : "the guest may not flush")
                    + ", and O_DIRECT "
                    + (odirect.hazard().orElse(false) ? "is a hazard"
                    : odirect.buffered() ? "gains nothing" : "may be a hazard") + " on the source";
        } else if (flushing && directWorks) {
            cache = policy == Policy.ALLOW ? CacheMode.Preset.WRITEBACK : CacheMode.Preset.NONE;
            reason = policy == Policy.ALLOW ? "the guest flushes and the policy allows the host page cache"
                    : "the guest flushes and O_DIRECT works on the source";
        } else if (flushing) {
            cache = CacheMode.Preset.WRITEBACK;
            reason = "the guest flushes but O_DIRECT is not known to work on the source";
        } else if (directWorks) {
            cache = CacheMode.Preset.DIRECTSYNC;
            reason = "the guest may not flush, so every write must reach stable storage";
        } else {
            cache = CacheMode.Preset.WRITETHROUGH;
            reason = "the guest may not flush and O_DIRECT is not known to work on the source";
        }
        boolean direct = cache.explicitMode().direct();
        // io='native' -> 'threads' rests on nothing: threads is QEMU's default and works on every
        // file and device (block/file-posix.c raw_open_common: aio_default is
        // BLOCKDEV_AIO_OPTIONS_THREADS), while native needs O_DIRECT ("aio=native was specified,
        // but it requires cache.direct=on").
        String io = disk.io().filter("native"::equals).isPresent() && !direct ? "threads" : null;
        return Optional.of(new Recommendation(cache, io, reason,
                assumptions(disk, guest, host, odirect, directWorks, cache.explicitMode(), true)));
    }

    /**
     * What a recommendation rests on that nothing stated says, one clause each; its fix is safe
     * exactly when there is none. A clause follows what the fix changes, since a fix is unsafe
     * only when applying it rests on a guess that could leave the VM worse off than now: a fix
     * that keeps the cache switches as they are (an explicit {@code cache='writeback'} where
     * QEMU already uses writeback, or {@code io='native' -> io='threads'} alone) assumes nothing
     * of the guest or the host. The clauses, in this order:
     * <ul>
     *   <li>the guest's flushing, when the new mode newly shows the guest a write cache whose
     *       flushes reach storage (writethrough or directsync -> writeback or none) and the guest
     *       is only assumed to flush ({@link GuestFact#assumed()}): a guest that does not flush
     *       would then lose what it did not lose before. Not when the current mode already shows
     *       a write cache (writeback, none, unsafe): the guest's flushing decides its losses
     *       before and after alike. unsafe -> none or writeback makes the guest's flushes reach
     *       storage, where unsafe dropped them: whatever the guest does, it loses no more than
     *       now, so that rests on no guess either;</li>
     *   <li>O_DIRECT, when the new mode opens the source with O_DIRECT and the current one does
     *       not, unless the host profile states it works there: a probe's {@code odirect:}
     *       entry, or a stated mount of a filesystem known to take O_DIRECT on the stated kernel
     *       ({@link HostFacts#directIo}). Without it QEMU may fail to open the image and the VM
     *       not start (the kernel's do_dentry_open in fs/open.c returns EINVAL for O_DIRECT on a
     *       filesystem without direct_IO). Block devices need no host filesystem fact: every
     *       block device takes O_DIRECT through the block layer (Linux block/fops.c def_blk_aops,
     *       .direct_IO = blkdev_direct_IO; fs/block_dev.c before 5.15), whatever filesystem holds
     *       its node, and QEMU aligns requests to the device (block/file-posix.c
     *       raw_probe_alignment). Network drivers never open a host file (see
     *       {@link NetworkDriver}: QEMU talks to the server itself), and disks that take only
     *       O_DIRECT modes ({@link #directOnly}) have no other mode to choose;</li>
     *   <li>an assumed mount (the built-in {@code /dev/shm} and {@code /run}) the advice was
     *       chosen by, when the fix changes the mode: O_DIRECT refused or in doubt there only
     *       because the mount is assumed to be tmpfs;</li>
     *   <li>a path whose place no host profile can state (one with a {@code $VARIABLE} or a
     *       relative path), through the O_DIRECT clause ({@link #odirectOf});</li>
     *   <li>a pool volume's pool, whose type the domain XML does not hold, when the fix changes
     *       the mode.</li>
     * </ul>
     */
    private static List<String> assumptions(Disk disk, GuestFact guest, HostFacts host,
                                            HostFacts.DirectIo odirect, boolean directWorks,
                                            CacheMode mode, boolean advised) {
        List<String> out = new ArrayList<>();
        CacheMode now = disk.cache();
        if (mode.sameSwitches(now)) {
            return out;
        }
        if (!now.writeback() && mode.writeback() && !mode.noFlush() && guest.assumed()) {
            out.add("assumes the guest flushes: " + whyAssumed(guest.reason()));
        }
        boolean turnsOnDirect = mode.direct() && !now.direct();
        if (turnsOnDirect && odirect != null && !odirect.supported().orElse(false)) {
            // A shareable disk gets here (it is advised a direct mode whatever the host says),
            // and a rule file's edit.
            out.add("assumes O_DIRECT works on " + disk.source().orElse("the source")
                    + ", though the host facts say it "
                    + (odirect.supported().isPresent() ? "is refused" : "may be refused"));
        } else if (turnsOnDirect && odirect != null && odirect.assumption() != null) {
            out.add(assumesText(disk, host, odirect.assumption()));
        } else if (advised && !directWorks && odirect != null && odirect.assumption() != null) {
            out.add(assumesText(disk, host, odirect.assumption()));
        }
        if (disk.sourceKind() == SourceKind.VOLUME && !disk.shareable()) {
            // A volume's real type is decided when the domain starts, from the pool's definition,
            // which the domain XML does not hold (libvirt virDomainDiskTranslateSourcePool, once
            // qemuTranslateDiskSourcePool in src/qemu/qemu_conf.c): a file or a block device for
            // dir, fs, logical or disk pools, a network disk for an iSCSI pool with
            // mode='direct' (libiscsi, no host page cache). Advice for local storage is then
            // said but never applied on its own.
            out.add("assumes pool '"
                    + disk.source().map(s -> s.substring(0, Math.max(0, s.indexOf('/')))).orElse("")
                    + "' holds files or block devices of this host: the domain XML does not say"
                    + " (a pool of network storage does not use the host page cache)");
        }
        return out;
    }

    /**
     * What setting a disk's cache switches to {@code mode} rests on that nothing stated says, by
     * the same clauses as the advisor's own fix ({@link #assumptions}, without the one about the
     * mount the advice was chosen by): for a rule file's fix that sets the cache mode.
     */
    public static List<String> assumptionsOf(Disk disk, GuestFact guest, HostFacts host,
                                             CacheMode mode) {
        HostFacts.DirectIo odirect = odirectOf(disk, host);
        return assumptions(disk, guest, host, odirect, odirect == null || odirect.gains(), mode,
                false);
    }

    /**
     * A host fact's assumption as a clause that starts with "assumes": an assumed mount reads
     * {@code assumes /run is tmpfs: no host profile says what /run is}. The rules that judge a
     * host fact say what they assumed with it, so the clause reads the same in the finding and
     * in its fix.
     */
    public static String assumesText(Disk disk, HostFacts host, String assumption) {
        if (assumption.startsWith("assumes ")) {
            return assumption;
        }
        Optional<HostFacts.Mount> mount = localPath(disk, host).flatMap(host::mountOf);
        int colon = assumption.indexOf(": ");
        if (mount.isPresent() && colon > 0) {
            return "assumes " + mount.get().path() + " is " + mount.get().fstype()
                    + assumption.substring(colon);
        }
        return "assumes " + assumption;
    }

    /** Why a guest is assumed to flush, without the conclusion the reason ends with. */
    private static String whyAssumed(String reason) {
        for (String tail : List.of(", so it is assumed to flush", " and it is assumed to flush",
                ", and it is assumed to flush")) {
            if (reason.endsWith(tail)) {
                return reason.substring(0, reason.length() - tail.length());
            }
        }
        return reason;
    }

    /**
     * What O_DIRECT does on a disk's host file, or null for a disk that opens none. A path that
     * holds a shell variable anywhere ({@code $IMG}, {@code /srv/$VM/disk.qcow2}, resolved when
     * the script runs) or a relative one (resolved from QEMU's working directory) cannot be
     * matched to a host profile entry, so what the profile says of it is only assumed: an
     * absolute one is judged by the mount its written text falls under, with that assumption.
     */
    private static HostFacts.DirectIo odirectOf(Disk disk, HostFacts host) {
        HostFacts.DirectIo top = imageOdirect(disk, host);
        if (top == null) {
            return null;
        }
        // The weakest layer of the backing chain the file states decides: QEMU opens each with
        // the top image's cache.direct (block.c bdrv_backing_options).
        for (String layer : disk.backingFiles()) {
            HostFacts.DirectIo d = layer.startsWith("/") && !layer.contains("$")
                    ? host.directIo(layer)
                    : new HostFacts.DirectIo(Optional.of(true), "no profile entry can say"
                    + " otherwise", "assumes O_DIRECT works on the backing file " + layer
                    + ": no host profile entry can be matched to it");
            if (strength(d) < strength(top)) {
                top = new HostFacts.DirectIo(d.supported(), "its backing file " + layer + ": "
                        + d.reason(), d.assumption(), d.effects(), d.flushes());
            }
        }
        return top;
    }

    /** How far O_DIRECT is known to work: refused, a hazard, in doubt, buffered, assumed, known. */
    private static int strength(HostFacts.DirectIo d) {
        if (!d.supported().orElse(false)) {
            return d.supported().isPresent() ? 0 : 2;
        }
        if (d.hazard().orElse(true)) {
            return 1;
        }
        if (!d.gains()) {
            return 3;
        }
        return d.assumption() != null ? 4 : 5;
    }

    /** {@link #odirectOf} for the image itself, without its backing chain. */
    private static HostFacts.DirectIo imageOdirect(Disk disk, HostFacts host) {
        Optional<String> path = localPath(disk, host);
        if (disk.sourceKind() != SourceKind.FILE || disk.source().isEmpty()) {
            return path.map(host::directIo).orElse(null);
        }
        String source = disk.source().get();
        boolean variable = source.contains("$");
        if (!variable && path.isPresent()) {
            return host.directIo(path.get());
        }
        String assumption = "assumes O_DIRECT works on " + source + ": " + (variable
                ? "the path comes from a shell variable" : "a relative path")
                + ", so no host profile entry says where it is";
        if (path.isEmpty()) {
            return new HostFacts.DirectIo(Optional.of(true), "no profile entry can say otherwise",
                    assumption);
        }
        HostFacts.DirectIo written = host.directIo(path.get());
        return written.assumption() != null ? written : new HostFacts.DirectIo(
                written.supported(), written.reason(), assumption, written.effects(),
                written.flushes());
    }

    /**
     * Network disks never go through the host page cache, so the advice is about the write cache
     * the guest sees: writeback when the guest flushes (for rbd it also keeps librbd's cache on,
     * which cache='none' turns off; Ceph doc/rbd/qemu-rbd.rst recommends cache=writeback and
     * doc/rbd/rbd-openstack.rst sets Nova's disk_cachemodes="network=writeback"), writethrough
     * when it may not: QEMU then makes every write FUA or follows it with a flush, which reaches
     * the server. For rbd a guest that never flushes would also be safe with writeback while
     * librbd's rbd_cache_writethrough_until_flush keeps its default (true), but that is the
     * host's Ceph configuration, which the file does not show, and one flush from the guest
     * ends it.
     */
    private static String networkReason(NetworkDriver driver, boolean flushing) {
        if (driver == NetworkDriver.RBD) {
            return flushing
                    ? "the guest flushes, and writeback keeps librbd's cache on and passes the"
                    + " flushes to the OSDs, as Ceph recommends"
                    : "the guest may not flush, so QEMU must flush librbd after every write;"
                    + " writeback would be safe only while Ceph's"
                    + " rbd_cache_writethrough_until_flush holds and the guest never flushes";
        }
        String kind = "a " + driver.id() + " disk has no host page cache for ";
        return flushing
                ? "the guest flushes, and " + kind + "cache none to bypass (cache.direct "
                + driver.direct() + ")"
                : "the guest may not flush, so every write must reach the server before it"
                + " completes; " + kind + "directsync to bypass";
    }

    /** The QEMU drivers on libblkio that refuse to open without O_DIRECT (block/blkio.c). */
    private static final Set<String> BLKIO_DIRECT_ONLY =
            Set.of("virtio-blk-vhost-vdpa", "virtio-blk-vhost-user", "nvme-io_uring");

    /**
     * The QEMU block driver of a disk that takes only an O_DIRECT mode (none or directsync), or
     * empty. libvirt src/qemu/qemu_validate.c qemuValidateDomainDeviceDefDisk accepts only those
     * two modes for type='vhostvdpa'; QEMU block/blkio.c (blkio_virtio_blk_common_open,
     * blkio_nvme_io_uring) refuses to open these drivers without cache.direct=on.
     */
    public static Optional<String> directOnly(Disk disk) {
        if (disk.sourceKind() == SourceKind.VHOSTVDPA) {
            return Optional.of("virtio-blk-vhost-vdpa");
        }
        return disk.protocol().filter(BLKIO_DIRECT_ONLY::contains);
    }

    /**
     * Whether cache advice applies to a disk at all; the rules use the same test for their
     * exemptions.
     */
    public static boolean advisable(Disk disk) {
        return noAdvice(disk).isEmpty();
    }

    /**
     * Why a disk gets no cache advice ({@link Disk#noCacheAdvice()}, or a read-only network
     * driver: curl for http, https, ftp, ftps, tftp never writes), or empty.
     */
    public static Optional<String> noAdvice(Disk disk) {
        Optional<String> why = disk.noCacheAdvice();
        if (why.isPresent()) {
            return why;
        }
        return NetworkDriver.of(disk).filter(d -> !d.writable())
                .map(d -> "a read-only network driver (QEMU block/curl.c): nothing is written");
    }

    /**
     * The host path of a file disk: the file QEMU opens with the disk's cache mode. Not a
     * directory disk's: QEMU block/vvfat.c open_file reads the directory's files without O_DIRECT
     * whatever the mode.
     */
    public static Optional<String> localPath(Disk disk) {
        if (disk.sourceKind() != SourceKind.FILE) {
            return Optional.empty();
        }
        return disk.source().filter(s -> s.startsWith("/"));
    }

    /**
     * {@link #localPath(Disk)}, and also the path of a disk taken for a block device only because
     * its path is under {@code /dev/} ({@link Disk#blockByPath()}) when the host facts put it on
     * a mount under {@code /dev/} (other than {@code /dev} itself, devtmpfs, which holds the
     * device nodes): such a mount holds files ({@code /dev/shm} on tmpfs, {@code /dev/hugepages}
     * on hugetlbfs), and QEMU opens the file there with the disk's cache mode.
     */
    public static Optional<String> localPath(Disk disk, HostFacts host) {
        if (disk.sourceKind() == SourceKind.BLOCK && disk.blockByPath()
                && disk.source().isPresent()) {
            String path = disk.source().get();
            Optional<HostFacts.Mount> mount = host.mountOf(path);
            if (mount.isPresent() && mount.get().path().startsWith("/dev/")) {
                return Optional.of(path);
            }
        }
        return localPath(disk);
    }
}
