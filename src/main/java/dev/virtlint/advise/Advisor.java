package dev.virtlint.advise;

import dev.virtlint.facts.Flushes;
import dev.virtlint.facts.GuestFact;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.SourceKind;
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
            return Optional.of(new Recommendation(only, null, reason));
        }
        boolean directWorks = directIoWorks(disk, host);
        CacheMode.Preset cache;
        String reason;
        Optional<CacheMode.Preset> current = disk.cache().preset();
        if (scratch && disk.cache().noFlush() && current.isPresent()) {
            cache = current.get();
            reason = "the disk is declared scratch, so losing its data is acceptable";
        } else if (disk.shareable()) {
            cache = flushing ? CacheMode.Preset.NONE : CacheMode.Preset.DIRECTSYNC;
            reason = "a shareable disk must bypass the host page cache so that every guest sees the same data";
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
        String io = disk.io().filter("native"::equals).isPresent() && !direct ? "threads" : null;
        return Optional.of(new Recommendation(cache, io, reason));
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

    /** Whether cache advice applies to a disk at all; the rules use the same test for their exemptions. */
    public static boolean advisable(Disk disk) {
        return disk.noCacheAdvice().isEmpty();
    }

    /** O_DIRECT works unless the source is a host path on a filesystem that refuses it or may refuse it. */
    public static boolean directIoWorks(Disk disk, HostFacts host) {
        Optional<String> path = localPath(disk);
        return path.isEmpty() || host.directIo(path.get()).supported().orElse(false);
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
}
