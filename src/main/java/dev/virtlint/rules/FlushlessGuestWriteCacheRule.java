package dev.virtlint.rules;

import dev.virtlint.advise.NetworkDriver;
import dev.virtlint.facts.Flushes;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Setting;
import java.util.List;

/** A guest that does not flush must not be shown a volatile write cache. */
final class FlushlessGuestWriteCacheRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("flushless-guest-write-cache",
            "A guest that does not flush is shown a volatile write cache",
            Severity.ERROR, "safety");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        CacheMode mode = c.disk().cache();
        Flushes flushes = c.guest().flushes();
        if (!c.writable() || c.scratch() || flushes == Flushes.YES || !mode.writeback()) {
            return;
        }
        boolean rbd = NetworkDriver.isRbd(c.disk());
        // rbd with librbd's cache off (cache.direct on): a write completes only once it is on all
        // replicas (Ceph doc/rbd/rbd-config-ref.rst), so the write cache the guest is shown holds
        // nothing volatile.
        if (rbd && mode.direct() && !mode.noFlush()) {
            return;
        }
        Severity severity = flushes == Flushes.NO && !mode.modeName().equals("none")
                && (!rbd || mode.noFlush()) ? Severity.ERROR : Severity.WARNING;
        // rbd with librbd's cache on: rbd_cache_writethrough_until_flush (default true) keeps
        // librbd in writethrough until the first flush, which protects a guest that never
        // flushes, but only while the host's Ceph configuration keeps that default and the guest
        // never flushes.
        String librbd = rbd && !mode.noFlush() ? "; librbd stays writethrough until the first"
                + " flush only while Ceph's rbd_cache_writethrough_until_flush keeps its default"
                + " (true)" : "";
        String virtio;
        if (c.guest().noFlushFeature()) {
            // QEMU hw/block/virtio-blk.c virtio_blk_set_status: a driver that negotiates neither
            // VIRTIO_BLK_F_WCE (the old FLUSH) nor VIRTIO_BLK_F_CONFIG_WCE gets the write cache
            // turned off, so every write gets FUA (block/block-backend.c blk_co_do_pwritev_part),
            // emulated by a flush (block/io.c bdrv_driver_pwritev). cache.no-flush=on drops those
            // flushes, so there the guest's writes stay volatile.
            if (mode.noFlush()) {
                virtio = "; QEMU writes this virtio-blk disk through, since the guest's driver"
                        + " negotiates no flush feature, but cache.no-flush=on drops the flushes"
                        + " that adds";
            } else {
                severity = Severity.INFO;
                librbd = "";
                // The evidence models the disk as QEMU runs it (Evidences.asRun), so its figures
                // show no loss either, and the fix changes nothing but the written mode.
                // The fix writes down what QEMU already does only when it keeps cache.direct as
                // it is (none -> directsync); writeback -> directsync also turns O_DIRECT on.
                boolean sameDirect = c.advice().map(a -> a.cache().explicitMode().direct()
                        == mode.direct() && !a.cache().explicitMode().writeback()).orElse(false);
                virtio = "; QEMU runs this virtio-blk disk in writethrough all the same, since the"
                        + " guest's driver negotiates no flush feature (hw/block/virtio-blk.c"
                        + " virtio_blk_set_status): no write is lost"
                        + (sameDirect ? ", and the fix only writes down the writethrough QEMU"
                        + " already applies" : "");
            }
        } else {
            // Said only when no table row says what the guest's virtio-blk driver negotiates.
            virtio = "virtio".equals(Linter.bus(c.disk())) && !c.guest().driverKnown()
                    ? "; if the guest's virtio-blk driver negotiates no flush, QEMU writes this"
                    + " disk through (safe but slow); whether it does is not known" : "";
        }
        out.add(c.finding(this, severity, c.name() + " " + c.usesText()
                        + ", which shows the guest a volatile write cache, but the guest "
                        + (flushes == Flushes.COND ? "may not flush" : "does not flush") + " ("
                        + c.guest().reason() + ")" + librbd + virtio,
                c.cacheSpan(Setting.CACHE_WRITEBACK, Setting.WRITE_CACHE)));
    }
}
