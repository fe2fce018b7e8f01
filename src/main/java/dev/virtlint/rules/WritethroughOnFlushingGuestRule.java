package dev.virtlint.rules;

import dev.virtlint.model.Setting;
import java.util.List;

/** A guest that flushes is already safe with a write cache; writethrough only makes it slow. */
final class WritethroughOnFlushingGuestRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("writethrough-on-flushing-guest",
            "Every write waits for stable storage although the guest flushes",
            Severity.WARNING, "speed");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        // A virtio-blk driver that negotiates no flush feature gets writethrough from QEMU in
        // every mode (hw/block/virtio-blk.c virtio_blk_set_status): another mode would not make
        // its writes any faster.
        if (!c.writable() || c.disk().cache().writeback() || !c.guest().knownToFlush()
                || c.guest().noFlushFeature()) {
            return;
        }
        out.add(c.finding(this, c.name() + " uses " + c.cacheText() + " but the guest flushes ("
                        + c.guest().reason() + "): every write waits for stable storage and no safety is gained",
                c.cacheSpan(Setting.CACHE_WRITEBACK, Setting.WRITE_CACHE)));
    }
}
