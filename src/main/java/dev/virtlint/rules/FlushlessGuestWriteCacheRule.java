package dev.virtlint.rules;

import dev.virtlint.facts.Flushes;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Setting;
import java.util.List;

/** A guest that does not flush must not be shown a volatile write cache. */
@RuleInfo(id = "flushless-guest-write-cache", severity = Severity.ERROR, category = "safety",
        summary = "A guest that does not flush is shown a volatile write cache")
public final class FlushlessGuestWriteCacheRule implements Rule {

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        CacheMode mode = c.disk().cache();
        Flushes flushes = c.guest().flushes();
        if (!c.writable() || c.scratch() || flushes == Flushes.YES || !mode.writeback()) {
            return;
        }
        Severity severity = flushes == Flushes.NO && !mode.modeName().equals("none") ? Severity.ERROR : Severity.WARNING;
        String virtio = c.disk().bus().filter("virtio"::equals).isPresent()
                ? "; a virtio driver that negotiates no flush gets writethrough from QEMU, safe but slow" : "";
        out.add(c.finding(this, severity, c.name() + " uses " + c.cacheText()
                        + ", which shows the guest a volatile write cache, but the guest "
                        + (flushes == Flushes.COND ? "may not flush" : "does not flush") + " (" + c.guest().reason()
                        + ")" + virtio,
                c.cacheSpan(Setting.CACHE_WRITEBACK, Setting.WRITE_CACHE)));
    }
}
