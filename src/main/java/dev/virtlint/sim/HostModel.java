package dev.virtlint.sim;

import dev.virtlint.facts.HostFacts;
import java.util.Objects;

/**
 * The host side of a disk's write path: the page cache's writeback rules (Linux {@code vm.rst})
 * and the storage device's volatile write cache.
 *
 * @param memoryBytes        memory available to the page cache
 * @param expireSeconds      {@code dirty_expire_centisecs}: how old dirty data gets before the flusher writes it
 * @param intervalSeconds    {@code dirty_writeback_centisecs}: how often the flusher wakes
 * @param dirtyRatio         {@code dirty_ratio}: the share of memory dirty data may fill before writers wait
 * @param deviceCacheBytes   the device's volatile write cache
 * @param destageSeconds     how long data sits in the device cache before it reaches media
 * @param batteryBacked      a device cache that survives power loss
 * @param assumptions        what was assumed for lack of a host profile, for findings to say
 * @param flushesHonoured    whether a flush (or O_DSYNC, FUA) empties the device cache; false
 *                           where a host profile says the storage does not honour flushes
 *                           ({@link #ignoringFlushes})
 * @param cacheInHostMemory  whether that unflushed data waits in this host's memory (ZFS'
 *                           transaction groups, tmpfs), so that a host crash loses it too
 */
public record HostModel(long memoryBytes, double expireSeconds, double intervalSeconds, double dirtyRatio,
                        long deviceCacheBytes, double destageSeconds, boolean batteryBacked,
                                String assumptions,
                        boolean flushesHonoured, boolean cacheInHostMemory) {

    /** A host whose storage honours flushes. */
    public HostModel(long memoryBytes, double expireSeconds, double intervalSeconds,
            double dirtyRatio,
                     long deviceCacheBytes, double destageSeconds, boolean batteryBacked,
                             String assumptions) {
        this(memoryBytes, expireSeconds, intervalSeconds, dirtyRatio, deviceCacheBytes,
                destageSeconds,
                batteryBacked, assumptions, true, false);
    }

    /** Linux defaults; 16 GiB when the memory is unknown; a 64 MiB volatile device cache destaged within 1 s. */
    public static final long DEFAULT_MEMORY = 16L << 30;

    public HostModel {
        if (memoryBytes <= 0 || expireSeconds < 0 || intervalSeconds <= 0 || dirtyRatio <= 0 || dirtyRatio > 1
                || deviceCacheBytes < 0 || destageSeconds < 0 || Double.isNaN(destageSeconds)) {
            throw new IllegalArgumentException("host model out of range: " + memoryBytes + " " + expireSeconds + " "
                    + intervalSeconds + " " + dirtyRatio + " " + deviceCacheBytes + " " + destageSeconds);
        }
    }

    static HostModel defaults() {
        return new HostModel(DEFAULT_MEMORY, 30, 5, 0.20, 64L << 20, 1.0, false,
                "host memory 16 GiB and Linux's default dirty page settings (no host profile)");
    }

    /** The model for a host profile; what the profile does not say keeps the default. */
    public static HostModel of(HostFacts host) {
        HostModel d = defaults();
        var s = host.sysctl();
        long memory = host.memoryBytes().orElse(d.memoryBytes());
        double expire = s.containsKey("dirty_expire_centisecs") ? s.get("dirty_expire_centisecs") / 100.0 : d.expireSeconds();
        double interval = s.containsKey("dirty_writeback_centisecs") && s.get("dirty_writeback_centisecs") > 0
                ? s.get("dirty_writeback_centisecs") / 100.0 : d.intervalSeconds();
        double ratio = s.containsKey("dirty_ratio") && s.get("dirty_ratio") > 0 ? s.get("dirty_ratio") / 100.0
                : d.dirtyRatio();
        if (s.containsKey("dirty_bytes") && s.get("dirty_bytes") > 0) {
            ratio = Math.min(1.0, (double) s.get("dirty_bytes") / memory);
        }
        String assumed = host.memoryBytes().isPresent() ? ""
                : host.profile().isEmpty() ? d.assumptions() : "host memory 16 GiB (the profile does not say)";
        return new HostModel(memory, expire, interval, ratio, d.deviceCacheBytes(), d.destageSeconds(),
                d.batteryBacked(), assumed);
    }

    /**
     * This host with storage that acknowledges flushes without making the data stable (ZFS
     * sync=disabled, an NFS export with async, ext4 nobarrier, a profile's {@code flushes: no},
     * tmpfs): the storage's cache is volatile and no flush or O_DSYNC write empties it. With
     * {@code commitSeconds} above 0 that cache is the filesystem's own (ZFS' transaction groups,
     * an NFS server's page cache): unbounded in size and written out that many seconds after a
     * write, never when infinite (tmpfs). With 0 it is the device's volatile cache of this model.
     * {@code inHostMemory}: the cache is this host's memory, so a host crash loses it as a power
     * loss does.
     */
    public HostModel ignoringFlushes(double commitSeconds, boolean inHostMemory) {
        long cache = commitSeconds > 0 ? Long.MAX_VALUE / 4 : deviceCacheBytes;
        double destage = commitSeconds > 0 ? commitSeconds : destageSeconds;
        return new HostModel(memoryBytes, expireSeconds, intervalSeconds, dirtyRatio, cache,
                destage, false,
                assumptions, false, inHostMemory);
    }

    /** The most dirty data the page cache holds before writers must wait for writeback. */
    public long dirtyLimitBytes() {
        return (long) (memoryBytes * dirtyRatio);
    }

    // Written out for start-up speed; see Span.
    @Override
    public boolean equals(Object o) {
        return o instanceof HostModel m && m.memoryBytes == memoryBytes
                && Double.compare(m.expireSeconds, expireSeconds) == 0
                && Double.compare(m.intervalSeconds, intervalSeconds) == 0
                && Double.compare(m.dirtyRatio, dirtyRatio) == 0 && m.deviceCacheBytes == deviceCacheBytes
                && Double.compare(m.destageSeconds, destageSeconds) == 0 && m.batteryBacked == batteryBacked
                && Objects.equals(m.assumptions, assumptions)
                && m.flushesHonoured == flushesHonoured
                && m.cacheInHostMemory == cacheInHostMemory;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(memoryBytes);
        h = 31 * h + Double.hashCode(expireSeconds);
        h = 31 * h + Double.hashCode(intervalSeconds);
        h = 31 * h + Double.hashCode(dirtyRatio);
        h = 31 * h + Long.hashCode(deviceCacheBytes);
        h = 31 * h + Double.hashCode(destageSeconds);
        h = 31 * h + Boolean.hashCode(batteryBacked);
        h = 31 * h + Objects.hashCode(assumptions);
        h = 31 * h + Boolean.hashCode(flushesHonoured);
        return 31 * h + Boolean.hashCode(cacheInHostMemory);
    }
}
