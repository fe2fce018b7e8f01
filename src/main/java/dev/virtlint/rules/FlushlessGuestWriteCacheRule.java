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
        String virtio = c.disk().bus().filter("virtio"::equals).isPresent()
                ? "; a virtio driver that negotiates no flush gets writethrough from QEMU, safe but slow" : "";
        out.add(c.finding(this, severity, c.name() + " " + c.usesText()
                        + ", which shows the guest a volatile write cache, but the guest "
                        + (flushes == Flushes.COND ? "may not flush" : "does not flush") + " (" + c.guest().reason()
                        + ")" + librbd + virtio,
                c.cacheSpan(Setting.CACHE_WRITEBACK, Setting.WRITE_CACHE)));
    }
}
