package dev.virtlint.sim;

/**
 * The shape of the I/O a speed figure is for: what {@code qemu-img bench} runs, or what a workload
 * sends.
 *
 * @param size           bytes per request
 * @param depth          requests in flight
 * @param writesPerFlush writes between two flushes; 0 for no flushes
 * @param qcow2          a qcow2 image rather than raw
 * @param preallocated   the image's space is allocated on the host (no allocation on first write)
 */
record IoPattern(int size, int depth, long writesPerFlush, boolean qcow2, boolean preallocated) {

    /** qcow2's default cluster size: a fresh image allocates one per 64 KiB written. */
    public static final int CLUSTER = 64 << 10;

    public IoPattern {
        if (size <= 0 || depth <= 0 || writesPerFlush < 0) {
            throw new IllegalArgumentException("I/O pattern out of range: " + size + " " + depth + " " + writesPerFlush);
        }
    }

    public String formatName() {
        return qcow2 ? "qcow2" : "raw";
    }
}
