package dev.virtlint.sim;

import dev.virtlint.model.CacheMode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Predictions for one disk: the loss model and the speed model run for a scenario. Identical
 * scenarios are computed once per run (many disks of a repository share one), and every figure is a
 * pure function of the scenario, so output is the same on every run.
 */
public final class Simulator {

    /** The seed for failure instants: fixed, so the same input gives the same figures. */
    public static final long SEED = 20_260_401L;

    /** What the guest is assumed to have when the domain does not say. */
    public static final long DEFAULT_GUEST_MEMORY = 2L << 30;

    /**
     * Everything a prediction depends on.
     *
     * @param cache        the disk's cache switches
     * @param guestFlushes whether the guest sends flushes
     * @param workload     what the guest does
     * @param qcow2        the image is qcow2
     * @param preallocated the host need not allocate space on first write (block devices, preallocated images)
     * @param guestMemory  the guest's memory, which bounds what its page cache holds
     * @param host         the host's page cache and device
     * @param costs        the host's device costs
     */
    public record Scenario(CacheMode cache, boolean guestFlushes, Workload workload, boolean qcow2,
                           boolean preallocated, long guestMemory, HostModel host, DeviceCosts costs) {

        public Scenario {
            cache = new CacheMode(cache.writeback(), cache.direct(), cache.noFlush(), true);
        }

        public Scenario withCache(CacheMode mode) {
            return new Scenario(mode, guestFlushes, workload, qcow2, preallocated, guestMemory, host, costs);
        }

        // Written out for start-up speed; see Span.
        @Override
        public boolean equals(Object o) {
            return o instanceof Scenario s && s.cache.equals(cache) && s.guestFlushes == guestFlushes
                    && s.workload.equals(workload) && s.qcow2 == qcow2 && s.preallocated == preallocated
                    && s.guestMemory == guestMemory && s.host.equals(host) && s.costs.equals(costs);
        }

        @Override
        public int hashCode() {
            int h = cache.hashCode();
            h = 31 * h + Boolean.hashCode(guestFlushes);
            h = 31 * h + workload.hashCode();
            h = 31 * h + Boolean.hashCode(qcow2);
            h = 31 * h + Boolean.hashCode(preallocated);
            h = 31 * h + Long.hashCode(guestMemory);
            h = 31 * h + host.hashCode();
            return 31 * h + costs.hashCode();
        }
    }

    /** What the loss model depends on: far fewer combinations than whole scenarios. */
    private record LossKey(boolean writeback, boolean direct, boolean noFlush, boolean guestFlushes, Workload workload,
                           HostModel host, boolean deviceBehind) {

        // Written out for start-up speed; see Span.
        @Override
        public boolean equals(Object o) {
            return o instanceof LossKey k && k.writeback == writeback && k.direct == direct && k.noFlush == noFlush
                    && k.guestFlushes == guestFlushes && k.workload.equals(workload) && k.host.equals(host)
                    && k.deviceBehind == deviceBehind;
        }

        @Override
        public int hashCode() {
            int h = (writeback ? 1 : 0) | (direct ? 2 : 0) | (noFlush ? 4 : 0) | (guestFlushes ? 8 : 0)
                    | (deviceBehind ? 16 : 0);
            h = 31 * h + workload.hashCode();
            return 31 * h + host.hashCode();
        }
    }

    private final Map<Scenario, Prediction> cache = new ConcurrentHashMap<>();
    private final Map<LossKey, LossModel.Losses> losses = new ConcurrentHashMap<>();
    private final LongAdder nanos = new LongAdder();
    private final boolean precomputed;

    /** A simulator that looks up the default host's losses ({@link LossTable}). */
    public Simulator() {
        this(true);
    }

    /** @param precomputed look up the default host's losses; false simulates every one (to measure the model) */
    public Simulator(boolean precomputed) {
        this.precomputed = precomputed;
    }

    /** Predictions for a scenario, computed on first use. */
    public Prediction predict(Scenario s) {
        Prediction p = cache.get(s);
        if (p == null) {
            long start = System.nanoTime();
            p = cache.computeIfAbsent(s, this::compute);
            nanos.add(System.nanoTime() - start);
        }
        return p;
    }

    /** How many distinct scenarios were computed. */
    public int computed() {
        return cache.size();
    }

    /** How many distinct loss simulations ran. */
    public int lossRuns() {
        return losses.size();
    }

    /** Time spent computing predictions (not looking them up), in nanoseconds. */
    public long computeNanos() {
        return nanos.sum();
    }

    /** The evidence for a finding: the scenario as it is and with the recommended cache mode. */
    public Evidence evidence(Scenario current, CacheMode recommended, List<String> assumptions) {
        Prediction now = predict(current);
        Prediction then = predict(current.withCache(recommended));
        List<String> all = assumed(current, assumptions);
        if (perInode(current.cache(), now) || perInode(recommended, then)) {
            all.add(LossModel.perInodeBound(current.host()));
        }
        Evidence.Basis known = Evidence.Basis.of(Workload.byId(current.workload().id()).orElse(null));
        return new Evidence(current.workload().id(), current.guestFlushes(), now, then, all,
                List.of(), known, current);
    }

    /**
     * Whether a prediction's host crash figure is what the host page cache holds, and so rests on
     * per-inode expiry's upper bound ({@link LossModel#perInodeBound}).
     */
    public static boolean perInode(CacheMode mode, Prediction p) {
        return !mode.direct() && p.loss().hostCrash().p95() > 0;
    }

    /** What a prediction for {@code s} assumes: {@code assumptions}, then what its host assumes. */
    public static List<String> assumed(Scenario s, List<String> assumptions) {
        List<String> all = new ArrayList<>(assumptions);
        if (!s.host().assumptions().isEmpty()) {
            all.add(s.host().assumptions());
        }
        return all;
    }

    private Prediction compute(Scenario s) {
        CacheMode mode = s.cache();
        Workload w = s.workload();
        // The device's speed decides where a writer's dirty data settles (LossModel: the background
        // threshold, or the throttling setpoint when the device is behind). The qcow2 L2 cache's
        // loss is not merged here: it is a conditional bound (LossModel.qcow2Metadata), a note.
        boolean behind = LossModel.deviceBehind(w, s.costs());
        LossModel.Losses lost = losses.computeIfAbsent(new LossKey(mode.writeback(), mode.direct(), mode.noFlush(),
                s.guestFlushes(), w, s.host(), behind), k -> losses(mode, s.guestFlushes(), w, s.host(), behind));
        // A guest flushes only a write cache it sees: QEMU shows one when cache.writeback is on
        // (qemu(1), -drive cache: cache.writeback "provides a default for the write-cache option of
        // block guest devices"). With it off, Linux drops the flushes before they leave the guest
        // (block/blk-core.c submit_bio_noacct clears REQ_PREFLUSH and REQ_FUA on a queue without a
        // write cache), so writethrough and directsync see none: each write is made durable by QEMU.
        IoPattern p = w.pattern(s.guestFlushes() && mode.writeback(), s.qcow2(), s.preallocated());
        double write = SpeedModel.mbps(p.size(), SpeedModel.writeMicros(mode, p, s.costs()));
        boolean pageCache = !mode.direct();
        if (pageCache && mode.writeback()) {
            // Past the dirty limit, buffered writes go no faster than the device writes them back.
            double volume = w.writeRate() * w.durationSeconds();
            double limit = s.host().dirtyLimitBytes();
            if (volume > limit) {
                write = Math.min(write, s.costs().deviceMBps() * volume / (volume - limit));
            }
        }
        double read = SpeedModel.mbps(p.size(), SpeedModel.readMicros(mode, p, w.hostHit(), s.costs()));
        long duplicate = pageCache ? Math.min(s.guestMemory() / 2, s.host().memoryBytes() / 2) : 0;
        return new Prediction(mode.modeName(), lost, round(write), round(read), duplicate);
    }

    private LossModel.Losses losses(CacheMode mode, boolean guestFlushes, Workload w, HostModel host,
                                    boolean behind) {
        LossModel.Losses known = precomputed
                ? LossTable.lookup(mode.writeback(), mode.direct(), mode.noFlush(), guestFlushes, w, host, behind) : null;
        return known != null ? known : LossModel.simulate(mode, guestFlushes, w, host, behind, SEED);
    }

    /** Three significant digits: what the figures can claim, and the same text on every platform. */
    static double round(double value) {
        return new BigDecimal(value).round(new MathContext(3)).doubleValue();
    }
}
