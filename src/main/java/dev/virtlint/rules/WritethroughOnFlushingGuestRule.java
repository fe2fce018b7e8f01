package dev.virtlint.rules;

import dev.virtlint.model.Setting;
import java.util.List;

/** A guest that flushes is already safe with a write cache; writethrough only makes it slow. */
@RuleInfo(id = "writethrough-on-flushing-guest", severity = Severity.WARNING, category = "speed",
        summary = "Every write waits for stable storage although the guest flushes")
public final class WritethroughOnFlushingGuestRule implements DiskRule {

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        if (!c.writable() || c.disk().cache().writeback() || !c.guest().knownToFlush()) {
            return;
        }
        out.add(c.finding(this, c.name() + " uses " + c.cacheText() + " but the guest flushes ("
                        + c.guest().reason() + "): every write waits for stable storage and no safety is gained",
                c.cacheSpan(Setting.CACHE_WRITEBACK, Setting.WRITE_CACHE)));
    }
}
