package dev.virtlint.sim;

import dev.virtlint.model.CacheMode;
import java.util.Arrays;
import java.util.Random;

/**
 * How many bytes a failure loses that the guest had been told were durable. Deterministic: the
 * write stream is steady, and failures strike at instants drawn from a fixed seed.
 *
 * <p>Failures strike at instants drawn uniformly after a warm-up (dirty expiry, flusher interval,
 * device destage and one flush period), so the figures describe the steady state.
 *
 * <p>Each write gets the time the guest counts it as durable (the end of the next flush for a guest
 * that flushes under a write cache; its completion for one that does not flush, and under
 * writethrough, where the guest sees no write cache at all) and, per failure kind, the time from
 * which that failure no longer loses it:
 * <ul>
 *   <li>qemu-crash: once QEMU has handed the write to the host kernel or device, which is at
 *       completion in every mode (what a qcow2 image's L2 cache holds of newly allocated
 *       clusters is not in these figures: it depends on how many writes allocate, which the
 *       workload does not say, and is given as its own conditional bound,
 *       {@link #qcow2Metadata});</li>
 *   <li>host-crash: once it has left the host page cache (at completion with O_DIRECT, or when
 *       writethrough's flush after each write returns; otherwise when the flusher writes back the
 *       image's inode, when background writeback pushes it out, or at an honoured flush);</li>
 *   <li>power-loss: once it is on media (additionally through the device's volatile cache, which
 *       destages after a delay, when full, or at a flush; a battery-backed cache counts as media).
 *       Where that cache is the host's memory ({@link HostModel#cacheInHostMemory}) a host crash
 *       loses the same.</li>
 * </ul>
 * The loss at an instant is the sum of writes that are acknowledged but not yet safe.
 *
 * <p>Writethrough is no O_DSYNC: QEMU's file-posix opens the image with O_DIRECT for
 * cache.direct and no sync flag at all (block/file-posix.c raw_parse_flags); a disk without
 * write cache gets every write with BDRV_REQ_FUA (block/block-backend.c
 * blk_co_do_pwritev_part). Before QEMU 10.0 file-posix took no FUA natively, so block/io.c
 * bdrv_driver_pwritev emulated it with bdrv_co_flush after the write, and bdrv_co_flush skips
 * the flush to disk when the node has BDRV_O_NO_FLUSH ("don't actually force it to the disk with
 * cache=unsafe"). QEMU 10.0 gave file-posix native FUA (commit 984a32f17e8d "file-posix: Support
 * FUA writes", RWF_DSYNC) and in the same series made bdrv_driver_pwritev drop BDRV_REQ_FUA on a
 * node with BDRV_O_NO_FLUSH (commit 2f3b6e61f692 "block/io: Ignore FUA with cache.no-flush=on").
 * Either way, with {@code cache.no-flush=on} writethrough and directsync keep the guest told its
 * writes are durable at completion while nothing makes them so: the page cache (or the device's
 * cache under O_DIRECT) holds them as under writeback with a guest that never flushes.
 *
 * <p>One image is one inode, and Linux expires dirty data per inode, not per page
 * (fs/fs-writeback.c): {@code __mark_inode_dirty} sets {@code dirtied_when} only when a clean
 * inode becomes dirty, and redirtying a dirty one leaves it; the periodic (kupdate) writeback
 * ({@code wb_writeback} with {@code for_kupdate}) moves an inode to {@code b_io} once
 * {@code dirtied_when} is older than the expiry ({@code move_expired_inodes}) and then writes its
 * dirty pages whatever their own age: {@code writeback_sb_inodes} gives it a chunk
 * ({@code writeback_chunk_size}: at least MIN_WRITEBACK_PAGES, 4 MiB, or half the measured
 * write bandwidth), {@code requeue_inode} puts an inode with pages left back on {@code b_more_io}
 * without touching {@code dirtied_when}, and {@code wb_writeback} loops while it makes progress
 * over a work sized to all dirty pages, so the whole inode goes. For one image written steadily
 * the dirty data therefore grows from nothing to expiry plus up to one flusher interval of
 * writes and then drops to nothing: a sawtooth, uniform over the cycle, where per-page expiry
 * kept between expiry and expiry plus interval of writes. The model writes back at once (no
 * device time), so the inode is clean after each pass: p95 is 0.95 x (expiry + interval) x rate
 * (33.25 s of writes with the defaults instead of 34.75 s), p50 half the cycle (17.5 s instead of
 * 32.5 s). That is the upper bound of per-inode expiry: where writes keep landing while a pass
 * runs (it takes device time), the inode stays dirty with its old {@code dirtied_when}
 * ({@code redirty_tail} resets it only behind a newer inode on {@code b_dirty}) and is written
 * at every flusher wake, so the loss falls towards one interval of writes (p95 0.95 x interval x
 * rate). The figures are that upper bound, and {@link #perInodeBound} says so wherever they
 * rest on it: the true p95 of a busy image lies between about one interval and expiry plus
 * interval of writes.
 *
 * <p>Above the background threshold ({@link HostModel#backgroundLimitBytes}) the flusher writes
 * back without waiting for expiry: mm/page-writeback.c {@code balance_dirty_pages} starts
 * background writeback once dirty pages exceed {@code bg_thresh}, and {@code wb_writeback} with
 * {@code for_background} writes until {@code wb_over_bg_thresh} is false. That holds the dirty
 * data at the background threshold only while the device writes back faster than the guest
 * writes. Where it does not (the workload's write rate above the device costs'
 * {@code deviceMBps}), dirty data keeps rising: {@code balance_dirty_pages} lets writers run
 * free up to {@code dirty_freerun_ceiling} ((thresh + bg_thresh) / 2) and then throttles them
 * round the setpoint of {@code wb_position_ratio} ((freerun + limit) / 2, limit being
 * {@code hard_dirty_limit}, the dirty threshold), where the dirty rate matches the device's:
 * the model then caps dirty data at that setpoint ({@link HostModel#setpointBytes}), 17.5 % of
 * dirtyable memory with the default ratios.
 */
public final class LossModel {

    /** p50, p95 and max over the sampled failure instants, in bytes. */
    public record Loss(long p50, long p95, long max) {
    }

    /** Losses for each failure kind. */
    public record Losses(Loss qemuCrash, Loss hostCrash, Loss powerLoss) {
    }

    /** How many failure instants are drawn. */
    public static final int INSTANTS = 2000;

    private LossModel() {
    }

    /**
     * @param cache         the disk's cache switches
     * @param guestFlushes  whether the guest sends flushes at all
     * @param workload      what it writes
     * @param host          the page cache and device
     * @param seed          for the failure instants
     */
    static Losses simulate(CacheMode cache, boolean guestFlushes, Workload workload, HostModel host, long seed) {
        return simulate(cache, guestFlushes, workload, host, false, seed);
    }

    /**
     * {@link #simulate(CacheMode, boolean, Workload, HostModel, long)} with {@code deviceBehind}:
     * whether the device writes back slower than the guest writes ({@link #deviceBehind}), which
     * lets dirty data rise past the background threshold to the throttling setpoint.
     */
    static Losses simulate(CacheMode cache, boolean guestFlushes, Workload workload, HostModel host,
                           boolean deviceBehind, long seed) {
        int n = (int) Math.max(1, Math.min(2_000_000, Math.round(workload.durationSeconds() / workload.writeGap())));
        double gap = workload.writeGap();
        long size = workload.writeBytes();
        double[] done = new double[n];
        for (int i = 0; i < n; i++) {
            done[i] = (i + 1) * gap;
        }
        double end = n * gap;
        double[] flushes = guestFlushes ? flushTimes(workload, done, end) : new double[0];
        // A guest under writethrough sees no write cache: it counts a write as durable when it
        // completes, flush or no flush.
        double[] ack = cache.writeback() ? ackTimes(done, flushes, guestFlushes) : done;
        boolean honoured = !cache.noFlush();
        // Storage that ignores flushes (HostModel.ignoringFlushes): the page cache still writes
        // back on fsync, but nothing empties the storage's cache before its own time.
        double[] deviceFlushes = honoured && host.flushesHonoured() ? flushes : new double[0];

        double[] qemuSafe = done;
        double[] hostSafe;
        double[] powerSafe;
        if (!cache.writeback() && honoured) {
            // Writethrough: the FUA emulation's flush after each write has it on stable storage
            // when it completes, if the storage honours flushes.
            hostSafe = done;
            powerSafe = host.flushesHonoured() ? done : deviceSafe(done, size, new double[0], host);
        } else if (cache.direct()) {
            hostSafe = done;
            powerSafe = deviceSafe(done, size, cache.writeback() ? deviceFlushes : new double[0], host);
        } else {
            double[] fsynced = new double[n];
            // Under writethrough with no-flush, nothing is ever flushed.
            double[] pageFlushes = honoured && cache.writeback() ? flushes : new double[0];
            hostSafe = pageCacheOut(done, size, pageFlushes, host, deviceBehind, fsynced);
            double[] viaDevice = deviceSafe(hostSafe, size, cache.writeback() ? deviceFlushes : new double[0], host);
            powerSafe = new double[n];
            for (int i = 0; i < n; i++) {
                // An fsync also flushes the device cache: data written back by it is on media.
                powerSafe[i] = fsynced[i] > 0 && host.flushesHonoured() ? fsynced[i] : viaDevice[i];
            }
        }
        if (host.batteryBacked()) {
            powerSafe = hostSafe;
        }
        if (host.cacheInHostMemory()) {
            // ZFS' unsynced transaction groups, a tmpfs file: the storage's cache is this host's
            // memory, so a host crash loses what a power loss loses.
            hostSafe = powerSafe;
        }
        // Failures strike once the caches have filled to their steady state, not while they start empty.
        double warm = Math.min(end / 2, host.expireSeconds() + host.intervalSeconds() + host.destageSeconds()
                + workload.flushEvery());
        double[] instants = instants(warm, end, seed);
        return new Losses(loss(ack, qemuSafe, size, instants), loss(ack, hostSafe, size, instants),
                loss(ack, powerSafe, size, instants));
    }

    /** qcow2's default cluster size (docs/qcow2-cache.txt: "QEMU currently defaults to 64 KB clusters"). */
    public static final long QCOW2_CLUSTER = 64L << 10;

    /**
     * qcow2's default refcount width: qemu-iotests 112.out, an image created without
     * refcount_bits reports "refcount bits: 16" (refcount_order 4 in docs/interop/qcow2.txt).
     */
    public static final int QCOW2_REFCOUNT_BITS = 16;

    /**
     * What a QEMU crash can lose of a qcow2 image's newly allocated clusters, whose L2 table
     * entries wait in QEMU's L2 cache: the data reached the host (block/qcow2.c writes it before
     * qcow2_alloc_cluster_link_l2 marks the L2 slice dirty), but without the mapping the guest
     * reads zeroes, or the backing file, there after the restart; writes into allocated clusters
     * change no L2 entry and lose nothing here. A bound, not a percentile: how much is lost depends
     * on how many writes allocate, which no workload here says (a database overwriting its pages
     * allocates almost nothing), so it is stated on its own and not merged into the failure
     * figures.
     *
     * <p>Dirty L2 slices leave QEMU's memory at a flush (qcow2_co_flush_to_os calls
     * qcow2_write_caches, which bdrv_co_flush calls even with cache.no-flush: "Write back cached
     * data to the OS even with cache=unsafe"), when evicted (qcow2_cache_do_get; the default L2
     * cache, at most 32 MiB on Linux, docs/qcow2-cache.txt, holds all tables of an image up to
     * 256 GiB, and cache-clean-interval frees only clean entries, qcow2-cache.c can_clean_entry),
     * when a new L2 table is allocated (block/qcow2-cluster.c l2_allocate calls qcow2_cache_flush
     * on the L2 cache) and when a new refcount block is (block/qcow2-refcount.c
     * alloc_refcount_block: "We write to the refcount table, so we might depend on L2 tables",
     * then qcow2_cache_flush of the L2 cache). An L2 table is one cluster of 8-byte entries
     * (docs/interop/qcow2.txt), so it maps {@code cluster / 8} clusters; a refcount block is one
     * cluster of {@code refcount_bits}-bit entries, so it covers {@code cluster * 8 / refcount_bits}
     * host clusters. An image filled in order enters a new L2 table every
     * {@code cluster * cluster / 8} bytes (512 MiB with 64 KiB clusters); writes scattered over
     * existing L2 tables flush only when the image file grows into a new refcount block, every
     * {@code cluster * cluster * 8 / refcount_bits} bytes (2 GiB with 64 KiB clusters and 16-bit
     * refcounts).
     *
     * @param inOrderBytes   the most lost while the image is filled in order
     * @param scatteredBytes the most lost while the new clusters are scattered over existing L2 tables
     */
    public record Qcow2Metadata(long inOrderBytes, long scatteredBytes) {
    }

    /** The bounds of {@link Qcow2Metadata} for a cluster size and refcount width. */
    public static Qcow2Metadata qcow2Metadata(long clusterBytes, int refcountBits) {
        return new Qcow2Metadata(clusterBytes * (clusterBytes / 8), clusterBytes * (clusterBytes * 8 / refcountBits));
    }

    /**
     * Whether QEMU's qcow2 caches keep new L2 entries dirty with nothing that writes them: a
     * write cache (writeback, none, unsafe) and a guest that never flushes; with the write cache
     * off each write's FUA is emulated by a flush that writes the caches (bdrv_driver_pwritev,
     * bdrv_co_flush), unless cache.no-flush drops the FUA, which QEMU does since 10.0
     * (2f3b6e61f692 "block/io: Ignore FUA with cache.no-flush=on"; before it the emulated flush
     * still wrote the caches). A guest that flushes has what it counts as durable written,
     * under no-flush too (bdrv_co_flush calls bdrv_co_flush_to_os first).
     */
    public static boolean qcow2CachesStayDirty(CacheMode cache, boolean guestFlushes) {
        return cache.writeback() ? !guestFlushes : cache.noFlush();
    }

    /**
     * What the page cache figures assume of per-inode expiry (see the class comment): that they
     * are its upper bound, and the lower end, one flusher interval of writes on {@code host}.
     */
    public static String perInodeBound(HostModel host) {
        double i = host.intervalSeconds();
        String interval = i == Math.rint(i) ? Long.toString((long) i) : Double.toString(i);
        return "per-inode expiry: the host page cache figures are the upper bound (the image's inode"
                + " goes clean at each writeback); an image that never goes clean is written at every"
                + " flusher wake-up, about " + interval + " s of writes";
    }

    /** Whether what the page cache holds under the workload's writes outruns the device. */
    public static boolean deviceBehind(Workload w, DeviceCosts costs) {
        // DeviceCosts are in MB/s of 10^6 bytes, the workload's rate in bytes per second.
        return w.writeRate() > costs.deviceMBps() * 1e6;
    }

    /**
     * librbd's defaults (Ceph doc/rbd/rbd-config-ref.rst, "Cache Settings", e.g.
     * docs.ceph.com/en/mimic/rbd/rbd-config-ref/): rbd cache max dirty 24 MiB, max dirty age 1 s
     * (how long dirty data waits before writeback starts, not how long it can stay dirty: a slow
     * cluster keeps it longer), writethrough until flush true.
     */
    public static final long RBD_CACHE_MAX_DIRTY = 24L << 20;
    /** rbd_cache_max_dirty_age: 1 s, the age at which the writeback policy starts writing data back. */
    public static final double RBD_CACHE_MAX_DIRTY_AGE = 1.0;

    /**
     * librbd's cache as QEMU runs it for an rbd disk, with Ceph's defaults (a ceph.conf or the
     * disk's own options are not read).
     *
     * @param enabled    QEMU sets rbd_cache=true unless cache.direct is on (block/rbd.c:
     *                   {@code flags & BDRV_O_NOCACHE} sets "rbd_cache" to "false", else "true")
     * @param writeBack  whether librbd ever leaves writethrough: rbd_cache_writethrough_until_flush
     *                   (default true) keeps it there until the first flush, and no flush reaches it
     *                   under cache.no-flush (bdrv_co_flush skips the driver's
     *                   bdrv_co_flush_to_disk, qemu_rbd_co_flush) or from a guest that never flushes
     * @param dirtyBytes the most it holds unwritten to the OSDs (rbd_cache_max_dirty; writeback of a
     *                   write starts when it is {@link #RBD_CACHE_MAX_DIRTY_AGE} seconds old under the
     *                   writeback policy, at once under the default writearound policy); lost with
     *                   QEMU's memory (a QEMU crash, a crash or power loss of this host)
     * @param losses     acknowledged bytes lost: none in every mode, since data librbd holds dirty
     *                   is never what the guest counts as durable (writethrough acknowledges at the
     *                   OSDs; write back only after a flush, which writes the cache to the OSDs)
     */
    public record Librbd(boolean enabled, boolean writeBack, long dirtyBytes, Losses losses) {
    }

    /** librbd's cache for a disk of these switches, the guest flushing or not. */
    public static Librbd librbd(CacheMode cache, boolean guestFlushes) {
        boolean enabled = !cache.direct();
        // Writethrough's FUA emulation flushes after each write (unless no-flush drops it): librbd
        // then switches to write back, but every write is flushed before it completes.
        boolean flushReaches = !cache.noFlush() && (guestFlushes || !cache.writeback());
        boolean writeBack = enabled && flushReaches;
        Loss zero = new Loss(0, 0, 0);
        return new Librbd(enabled, writeBack, writeBack && cache.writeback() ? RBD_CACHE_MAX_DIRTY : 0,
                new Losses(zero, zero, zero));
    }

    private static double[] flushTimes(Workload w, double[] done, double end) {
        if (w.flushEvery() == 0) {
            return done.clone();
        }
        int count = (int) Math.floor(end / w.flushEvery());
        double[] f = new double[count];
        for (int k = 0; k < count; k++) {
            f[k] = (k + 1) * w.flushEvery();
        }
        return f;
    }

    /** When the guest counts each write as durable; +infinity for writes no flush covered. */
    private static double[] ackTimes(double[] done, double[] flushes, boolean guestFlushes) {
        if (!guestFlushes) {
            return done;
        }
        double[] ack = new double[done.length];
        int f = 0;
        for (int i = 0; i < done.length; i++) {
            while (f < flushes.length && flushes[f] < done[i]) {
                f++;
            }
            ack[i] = f < flushes.length ? flushes[f] : Double.POSITIVE_INFINITY;
        }
        return ack;
    }

    /**
     * When each write leaves the host page cache. The image is one inode: the flusher wakes every
     * interval and, once the inode has been dirty for at least the expiry (from when it last went
     * from clean to dirty), writes all its dirty data; beyond the background threshold (the
     * throttling setpoint where the device is behind) the oldest data goes at once, without making the inode clean; an honoured flush (fsync) writes
     * everything. {@code fsynced[i]} gets the flush time when an fsync wrote it, else stays 0.
     */
    private static double[] pageCacheOut(double[] done, long size, double[] flushes, HostModel host,
                                         boolean deviceBehind, double[] fsynced) {
        int n = done.length;
        double[] out = new double[n];
        long limit = Math.max(size, deviceBehind ? host.setpointBytes() : host.backgroundLimitBytes());
        // Data leaves the page cache oldest first, so the dirty writes are always indices head..i-1.
        int head = 0;
        int f = 0;
        // inode->dirtied_when: when the inode last went from clean to dirty.
        double dirtiedWhen = 0;
        for (int i = 0; i <= n; i++) {
            double now = i < n ? done[i] : Double.POSITIVE_INFINITY;
            // A flush at the instant a write completes comes after it, so flushes go strictly before now.
            while (head < i || f < flushes.length && flushes[f] < now) {
                double nextFlush = f < flushes.length && flushes[f] < now ? flushes[f] : Double.POSITIVE_INFINITY;
                double nextExpiry = head == i ? Double.POSITIVE_INFINITY : natural(dirtiedWhen, host);
                if (nextExpiry > now) {
                    nextExpiry = Double.POSITIVE_INFINITY;
                }
                if (nextFlush == Double.POSITIVE_INFINITY && nextExpiry == Double.POSITIVE_INFINITY) {
                    break;
                }
                boolean expiry = nextExpiry <= nextFlush;
                double at = expiry ? nextExpiry : nextFlush;
                for (int j = head; j < i; j++) {
                    out[j] = at;
                    if (!expiry) {
                        fsynced[j] = at;
                    }
                }
                head = i;
                if (!expiry) {
                    f++;
                }
            }
            if (i == n) {
                break;
            }
            if (head == i) {
                dirtiedWhen = now;
            }
            while ((long) (i + 1 - head) * size > limit) {
                out[head++] = now;
            }
        }
        return out;
    }

    /** The first flusher wake-up at which data dirtied at {@code t} has expired. */
    private static double natural(double t, HostModel host) {
        double due = t + host.expireSeconds();
        return Math.ceil(due / host.intervalSeconds()) * host.intervalSeconds();
    }

    /** When each write, entering the device at {@code in[i]} (in order), reaches media. */
    private static double[] deviceSafe(double[] in, long size, double[] flushes, HostModel host) {
        int n = in.length;
        double[] media = new double[n];
        long capacity = host.deviceCacheBytes();
        // The device destages oldest first: the cached writes are indices head..i-1.
        int head = 0;
        int f = 0;
        for (int i = 0; i <= n; i++) {
            double now = i < n ? in[i] : Double.POSITIVE_INFINITY;
            while (true) {
                double nextFlush = f < flushes.length && flushes[f] < now ? flushes[f] : Double.POSITIVE_INFINITY;
                double destage = head == i ? Double.POSITIVE_INFINITY : in[head] + host.destageSeconds();
                if (destage > now) {
                    destage = Double.POSITIVE_INFINITY;
                }
                if (nextFlush == Double.POSITIVE_INFINITY && destage == Double.POSITIVE_INFINITY) {
                    break;
                }
                if (destage <= nextFlush) {
                    media[head++] = destage;
                } else {
                    for (int j = head; j < i; j++) {
                        media[j] = nextFlush;
                    }
                    head = i;
                    f++;
                }
            }
            if (i == n) {
                // A cache that never destages (tmpfs: commit time infinite) keeps the rest.
                for (int j = head; j < n; j++) {
                    media[j] = Double.POSITIVE_INFINITY;
                }
                break;
            }
            if (capacity < size) {
                media[i] = now;
                head = i + 1;
                continue;
            }
            while ((long) (i + 1 - head) * size > capacity) {
                media[head++] = now;
            }
        }
        return media;
    }

    private static double[] instants(double from, double end, long seed) {
        Random random = new Random(seed);
        double[] t = new double[INSTANTS];
        for (int k = 0; k < INSTANTS; k++) {
            t[k] = from + random.nextDouble() * (end - from);
        }
        return t;
    }

    /** Bytes acknowledged but not safe at each instant: writes with {@code ack <= t < safe}. */
    private static Loss loss(double[] ack, double[] safe, long size, double[] instants) {
        int m = 0;
        double[] starts = new double[ack.length];
        double[] ends = new double[ack.length];
        for (int i = 0; i < ack.length; i++) {
            if (safe[i] > ack[i]) {
                starts[m] = ack[i];
                ends[m] = safe[i];
                m++;
            }
        }
        starts = sorted(Arrays.copyOf(starts, m));
        ends = sorted(Arrays.copyOf(ends, m));
        long[] samples = new long[instants.length];
        for (int k = 0; k < instants.length; k++) {
            long begun = upTo(starts, instants[k]);
            long over = upTo(ends, instants[k]);
            samples[k] = (begun - over) * size;
        }
        Arrays.sort(samples);
        return new Loss(percentile(samples, 0.50), percentile(samples, 0.95), samples[samples.length - 1]);
    }

    /** The array sorted; most arrive sorted already (writes leave each cache oldest first). */
    private static double[] sorted(double[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] < a[i - 1]) {
                Arrays.sort(a);
                break;
            }
        }
        return a;
    }

    /** How many values are at most {@code t} in a sorted array. */
    private static long upTo(double[] sorted, double t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
