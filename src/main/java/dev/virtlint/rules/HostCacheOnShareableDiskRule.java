package dev.virtlint.rules;

import dev.virtlint.model.Setting;
import java.util.List;

/** Guests sharing a disk through the host page cache can each see different data. */
@RuleInfo(id = "host-cache-on-shareable-disk", severity = Severity.ERROR, category = "safety",
        summary = "A shareable disk goes through the host page cache")
public final class HostCacheOnShareableDiskRule implements Rule {

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        if (!c.writable() || !c.disk().shareable() || !c.disk().cache().explicit() || c.disk().cache().direct()) {
            return;
        }
        out.add(c.finding(this, c.name() + " is shareable but uses " + c.cacheText() + ": guests sharing it"
                + " through the host page cache can see stale or different data", c.cacheSpan(Setting.CACHE_DIRECT)));
    }
}
