package dev.virtlint.sim;

import dev.virtlint.model.CacheMode;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;

/**
 * How many bytes a failure loses that the guest had been told were durable. Deterministic: the
 * write stream is steady, and failures strike at instants drawn from a fixed seed.
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
 *       destages after a delay, when full, or at a flush; a battery-backed cache counts as media).</li>
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
    public static Losses simulate(CacheMode cache, boolean guestFlushes, Workload workload, HostModel host, long seed) {
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

        double[] qemuSafe = done;
        double[] hostSafe;
        double[] powerSafe;
        if (!cache.writeback()) {
            // O_DSYNC: every write is on stable storage when it completes.
            hostSafe = done;
            powerSafe = done;
        } else if (cache.direct()) {
            hostSafe = done;
            powerSafe = deviceSafe(done, size, honoured ? flushes : new double[0], host);
        } else {
            double[] fsynced = new double[n];
            hostSafe = pageCacheOut(done, size, honoured ? flushes : new double[0], host, fsynced);
            double[] viaDevice = deviceSafe(hostSafe, size, honoured ? flushes : new double[0], host);
            powerSafe = new double[n];
            for (int i = 0; i < n; i++) {
                // An fsync also flushes the device cache: data written back by it is on media.
                powerSafe[i] = fsynced[i] > 0 ? fsynced[i] : viaDevice[i];
            }
        }
        if (host.batteryBacked()) {
            powerSafe = hostSafe;
        }
        double[] instants = instants(end, seed);
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
        ArrayDeque<Integer> dirty = new ArrayDeque<>();
        long dirtyBytes = 0;
        int f = 0;
        for (int i = 0; i <= n; i++) {
            double now = i < n ? done[i] : Double.POSITIVE_INFINITY;
            // A flush at the instant a write completes comes after it, so flushes go strictly before now.
            while (true) {
                double nextFlush = f < flushes.length && flushes[f] < now ? flushes[f] : Double.POSITIVE_INFINITY;
                double nextExpiry = dirty.isEmpty() ? Double.POSITIVE_INFINITY : natural(done[dirty.peekFirst()], host);
                if (nextExpiry > now) {
                    nextExpiry = Double.POSITIVE_INFINITY;
                }
                if (nextFlush == Double.POSITIVE_INFINITY && nextExpiry == Double.POSITIVE_INFINITY) {
                    break;
                }
                if (nextExpiry <= nextFlush) {
                    out[dirty.pollFirst()] = nextExpiry;
                    dirtyBytes -= size;
                } else {
                    for (int j : dirty) {
                        out[j] = nextFlush;
                        fsynced[j] = nextFlush;
                    }
                    dirty.clear();
                    dirtyBytes = 0;
                    f++;
                }
            }
            if (i == n) {
                break;
            }
            dirty.addLast(i);
            dirtyBytes += size;
            while (dirtyBytes > limit) {
                out[dirty.pollFirst()] = now;
                dirtyBytes -= size;
            }
        }
        return out;
    }

    /** The first flusher wake-up at which data dirtied at {@code t} has expired. */
    private static double natural(double t, HostModel host) {
        double due = t + host.expireSeconds();
        return Math.ceil(due / host.intervalSeconds()) * host.intervalSeconds();
    }

    /** When each write, entering the device at {@code in[i]}, reaches media. */
    private static double[] deviceSafe(double[] in, long size, double[] flushes, HostModel host) {
        int n = in.length;
        double[] media = new double[n];
        ArrayDeque<Integer> cached = new ArrayDeque<>();
        long bytes = 0;
        long capacity = host.deviceCacheBytes();
        int f = 0;
        for (int i = 0; i <= n; i++) {
            double now = i < n ? in[i] : Double.POSITIVE_INFINITY;
            while (true) {
                double nextFlush = f < flushes.length && flushes[f] < now ? flushes[f] : Double.POSITIVE_INFINITY;
                double destage = cached.isEmpty() ? Double.POSITIVE_INFINITY
                        : in[cached.peekFirst()] + host.destageSeconds();
                if (destage > now) {
                    destage = Double.POSITIVE_INFINITY;
                }
                if (nextFlush == Double.POSITIVE_INFINITY && destage == Double.POSITIVE_INFINITY) {
                    break;
                }
                if (destage <= nextFlush) {
                    media[cached.pollFirst()] = destage;
                    bytes -= size;
                } else {
                    for (int j : cached) {
                        media[j] = nextFlush;
                    }
                    cached.clear();
                    bytes = 0;
                    f++;
                }
            }
            if (i == n) {
                break;
            }
            if (capacity < size) {
                media[i] = now;
                continue;
            }
            cached.addLast(i);
            bytes += size;
            while (bytes > capacity) {
                media[cached.pollFirst()] = now;
                bytes -= size;
            }
        }
        return media;
    }

    private static double[] instants(double end, long seed) {
        Random random = new Random(seed);
        double[] t = new double[INSTANTS];
        for (int k = 0; k < INSTANTS; k++) {
            t[k] = random.nextDouble() * end;
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
        starts = Arrays.copyOf(starts, m);
        ends = Arrays.copyOf(ends, m);
        Arrays.sort(starts);
        Arrays.sort(ends);
        long[] samples = new long[instants.length];
        for (int k = 0; k < instants.length; k++) {
            long begun = upTo(starts, instants[k]);
            long over = upTo(ends, instants[k]);
            samples[k] = (begun - over) * size;
        }
        Arrays.sort(samples);
        return new Loss(percentile(samples, 0.50), percentile(samples, 0.95), samples[samples.length - 1]);
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
