package dev.virtlint.sim;

import dev.virtlint.model.CacheMode;

/**
 * How fast one disk's I/O path runs under a cache mode: the time each request spends in each step,
 * from {@link DeviceCosts}. Work that holds a lock or the journal adds up; device service time is
 * shared by the requests in flight, up to the device's queue.
 *
 * <ul>
 *   <li>writeback and unsafe copy into the host page cache; a flush (writeback only) then writes the
 *       dirty pages out, allocates their space once, and flushes the device;</li>
 *   <li>none writes through to the device, allocating space on each first write of a sparse image;
 *       a flush flushes the device;</li>
 *   <li>writethrough and directsync make every write synchronous: write-out, allocation and a
 *       device flush per write, slowed further when many are in flight (journal contention);</li>
 *   <li>qcow2 adds work per request, per new cluster and per flush.</li>
 * </ul>
 */
final class SpeedModel {

    private SpeedModel() {
    }

    /** Microseconds per write, the write's share of flushes included. */
    public static double writeMicros(CacheMode mode, IoPattern p, DeviceCosts c) {
        double clusters = p.qcow2() && !p.preallocated() ? (double) p.size() / IoPattern.CLUSTER : 0;
        double cpu = c.submitUs() + (p.qcow2() ? c.qcow2WriteUs() + clusters * c.qcow2ClusterUs() : 0);
        double allocate = p.preallocated() ? 0 : (p.qcow2() ? clusters : 1) * c.allocateUs();
        double copy = p.size() / c.copyMBps();
        double device = c.deviceLatencyUs() + p.size() / c.deviceMBps();
        double parallel = Math.min(p.depth(), c.deviceQueue());
        double contention = 1 + c.syncContention() * log2(p.depth());

        double write;
        if (mode.writeback() && !mode.direct()) {
            write = cpu + copy;
        } else if (mode.writeback()) {
            write = cpu + allocate + device / parallel;
        } else if (!mode.direct()) {
            write = (cpu + copy + c.writeoutUs() + allocate + device + c.flushUs()) * contention;
        } else {
            write = (cpu + allocate + device + c.flushUs()) * contention;
        }
        if (p.writesPerFlush() == 0) {
            return write;
        }
        double flush = c.submitUs();
        if (!mode.noFlush()) {
            flush += p.qcow2() ? c.qcow2FlushUs() : 0;
            if (mode.writeback() && mode.direct()) {
                flush += c.flushUs();
            } else if (mode.writeback()) {
                double dirty = (double) p.writesPerFlush() * p.size();
                flush += c.writeoutUs() + (p.preallocated() ? 0 : c.allocateUs()) + c.deviceLatencyUs()
                        + dirty / c.deviceMBps() + c.flushUs();
            }
        }
        return write + flush / p.writesPerFlush();
    }

    /** Microseconds per read; {@code hostHit} is the share found in the host page cache when it is used. */
    public static double readMicros(CacheMode mode, IoPattern p, double hostHit, DeviceCosts c) {
        double cpu = c.submitUs() + (p.qcow2() ? c.qcow2WriteUs() : 0);
        double fromDevice = (c.readLatencyUs() + p.size() / c.deviceMBps()) / Math.min(p.depth(), c.deviceQueue());
        if (mode.direct()) {
            return cpu + fromDevice;
        }
        double copy = p.size() / c.copyMBps();
        return cpu + copy + (1 - hostHit) * fromDevice;
    }

    /** MB/s (decimal megabytes) for requests of {@code size} bytes taking {@code micros} each. */
    public static double mbps(int size, double micros) {
        return size / micros;
    }

    private static double log2(int depth) {
        return Math.log(depth) / Math.log(2);
    }
}
