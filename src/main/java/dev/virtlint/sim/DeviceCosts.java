package dev.virtlint.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each step of a disk's I/O path costs on one host, in microseconds (or MB/s, which is bytes
 * per microsecond). The built-in values are fitted to the ratios measured with {@code qemu-img bench}
 * (domain.md section 5, {@code qemu-img-bench.tsv}); {@code virtlint probe --bench} fits them to the
 * host it runs on and writes them into the host profile.
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
 */
public record DeviceCosts(double submitUs, double copyMBps, double deviceLatencyUs, double readLatencyUs,
                          double deviceMBps, double deviceQueue, double allocateUs, double writeoutUs, double flushUs,
                          double syncContention, double qcow2WriteUs, double qcow2ClusterUs, double qcow2FlushUs) {

    /** The parameter names, in record order, as host profiles spell them. */
    public static final String[] NAMES = dev.virtlint.facts.HostFacts.COST_NAMES.toArray(String[]::new);

    /**
     * Fitted to domain.md section 5 by {@code bin/bench-sim --fit} (rounded to three digits). The
     * table gives ratios only, so the absolute scale (4 KiB buffered writes near 600 MB/s) is an
     * assumption; only the ratios are checked. The fit runs the measuring machine's virtual disk
     * as a device with no useful queue and cheap qcow2 requests, with qcow2 flushes dear.
     */
    private static final DeviceCosts BUILT_IN = of(new double[] {
        5.91, 3990, 3.75, 5.89, 2830, 1.0, 45.7, 51.7, 32.8, 0.0409, 0.001, 0.001, 290});

    public DeviceCosts {
        double[] all = {submitUs, copyMBps, deviceLatencyUs, readLatencyUs, deviceMBps, deviceQueue, allocateUs,
            writeoutUs, flushUs, syncContention, qcow2WriteUs, qcow2ClusterUs, qcow2FlushUs};
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
        return new DeviceCosts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
    }

    public double[] values() {
        return new double[] {submitUs, copyMBps, deviceLatencyUs, readLatencyUs, deviceMBps, deviceQueue, allocateUs,
            writeoutUs, flushUs, syncContention, qcow2WriteUs, qcow2ClusterUs, qcow2FlushUs};
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

    /** The built-in costs with the given ones replaced; unknown names are an error. */
    public static DeviceCosts withOverrides(Map<String, Double> overrides) {
        double[] v = BUILT_IN.values();
        for (var e : overrides.entrySet()) {
            int index = java.util.Arrays.asList(NAMES).indexOf(e.getKey());
            if (index < 0) {
                throw new IllegalArgumentException("unknown device cost '" + e.getKey() + "'");
            }
            v[index] = e.getValue();
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
