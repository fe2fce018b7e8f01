package dev.virtlint.sim;

import dev.virtlint.facts.HostFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The host side of a disk's write path: the page cache's writeback rules (Linux
 * Documentation/admin-guide/sysctl/vm.rst, mm/page-writeback.c, fs/fs-writeback.c) and the
 * storage device's volatile write cache.
 *
 * <p>Both dirty thresholds are shares of <em>dirtyable</em> memory, not of all memory:
 * mm/page-writeback.c {@code domain_dirty_limits} applies {@code dirty_ratio} and
 * {@code dirty_background_ratio} to {@code global_dirtyable_memory()} (free pages plus the file
 * LRU lists, less the reserves), which {@code MemAvailable} in /proc/meminfo approximates. The
 * memory a host's guests hold (anonymous, or pinned) is not dirtyable, so a host packed with
 * guests has much lower thresholds than its total memory gives.
 *
 * @param memoryBytes        the host's memory
 * @param dirtyableBytes     the memory the dirty thresholds are shares of ({@code MemAvailable},
 *                           or the memory less the guests' where a profile states one of them)
 * @param expireSeconds      {@code dirty_expire_centisecs}: how old an inode's dirty data gets before the flusher writes it
 * @param intervalSeconds    {@code dirty_writeback_centisecs}: how often the flusher wakes
 * @param dirtyRatio         {@code dirty_ratio} (or {@code dirty_bytes} over dirtyable memory): where writers wait
 * @param backgroundRatio    {@code dirty_background_ratio} (or {@code dirty_background_bytes} over
 *                           dirtyable memory): where the flusher starts writing back without waiting for expiry
 * @param deviceCacheBytes   the device's volatile write cache
 * @param destageSeconds     how long data sits in the device cache before it reaches media
 * @param batteryBacked      a device cache that survives power loss
 * @param assumptions        what was assumed for lack of a host profile, for findings to say
 * @param flushesHonoured    whether a flush (or FUA) empties the device cache; false
 *                           where a host profile says the storage does not honour flushes
 *                           ({@link #ignoringFlushes})
 * @param cacheInHostMemory  whether that unflushed data waits in this host's memory (ZFS'
 *                           transaction groups, tmpfs), so that a host crash loses it too
 */
public record HostModel(long memoryBytes, long dirtyableBytes, double expireSeconds, double intervalSeconds,
                        double dirtyRatio, double backgroundRatio,
                        long deviceCacheBytes, double destageSeconds, boolean batteryBacked,
                        String assumptions,
                        boolean flushesHonoured, boolean cacheInHostMemory) {

    /** vm.rst: {@code dirty_background_ratio} defaults to 10, {@code dirty_ratio} to 20. */
    public static final double DEFAULT_BACKGROUND_RATIO = 0.10;

    /**
     * A host whose storage honours flushes, all of whose memory is dirtyable, with the default
     * background ratio.
     */
    public HostModel(long memoryBytes, double expireSeconds, double intervalSeconds,
                     double dirtyRatio,
                     long deviceCacheBytes, double destageSeconds, boolean batteryBacked,
                     String assumptions) {
        this(memoryBytes, memoryBytes, expireSeconds, intervalSeconds, dirtyRatio, DEFAULT_BACKGROUND_RATIO,
                deviceCacheBytes, destageSeconds, batteryBacked, assumptions, true, false);
    }

    /** Linux defaults; 16 GiB when the memory is unknown; a 64 MiB volatile device cache destaged within 1 s. */
    public static final long DEFAULT_MEMORY = 16L << 30;

    public HostModel {
        if (memoryBytes <= 0 || dirtyableBytes <= 0 || expireSeconds < 0 || intervalSeconds <= 0 || dirtyRatio <= 0
                || dirtyRatio > 1 || backgroundRatio <= 0 || backgroundRatio > 1
                || deviceCacheBytes < 0 || destageSeconds < 0 || Double.isNaN(destageSeconds)) {
            throw new IllegalArgumentException("host model out of range: " + memoryBytes + " " + dirtyableBytes + " "
                    + expireSeconds + " " + intervalSeconds + " " + dirtyRatio + " " + backgroundRatio + " "
                    + deviceCacheBytes + " " + destageSeconds);
        }
    }

    static HostModel defaults() {
        return new HostModel(DEFAULT_MEMORY, DEFAULT_MEMORY, 30, 5, 0.20, DEFAULT_BACKGROUND_RATIO, 64L << 20, 1.0,
                false, "host memory 16 GiB, all of it dirtyable (neither this guest's memory nor other"
                + " guests' is taken off: guests' memory is not dirtyable, so a host they fill has lower"
                + " dirty thresholds), and Linux's default dirty page settings (no host profile)", true, false);
    }

    /** The smallest dirtyable memory a model takes: the kernel keeps its thresholds above zero too. */
    private static final long MIN_DIRTYABLE = 64L << 20;

    /**
     * The model for a host profile; what the profile does not say keeps the default. Dirtyable
     * memory is the profile's {@code memory-available} (probe's MemAvailable) when stated, else
     * its {@code memory} less {@code guests-memory}, else all of {@code memory}, which
     * {@link #assumptions} then says; with both stated, the lower of the two (a probe run while
     * the guests were down reads a high MemAvailable), and {@link #assumptions} says which.
     */
    public static HostModel of(HostFacts host) {
        HostModel d = defaults();
        var s = host.sysctl();
        // A profile that states MemAvailable but not the memory has at least that much.
        long memory = host.memoryBytes().orElse(Math.max(d.memoryBytes(), host.memoryAvailableBytes().orElse(0L)));
        List<String> assumed = new ArrayList<>();
        if (host.memoryBytes().isEmpty() && host.profile().isPresent()) {
            assumed.add("host memory " + binary(memory) + " (the profile does not say)");
        }
        long dirtyable;
        if (host.memoryAvailableBytes().isPresent()) {
            dirtyable = host.memoryAvailableBytes().get();
            if (host.guestsMemoryBytes().isPresent()) {
                long less = memory - host.guestsMemoryBytes().get();
                if (less < dirtyable) {
                    dirtyable = less;
                    assumed.add("dirtyable memory " + binary(Math.max(dirtyable, MIN_DIRTYABLE))
                            + ": memory less guests-memory, below memory-available "
                            + binary(host.memoryAvailableBytes().get()) + " (the lower of the two)");
                }
            }
        } else if (host.guestsMemoryBytes().isPresent()) {
            dirtyable = memory - host.guestsMemoryBytes().get();
            assumed.add("dirtyable memory " + binary(Math.max(dirtyable, MIN_DIRTYABLE))
                    + ": memory less guests-memory (the profile states no memory-available)");
        } else {
            dirtyable = memory;
            if (host.profile().isPresent() || host.memoryBytes().isPresent()) {
                assumed.add("all " + binary(memory) + " dirtyable (the profile states neither"
                        + " memory-available nor guests-memory, which would lower the dirty thresholds)");
            }
        }
        dirtyable = Math.max(MIN_DIRTYABLE, Math.min(dirtyable, memory));
        double expire = s.containsKey("dirty_expire_centisecs") ? s.get("dirty_expire_centisecs") / 100.0 : d.expireSeconds();
        double interval = s.containsKey("dirty_writeback_centisecs") && s.get("dirty_writeback_centisecs") > 0
                ? s.get("dirty_writeback_centisecs") / 100.0 : d.intervalSeconds();
        double ratio = s.containsKey("dirty_ratio") && s.get("dirty_ratio") > 0 ? s.get("dirty_ratio") / 100.0
                : d.dirtyRatio();
        // domain_dirty_limits: a *_bytes value, when set, replaces its ratio.
        if (s.containsKey("dirty_bytes") && s.get("dirty_bytes") > 0) {
            ratio = Math.min(1.0, (double) s.get("dirty_bytes") / dirtyable);
        }
        double background = s.containsKey("dirty_background_ratio") && s.get("dirty_background_ratio") > 0
                ? s.get("dirty_background_ratio") / 100.0 : d.backgroundRatio();
        if (s.containsKey("dirty_background_bytes") && s.get("dirty_background_bytes") > 0) {
            background = Math.min(1.0, (double) s.get("dirty_background_bytes") / dirtyable);
        }
        String says = host.profile().isEmpty() && host.memoryBytes().isEmpty() ? d.assumptions()
                : String.join("; ", assumed);
        return new HostModel(memory, dirtyable, expire, interval, ratio, Math.max(1e-6, background),
                d.deviceCacheBytes(), d.destageSeconds(), d.batteryBacked(), says, true, false);
    }

    /** Bytes in KiB, MiB or GiB, at most one decimal, for assumptions and notes. */
    public static String binary(long bytes) {
        int shift = bytes >= 1L << 30 ? 30 : bytes >= 1L << 20 ? 20 : 10;
        double v = bytes / (double) (1L << shift);
        long tenths = Math.round(v * 10);
        String n = tenths % 10 == 0 ? Long.toString(tenths / 10) : tenths / 10 + "." + tenths % 10;
        return n + (shift == 30 ? " GiB" : shift == 20 ? " MiB" : " KiB");
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
        return new HostModel(memoryBytes, dirtyableBytes, expireSeconds, intervalSeconds, dirtyRatio,
                backgroundRatio, cache, destage, false, assumptions, false, inHostMemory);
    }

    /**
     * The most dirty data the page cache holds before writers must wait for writeback: the
     * kernel's {@code thresh}, a share of dirtyable memory.
     */
    public long dirtyLimitBytes() {
        return (long) (dirtyableBytes * dirtyRatio);
    }

    /**
     * Where background writeback starts: the kernel's {@code bg_thresh}. domain_dirty_limits
     * halves the dirty threshold for it when the background one is not below it.
     */
    public long backgroundLimitBytes() {
        long thresh = dirtyLimitBytes();
        long bg = (long) (dirtyableBytes * backgroundRatio);
        return bg >= thresh ? thresh / 2 : bg;
    }

    /**
     * Where dirty data settles when the device writes back slower than the guest writes:
     * mm/page-writeback.c {@code wb_position_ratio}'s global setpoint, {@code (freerun + limit) / 2},
     * with {@code freerun = dirty_freerun_ceiling(thresh, bg_thresh) = (thresh + bg_thresh) / 2}
     * and {@code limit = hard_dirty_limit()}, taken as the dirty threshold; balance_dirty_pages
     * throttles writers round it.
     */
    public long setpointBytes() {
        long thresh = dirtyLimitBytes();
        long freerun = (thresh + backgroundLimitBytes()) / 2;
        return (freerun + thresh) / 2;
    }

    // Written out for start-up speed; see Span.
    @Override
    public boolean equals(Object o) {
        return o instanceof HostModel m && m.memoryBytes == memoryBytes && m.dirtyableBytes == dirtyableBytes
                && Double.compare(m.backgroundRatio, backgroundRatio) == 0
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
        h = 31 * h + Long.hashCode(dirtyableBytes);
        h = 31 * h + Double.hashCode(backgroundRatio);
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
