package dev.virtlint.rules;

import dev.virtlint.model.Setting;
import java.util.List;

/** Ignoring flushes is only acceptable on disks whose data nobody needs. */
@RuleInfo(id = "unsafe-cache-persistent-disk", severity = Severity.ERROR, category = "safety",
        summary = "Guest flushes are ignored on a disk that is not declared scratch")
public final class UnsafeCachePersistentDiskRule implements Rule {

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        if (!c.writable() || c.scratch() || !c.disk().cache().noFlush()) {
            return;
        }
        // Named as written (DiskCheck.cacheText), never a spelling the file does not use.
        out.add(c.finding(this, c.name() + " uses " + c.cacheText() + " but is not a scratch disk: guest flushes are ignored,"
                + " so a host crash loses writes the guest was told are durable", c.cacheSpan(Setting.CACHE_NO_FLUSH)));
    }
}
