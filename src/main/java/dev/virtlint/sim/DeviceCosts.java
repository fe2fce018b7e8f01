package dev.virtlint.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each step of a disk's I/O path costs on one host, in microseconds (or MB/s, which is bytes
 * per microsecond). The built-in values are fitted to the training cells of
 * {@code qemu-img-bench-measured.tsv} (measured with {@code qemu-img bench} by bin/bench-measure); the
 * ratio table of domain.md section 5 ({@code qemu-img-bench.tsv}) is held out. {@code virtlint probe
 * --bench} fits them to the host it runs on and writes them into the host profile.
 *
 * @param submitUs        QEMU and system call work per request
 * @param copyMBps        copying into or out of the host page cache
 * @param deviceLatencyUs the device's service time for one write
 * @param readLatencyUs   the device's service time for one read
 * @param deviceMBps      the device's transfer rate
 * @param deviceQueue     how many requests the device serves at once
 * @param allocateUs      the host filesystem allocating space on the first write to it
 * @param writeoutUs      the kernel writing dirty pages back for an fsync or O_DSYNC write
 * @param flushUs         a device cache flush with its journal commit
 * @param syncContention  how much slower each synchronous write gets per doubling of writes in flight
 * @param qcow2WriteUs    qcow2's extra work per request
 * @param qcow2ClusterUs  qcow2 allocating one cluster (L2 and refcount updates)
 * @param qcow2FlushUs    qcow2's extra work per flush (writing its metadata caches)
 * @param fuaUs           what makes one O_DIRECT write into allocated space durable when it is sent as a
 *                        FUA write rather than a write and a flush; no more than {@code flushUs} (the
 *                        model uses the smaller). A FUA write needs the whole path: QEMU 10.0 and later
 *                        pass writethrough's FUA down as RWF_DSYNC with aio=native or io_uring (QEMU
 *                        commit 984a32f17e8d "file-posix: Support FUA writes"; older QEMU and
 *                        aio=threads emulate it with a flush, block/io.c bdrv_driver_pwritev), and Linux
 *                        sends REQ_FUA only for a write that needs no metadata update and a device that
 *                        supports FUA or has no volatile write cache (fs/iomap/direct-io.c,
 *                        iomap_dio_bio_iter). Where any part is missing, it costs a flush: fua-us =
 *                        flush-us.
 * @param dispatchUs      the round trip of a request through QEMU's worker threads (aio=threads, what
 *                        qemu-img bench and libvirt's default use): waking a worker and being woken
 *                        by its completion. Requests in flight overlap it, up to the pool's 64
 *                        threads (util/thread-pool.c, thread_pool_init_one: max_threads 64).
 */
public record DeviceCosts(double submitUs, double copyMBps, double deviceLatencyUs, double readLatencyUs,
                          double deviceMBps, double deviceQueue, double allocateUs, double writeoutUs, double flushUs,
                          double syncContention, double qcow2WriteUs, double qcow2ClusterUs, double qcow2FlushUs,
                          double fuaUs, double dispatchUs) {

    /** The parameter names, in record order, as host profiles spell them. */
    public static final String[] NAMES = dev.virtlint.facts.HostFacts.COST_NAMES.toArray(String[]::new);

    /**
     * Fitted by {@code bin/bench-sim --fit} (rounded to three digits) to the training cells of
     * {@code qemu-img-bench-measured.tsv}: absolute throughputs measured with qemu-img 7.2 on an ext4
     * virtio disk (2 CPUs, Linux 6.18), within {@link Calibration.Bounds#measured} (the flush no
     * slower than a write and a flush together, the device's rate near the fastest O_DIRECT stream,
     * the queue no deeper than measured). The absolute scale is that machine's; findings print ratios only.
     * fua-us equals flush-us: on that machine no write is a FUA write (qemu-img 7.2 emulates FUA
     * with a flush, and the disk has no FUA: /sys/block/vda/queue/fua 0), so the built-in costs
     * assume none; a host profile can state a smaller fua-us.
     */
    private static final DeviceCosts BUILT_IN = of(new double[] {
        9.29, 2700, 89.0, 20.1, 1110, 6.62, 98.9, 0.001, 170, 0.0188, 0.001, 5.33, 149, 170, 24.8});

    public DeviceCosts {
        double[] all = {submitUs, copyMBps, deviceLatencyUs, readLatencyUs, deviceMBps, deviceQueue, allocateUs,
            writeoutUs, flushUs, syncContention, qcow2WriteUs, qcow2ClusterUs, qcow2FlushUs, fuaUs,
            dispatchUs};
        for (int i = 0; i < all.length; i++) {
            if (!(all[i] >= 0) || Double.isInfinite(all[i])) {
                throw new IllegalArgumentException(NAMES[i] + " must be a finite number >= 0, not " + all[i]);
            }
        }
        if (copyMBps == 0 || deviceMBps == 0 || deviceQueue < 1) {
            throw new IllegalArgumentException("copy-mbps and device-mbps must be > 0 and device-queue >= 1");
        }
    }

    public static DeviceCosts builtIn() {
        return BUILT_IN;
    }

    static DeviceCosts of(double[] v) {
        if (v.length != NAMES.length) {
            throw new IllegalArgumentException("expected " + NAMES.length + " device costs, got " + v.length);
        }
        return new DeviceCosts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
                v[14]);
    }

    public double[] values() {
        return new double[] {submitUs, copyMBps, deviceLatencyUs, readLatencyUs, deviceMBps, deviceQueue, allocateUs,
            writeoutUs, flushUs, syncContention, qcow2WriteUs, qcow2ClusterUs, qcow2FlushUs, fuaUs,
            dispatchUs};
    }

    /** Name to value, in record order, for a host profile's {@code costs:} section. */
    public Map<String, Double> asMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        double[] v = values();
        for (int i = 0; i < v.length; i++) {
            map.put(NAMES[i], v[i]);
        }
        return map;
    }

    /**
     * The built-in costs with the given ones replaced; unknown names are an error. A profile written
     * before fua-us and dispatch-us existed states costs without them: it gets what its own costs
     * meant then, its flush-us as fua-us (a FUA write costs a flush) and, when it states submit-us,
     * a dispatch-us of 0 (its submit-us holds the round trip), not the built-in values.
     */
    public static DeviceCosts withOverrides(Map<String, Double> overrides) {
        double[] v = BUILT_IN.values();
        for (var e : overrides.entrySet()) {
            int index = java.util.Arrays.asList(NAMES).indexOf(e.getKey());
            if (index < 0) {
                throw new IllegalArgumentException("unknown device cost '" + e.getKey() + "'");
            }
            v[index] = e.getValue();
        }
        List<String> names = java.util.Arrays.asList(NAMES);
        if (overrides.containsKey("flush-us") && !overrides.containsKey("fua-us")) {
            v[names.indexOf("fua-us")] = v[names.indexOf("flush-us")];
        }
        if (overrides.containsKey("submit-us") && !overrides.containsKey("dispatch-us")) {
            v[names.indexOf("dispatch-us")] = 0;
        }
        return of(v);
    }

    // Written out for start-up speed; see Span.
    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCosts c && java.util.Arrays.equals(c.values(), values());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(values());
    }
}
