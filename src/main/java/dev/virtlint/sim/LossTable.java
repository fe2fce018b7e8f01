package dev.virtlint.sim;

import dev.virtlint.model.CacheMode;
import java.util.List;

/**
 * The loss model's results for the default host (no host profile, the usual case), computed ahead
 * of time into {@link DefaultHostLosses}. The loss model is a pure function of its inputs and the
 * seed is fixed, so a row is exactly what {@link LossModel#simulate} returns; looking it up spares a
 * one-file lint the two simulations of tens of thousands of writes its findings need (about 50 ms
 * before the JIT compiles the loops). {@code LossTableTest} recomputes every row and fails when the
 * table is stale; any other host, or a device slower than a workload's writes (whose dirty data
 * settles at the throttling setpoint), is simulated as before.
 *
 * <p>Rows follow {@link Workload#ALL}; within a workload, {@link #flags} orders the switches. Each row
 * holds nine values: p50, p95 and max bytes for a QEMU crash, a host crash and a power loss.
 */
final class LossTable {

    static final int VALUES = 9;
    static final int FLAG_COMBINATIONS = 16;

    private static final HostModel DEFAULT_HOST = HostModel.defaults();

    private LossTable() {
    }

    /** The precomputed losses, or null when the table does not cover these inputs. */
    static LossModel.Losses lookup(boolean writeback, boolean direct, boolean noFlush, boolean guestFlushes,
                                   Workload workload, HostModel host, boolean deviceBehind) {
        int w = Workload.ALL.indexOf(workload);
        if (w < 0 || !coversHost(host) || deviceBehind != behind(workload)) {
            return null;
        }
        return decode(DefaultHostLosses.BYTES, (w * FLAG_COMBINATIONS + flags(writeback, direct, noFlush, guestFlushes))
                * VALUES);
    }

    /** The host model's figures are the defaults; what it says it assumed does not change a loss. */
    static boolean coversHost(HostModel h) {
        HostModel d = DEFAULT_HOST;
        return h.memoryBytes() == d.memoryBytes() && h.dirtyableBytes() == d.dirtyableBytes()
                && h.backgroundRatio() == d.backgroundRatio() && h.expireSeconds() == d.expireSeconds()
                && h.intervalSeconds() == d.intervalSeconds() && h.dirtyRatio() == d.dirtyRatio()
                && h.deviceCacheBytes() == d.deviceCacheBytes() && h.destageSeconds() == d.destageSeconds()
                && h.batteryBacked() == d.batteryBacked()
                && h.flushesHonoured() == d.flushesHonoured()
                && h.cacheInHostMemory() == d.cacheInHostMemory();
    }

    /** Whether the built-in device is behind the workload's writes, as the table's rows have it. */
    static boolean behind(Workload w) {
        return LossModel.deviceBehind(w, DeviceCosts.builtIn());
    }

    static int flags(boolean writeback, boolean direct, boolean noFlush, boolean guestFlushes) {
        return (writeback ? 1 : 0) | (direct ? 2 : 0) | (noFlush ? 4 : 0) | (guestFlushes ? 8 : 0);
    }

    /** Every row, simulated: what {@link DefaultHostLosses} must hold. */
    static long[] compute() {
        List<Workload> workloads = Workload.ALL;
        long[] table = new long[workloads.size() * FLAG_COMBINATIONS * VALUES];
        for (int w = 0; w < workloads.size(); w++) {
            for (int f = 0; f < FLAG_COMBINATIONS; f++) {
                CacheMode mode = new CacheMode((f & 1) != 0, (f & 2) != 0, (f & 4) != 0, true);
                LossModel.Losses l = LossModel.simulate(mode, (f & 8) != 0, workloads.get(w), DEFAULT_HOST,
                        behind(workloads.get(w)), Simulator.SEED);
                int at = (w * FLAG_COMBINATIONS + f) * VALUES;
                LossModel.Loss[] kinds = {l.qemuCrash(), l.hostCrash(), l.powerLoss()};
                for (int k = 0; k < 3; k++) {
                    table[at + 3 * k] = kinds[k].p50();
                    table[at + 3 * k + 1] = kinds[k].p95();
                    table[at + 3 * k + 2] = kinds[k].max();
                }
            }
        }
        return table;
    }

    private static LossModel.Losses decode(long[] t, int at) {
        return new LossModel.Losses(new LossModel.Loss(t[at], t[at + 1], t[at + 2]),
                new LossModel.Loss(t[at + 3], t[at + 4], t[at + 5]), new LossModel.Loss(t[at + 6], t[at + 7], t[at + 8]));
    }
}
