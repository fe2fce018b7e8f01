package dev.virtlint.rules;

import dev.virtlint.advise.NetworkDriver;
import dev.virtlint.model.Setting;
import java.util.List;

/** Ignoring flushes is only acceptable on disks whose data nobody needs. */
final class UnsafeCachePersistentDiskRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("unsafe-cache-persistent-disk",
            "Guest flushes are ignored on a disk that is not declared scratch",
            Severity.ERROR, "safety");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        if (!c.writable() || c.scratch() || !c.disk().cache().noFlush()) {
            return;
        }
        // Named as written (DiskCheck.cacheText), never a spelling the file does not use.
        out.add(c.finding(this, c.name() + " uses " + c.cacheText() + " but is not a scratch disk: guest"
                + " flushes are ignored, so " + whoLoses(c)
                + " writes the guest was told are durable",
                c.cacheSpan(Setting.CACHE_NO_FLUSH)));
    }

    /**
     * Who holds the unflushed writes. Locally the host page cache. With rbd, librbd's cache in
     * QEMU's own memory, written back on its own schedule (Ceph doc/rbd/rbd-config-ref.rst,
     * rbd_cache_max_dirty_age). With the other network drivers the flush never reaches the
     * server (QEMU block/io.c bdrv_co_flush skips the driver's flush under BDRV_O_NO_FLUSH), so
     * whatever the server keeps in a volatile cache stays there.
     */
    private static String whoLoses(DiskCheck c) {
        return NetworkDriver.of(c.disk()).map(d -> d == NetworkDriver.RBD
                ? "a QEMU or host crash loses what librbd's cache still holds of"
                : "a crash of the " + c.disk().protocol().orElse("network") + " server can lose")
                .orElse("a host crash loses");
    }
}
