package dev.virtlint.rules;

import dev.virtlint.advise.NetworkDriver;
import dev.virtlint.model.Setting;
import java.util.List;

/**
 * On an rbd disk QEMU's cache.direct is librbd's cache switch, not O_DIRECT: QEMU block/rbd.c
 * {@code qemu_rbd_open} passes {@code !(flags & BDRV_O_NOCACHE)} to {@code qemu_rbd_connect},
 * which sets {@code rbd_cache} accordingly and overrides ceph.conf (Ceph doc/rbd/qemu-rbd.rst,
 * "QEMU Cache Options"). cache none and directsync therefore turn librbd's cache off.
 */
final class RbdCacheDisabledRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("rbd-cache-disabled",
            "An rbd disk's cache mode turns librbd's cache off",
            Severity.WARNING, "speed");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        if (!c.writable() || !c.disk().cache().direct() || c.disk().shareable()
                || !NetworkDriver.isRbd(c.disk())) {
            return;
        }
        boolean cacheRecommended = c.advice().map(a -> !a.cache().explicitMode().direct())
                .orElse(false);
        if (!cacheRecommended) {
            return;
        }
        out.add(c.finding(this, c.name() + " uses " + c.cacheText() + ", which turns librbd's cache"
                + " off (QEMU sets rbd_cache=false): every write waits for all OSD replicas and"
                + " small writes are not coalesced; Ceph recommends "
                + c.setting("cache", "writeback") + " for guests that flush",
                c.cacheSpan(Setting.CACHE_DIRECT)));
    }
}
