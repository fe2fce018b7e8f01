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
 * that flushes; its completion for one that does not) and, per failure kind, the time from which
 * that failure no longer loses it:
 * <ul>
 *   <li>qemu-crash: once QEMU has handed the write to the host kernel or device, which is at
 *       completion in every mode;</li>
 *   <li>host-crash: once it has left the host page cache (at once with O_DIRECT or O_DSYNC;
 *       otherwise when the flusher writes it back, when the dirty limit pushes it out, or at an
 *       honoured flush);</li>
 *   <li>power-loss: once it is on media (additionally through the device's volatile cache, which
 *       destages after a delay, when full, or at a flush; a battery-backed cache counts as media).
 *       Where that cache is the host's memory ({@link HostModel#cacheInHostMemory}) a host crash
 *       loses the same.</li>
 * </ul>
 * The loss at an instant is the sum of writes that are acknowledged but not yet safe.
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
        int n = (int) Math.max(1, Math.min(2_000_000, Math.round(workload.durationSeconds() / workload.writeGap())));
        double gap = workload.writeGap();
        long size = workload.writeBytes();
        double[] done = new double[n];
        for (int i = 0; i < n; i++) {
            done[i] = (i + 1) * gap;
        }
        double end = n * gap;
        double[] flushes = guestFlushes ? flushTimes(workload, done, end) : new double[0];
        double[] ack = ackTimes(done, flushes, guestFlushes);
        boolean honoured = !cache.noFlush();
        // Storage that ignores flushes (HostModel.ignoringFlushes): the page cache still writes
        // back on fsync, but nothing empties the storage's cache before its own time.
        double[] deviceFlushes = honoured && host.flushesHonoured() ? flushes : new double[0];

        double[] qemuSafe = done;
        double[] hostSafe;
        double[] powerSafe;
        if (!cache.writeback()) {
            // O_DSYNC: every write is on stable storage when it completes, if the storage honours
            // it.
            hostSafe = done;
            powerSafe = host.flushesHonoured() ? done : deviceSafe(done, size, deviceFlushes, host);
        } else if (cache.direct()) {
            hostSafe = done;
            powerSafe = deviceSafe(done, size, deviceFlushes, host);
        } else {
            double[] fsynced = new double[n];
            hostSafe = pageCacheOut(done, size, honoured ? flushes : new double[0], host, fsynced);
            double[] viaDevice = deviceSafe(hostSafe, size, deviceFlushes, host);
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
     * When each write leaves the host page cache. The flusher wakes every interval and writes what
     * has been dirty for at least the expiry; beyond the dirty limit the oldest data goes at once; an
     * honoured flush (fsync) writes everything. {@code fsynced[i]} gets the flush time when an fsync
     * wrote it, else stays 0.
     */
    private static double[] pageCacheOut(double[] done, long size, double[] flushes, HostModel host, double[] fsynced) {
        int n = done.length;
        double[] out = new double[n];
        long limit = Math.max(size, host.dirtyLimitBytes());
        // Data leaves the page cache oldest first, so the dirty writes are always indices head..i-1.
        int head = 0;
        int f = 0;
        for (int i = 0; i <= n; i++) {
            double now = i < n ? done[i] : Double.POSITIVE_INFINITY;
            // A flush at the instant a write completes comes after it, so flushes go strictly before now.
            while (true) {
                double nextFlush = f < flushes.length && flushes[f] < now ? flushes[f] : Double.POSITIVE_INFINITY;
                double nextExpiry = head == i ? Double.POSITIVE_INFINITY : natural(done[head], host);
                if (nextExpiry > now) {
                    nextExpiry = Double.POSITIVE_INFINITY;
                }
                if (nextFlush == Double.POSITIVE_INFINITY && nextExpiry == Double.POSITIVE_INFINITY) {
                    break;
                }
                if (nextExpiry <= nextFlush) {
                    out[head++] = nextExpiry;
                } else {
                    for (int j = head; j < i; j++) {
                        out[j] = nextFlush;
                        fsynced[j] = nextFlush;
                    }
                    head = i;
                    f++;
                }
            }
            if (i == n) {
                break;
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
