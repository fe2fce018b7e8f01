package dev.virtlint.advise;

import dev.virtlint.facts.Flushes;
import dev.virtlint.facts.GuestFact;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.SourceKind;
import java.util.Optional;

/**
 * Computes one recommended setting per writable disk (design.md, "The advisor"), so that rules
 * never fight over a disk: every finding on it carries the same fix.
 */
public final class Advisor {

    /** Whether the host page cache is to be avoided (the default) or allowed (the libguestfs school). */
    public enum Policy { AVOID, ALLOW }

    private Advisor() {
    }

    /**
     * The recommendation, or empty for disks that get no cache advice: read-only disks, empty
     * removable media, and vhost-user disks (served outside QEMU's block layer).
     */
    public static Optional<Recommendation> advise(Disk disk, GuestFact guest, HostFacts host, boolean scratch,
                                                  Policy policy) {
        if (!advisable(disk)) {
            return Optional.empty();
        }
        boolean flushing = guest.flushes() == Flushes.YES;
        HostFacts.DirectIo odirect = localPath(disk).map(host::directIo).orElse(null);
        boolean directWorks = odirect == null || odirect.supported().orElse(false);
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
        String assumption = odirect == null ? null : odirect.assumption();
        // O_DIRECT refused or in doubt only because of an assumed mount (/run, /dev/shm without a
        // profile): a warning, not a rewrite. Assumed to work (no profile entry): said, and applied.
        boolean automatic = assumption == null || directWorks;
        if (assumption != null && directWorks && !direct) {
            assumption = null; // the advice does not use O_DIRECT, so what was assumed of it does not matter
        }
        return Optional.of(new Recommendation(cache, io, reason, assumption, automatic));
    }

    /** Whether cache advice applies to a disk at all; the rules use the same test for their exemptions. */
    public static boolean advisable(Disk disk) {
        return !disk.readonly() && !disk.isEmptyRemovable() && disk.sourceKind() != SourceKind.VHOSTUSER;
    }

    /** O_DIRECT works unless the source is a host path on a filesystem that refuses it or may refuse it. */
    public static boolean directIoWorks(Disk disk, HostFacts host) {
        Optional<String> path = localPath(disk);
        return path.isEmpty() || host.directIo(path.get()).supported().orElse(false);
    }

    /** The host path of a file or directory disk. */
    public static Optional<String> localPath(Disk disk) {
        if (disk.sourceKind() != SourceKind.FILE && disk.sourceKind() != SourceKind.DIR) {
            return Optional.empty();
        }
        return disk.source().filter(s -> s.startsWith("/"));
    }
}
