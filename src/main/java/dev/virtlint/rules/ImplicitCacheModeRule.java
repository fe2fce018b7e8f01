package dev.virtlint.rules;

import dev.virtlint.model.Setting;
import java.util.List;

/** Without a cache mode the disk's safety depends on the QEMU version that runs it. */
@RuleInfo(id = "implicit-cache-mode", severity = Severity.INFO, category = "correctness",
        summary = "A writable disk gives no cache mode")
public final class ImplicitCacheModeRule implements Rule {

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        if (!c.writable() || c.disk().cache().explicit() || DoubleCachingRule.libvirtForcesNone(c)) {
            return;
        }
        out.add(c.finding(this, c.name() + " gives no cache mode, so QEMU's default applies: writeback since"
                + " QEMU 1.2, writethrough before", c.pointAt(Setting.DRIVER)));
    }
}
