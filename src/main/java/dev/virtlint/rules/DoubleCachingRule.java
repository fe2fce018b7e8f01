package dev.virtlint.rules;

import dev.virtlint.model.Setting;
import dev.virtlint.model.SourceKind;
import java.util.List;

/**
 * The guest caches its own data; a second copy in the host page cache wastes host memory. Network
 * and NVMe (userspace driver) disks do not go through the host page cache.
 */
final class DoubleCachingRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("double-caching",
            "The host page cache holds a second copy of what the guest caches",
            Severity.WARNING, "speed");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        if (!c.writable() || c.disk().cache().direct() || libvirtForcesNone(c)
                || c.disk().sourceKind() == SourceKind.NETWORK || c.disk().sourceKind() == SourceKind.NVME) {
            return;
        }
        boolean directRecommended = c.advice().map(a -> a.cache().explicitMode().direct()).orElse(false);
        if (!directRecommended) {
            return;
        }
        out.add(c.finding(this, c.name() + " " + c.usesText() + ": the host page cache keeps a second copy"
                + " of data the guest already caches", c.cacheSpan(Setting.CACHE_DIRECT)));
    }

    /** libvirt gives a writable shareable disk without a cache mode cache='none'. */
    static boolean libvirtForcesNone(DiskCheck c) {
        return c.disk().dialect().libvirt() && c.disk().shareable() && !c.disk().cache().explicit();
    }
}
