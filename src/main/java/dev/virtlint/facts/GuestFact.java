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
 */
public record GuestFact(Flushes flushes, String reason, String source, boolean noFlushFeature) {

    /** A fact that says nothing of the guest's driver. */
    public GuestFact(Flushes flushes, String reason, String source) {
        this(flushes, reason, source, false);
    }

    public boolean assumed() {
        return source.equals("assumed");
    }

    /** Known to flush, not merely assumed to. */
    public boolean knownToFlush() {
        return flushes == Flushes.YES && !assumed();
    }
}
