package dev.virtlint.facts;

/**
 * What virtlint believes about a guest's flushing on one disk, and why.
 *
 * @param flushes        what the guest does
 * @param reason         one line a finding can quote
 * @param source         where the belief comes from: {@code metadata}, {@code config},
 *                       {@code libosinfo}, or {@code assumed} when the guest is unknown (then
 *                       {@code flushes} is YES)
 * @param noFlushFeature the guest's driver for this disk negotiates no flush feature, so QEMU runs
 *                       the disk in writethrough itself: true only on a virtio-blk disk of a guest
 *                       whose table row says its virtio-blk driver predates flush support (QEMU
 *                       {@code hw/block/virtio-blk.c} {@code virtio_blk_set_status})
 * @param driverKnown    a table row says whether the guest's virtio-blk driver negotiates a flush
 *                       feature (its virtio-flush column is yes or no, not "-")
 */
public record GuestFact(Flushes flushes, String reason, String source, boolean noFlushFeature,
                        boolean driverKnown) {

    /** A fact that says nothing of the guest's driver. */
    public GuestFact(Flushes flushes, String reason, String source) {
        this(flushes, reason, source, false, false);
    }

    /**
     * This fact with the driver facts of {@code driver} (a table lookup for the OS id, or null):
     * what the guest's filesystem does and what its virtio-blk driver negotiates are separate
     * facts, so a {@code flushes:} declaration leaves the driver as the table knows it.
     */
    public GuestFact withDriverOf(GuestFact driver) {
        if (driver == null || driverKnown) {
            return this;
        }
        return new GuestFact(flushes, reason, source, driver.noFlushFeature(),
                driver.driverKnown());
    }

    public boolean assumed() {
        return source.equals("assumed");
    }

    /** Known to flush, not merely assumed to. */
    public boolean knownToFlush() {
        return flushes == Flushes.YES && !assumed();
    }
}
