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
 *   <li>writethrough and directsync make every write durable before it completes. QEMU turns off
 *       the device's write cache and sends each write with FUA (block/block-backend.c,
 *       blk_co_do_pwritev_part: {@code flags |= BDRV_REQ_FUA} when the write cache is off); where the
 *       file driver cannot pass FUA down, block/io.c bdrv_driver_pwritev emulates it with a flush
 *       after the write ({@code emulate_fua}), which is what qemu-img 7.2 does here. So
 *       writethrough costs a buffered write, its write-out and a flush; directsync an O_DIRECT
 *       write and a flush, or a single FUA write ({@link DeviceCosts#fuaUs}) where the whole path
 *       supports one and the space is allocated;</li>
 *   <li>flushes sent while others are in flight are merged: block/io.c bdrv_co_flush waits for the
 *       flush in progress and skips a flush when no write completed since ({@code flushed_gen}),
 *       so under directsync and none a flush's cost is shared by the requests in flight. Measured
 *       here (qemu-img-bench-measured.tsv, w4k-d64 against w4k-d1), buffered writes with a flush
 *       each (writethrough) gain nothing from depth; O_DIRECT writes that allocate serialise their
 *       allocation and share their flushes;</li>
 *   <li>qcow2 adds work per request, per new cluster and per flush.</li>
 * </ul>
 *
 * <p>The guest's flushes are part of the pattern ({@link IoPattern#writesPerFlush()}): a guest
 * sends them only when QEMU shows it a write cache (cache.writeback=on); {@link Workload#pattern}
 * is asked accordingly.
 */
final class SpeedModel {

    private SpeedModel() {
    }

    /** QEMU's worker threads for aio=threads (util/thread-pool.c, thread_pool_init_one: max_threads 64). */
    static final int POOL = 64;

    /** Microseconds per write, the write's share of flushes included. */
    public static double writeMicros(CacheMode mode, IoPattern p, DeviceCosts c) {
        // A write into new qcow2 clusters allocates them in one go, however many it needs
        // (block/qcow2-cluster.c, do_alloc_cluster_offset: qcow2_alloc_clusters(bs, nb_clusters *
        // cluster_size)); smaller writes share a cluster, 64 KiB / size of them a new one.
        double allocations = p.qcow2() ? Math.min(1, (double) p.size() / IoPattern.CLUSTER) : 1;
        double clusters = p.qcow2() && !p.preallocated() ? allocations : 0;
        double cpu = c.submitUs() + c.dispatchUs() / Math.min(p.depth(), POOL)
                + (p.qcow2() ? c.qcow2WriteUs() + clusters * c.qcow2ClusterUs() : 0);
        double allocate = p.preallocated() ? 0 : allocations * c.allocateUs();
        double copy = p.size() / c.copyMBps();
        double transfer = p.size() / c.deviceMBps();
        double parallel = Math.min(p.depth(), c.deviceQueue());
        // Requests in flight overlap the device's latency, not its bandwidth.
        double device = c.deviceLatencyUs() / parallel + transfer;
        double contention = 1 + c.syncContention() * log2(p.depth());
        // A durable write's emulated FUA is a flush of the node that lacks FUA (block/io.c
        // bdrv_driver_pwritev); qcow2 declares no FUA, so on a sparse qcow2 image such a write also
        // pays qcow2's flush of its metadata caches, which writes only dirty entries (block/qcow2.c
        // qcow2_write_caches): those of the writes that allocated a cluster.
        double qcow2Sync = p.qcow2() && !p.preallocated() ? allocations * c.qcow2FlushUs() : 0;
        // Under aio=threads (qemu-img bench, libvirt's default) the emulated flush goes through the
        // worker pool like any flush (block/file-posix.c raw_co_flush_to_disk ends in
        // raw_thread_pool_submit): a round trip besides the write's own (review-speed.md finding 4).
        double flushTrip = c.dispatchUs();

        double write;
        if (mode.writeback() && !mode.direct()) {
            write = cpu + copy;
        } else if (mode.writeback()) {
            write = cpu + allocate + device;
        } else if (!mode.direct()) {
            write = (cpu + copy + c.writeoutUs() + allocate + c.deviceLatencyUs() + transfer + flushTrip
                    + c.flushUs() + qcow2Sync) * contention;
        } else if (!p.preallocated()) {
            // Writes that allocate take the inode's lock in turn (the allocation is serial), but
            // their flushes merge like any others (bdrv_co_flush): measured here, w4k-d64 against
            // w4k-d1 under directsync gains on sparse images too (review-speed.md finding 9).
            write = (cpu + allocate + c.deviceLatencyUs() + transfer) * contention
                    + (flushTrip + c.flushUs() + qcow2Sync) / p.depth();
        } else if (fuaApplies(c)) {
            // One FUA write: the device holds it until it is durable, so it occupies the queue. FUA
            // needs aio=native or io_uring (see DeviceCosts#fuaUs), which have no worker pool.
            write = cpu - c.dispatchUs() / Math.min(p.depth(), POOL) + (c.deviceLatencyUs() + c.fuaUs()) / parallel
                    + transfer;
        } else {
            write = cpu + device + (flushTrip + c.flushUs()) / p.depth();
        }
        if (p.writesPerFlush() == 0) {
            return write;
        }
        double flush = c.submitUs();
        if (!mode.writeback()) {
            // writethrough and directsync: every write was made durable already, so the flush
            // finds nothing to do and returns (block/io.c bdrv_co_flush: flushed_gen equals
            // write_gen). strace shows one fdatasync per write with or without the extra flush
            // (review-speed.md finding 5): the flush costs only its request.
            return write + flush / p.writesPerFlush();
        }
        if (!mode.noFlush()) {
            // unsafe answers a flush at once (block/io.c bdrv_co_flush, BDRV_O_NO_FLUSH); any other
            // mode sends it to a worker thread, a round trip other requests in flight overlap.
            // qcow2 writes out its metadata caches' dirty entries on a flush (block/qcow2.c,
            // qcow2_co_flush_to_os and qcow2_write_caches); only new clusters make entries dirty.
            flush += c.dispatchUs() / Math.min(p.depth(), POOL)
                    + (p.qcow2() && !p.preallocated() ? c.qcow2FlushUs() : 0);
            if (mode.direct()) {
                flush += c.flushUs() / p.depth();
            } else {
                // One fdatasync writes out every dirty page of the image and flushes once, so the
                // flushes of requests in flight share its fixed part, as under none.
                double dirty = (double) p.writesPerFlush() * p.size();
                flush += (c.writeoutUs() + (p.preallocated() ? 0 : c.allocateUs()) + c.deviceLatencyUs()
                        + c.flushUs()) / p.depth() + dirty / c.deviceMBps();
            }
        }
        return write + flush / p.writesPerFlush();
    }

    /**
     * Whether a durable O_DIRECT write into allocated space is one FUA write rather than a write
     * and a flush: the costs say so by a fua-us below flush-us ({@link DeviceCosts#fuaUs}).
     */
    static boolean fuaApplies(DeviceCosts c) {
        return c.fuaUs() < c.flushUs();
    }

    /** Microseconds per read; {@code hostHit} is the share found in the host page cache when it is used. */
    public static double readMicros(CacheMode mode, IoPattern p, double hostHit, DeviceCosts c) {
        double cpu = c.submitUs() + c.dispatchUs() / Math.min(p.depth(), POOL) + (p.qcow2() ? c.qcow2WriteUs() : 0);
        double fromDevice = c.readLatencyUs() / Math.min(p.depth(), c.deviceQueue()) + p.size() / c.deviceMBps();
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
