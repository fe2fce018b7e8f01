package dev.virtlint.rules;

import dev.virtlint.model.Setting;
import java.util.List;

/** Without a cache mode the disk's safety depends on the QEMU version that runs it. */
final class ImplicitCacheModeRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("implicit-cache-mode",
            "A writable disk gives no cache mode",
            Severity.INFO, "correctness");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        if (!c.writable() || c.disk().cache().explicit() || DoubleCachingRule.libvirtForcesNone(c)) {
            return;
        }
        String effect = c.host().qemu()
                .map(v -> "the host's QEMU " + v + " uses " + (olderThan12(v) ? "writethrough" : "writeback"))
                .orElse("writeback since QEMU 1.2, writethrough before (the host's QEMU version is unknown)");
        // "default" is a valid value of libvirt's virDomainDiskCache (src/conf/domain_conf.c) that
        // means no mode: the disk is the same as one without the attribute.
        boolean spelledDefault = c.disk().setting(Setting.CACHE)
                .filter(l -> l.value().equals("default")).isPresent();
        String what = spelledDefault ? " sets " + c.setting("cache", "default") + " (no mode)"
                : " gives no cache mode";
        out.add(c.finding(this, c.name() + what + ", so QEMU's default applies: " + effect,
                c.pointAt(Setting.DRIVER)));
    }

    private static boolean olderThan12(String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([0-9]+)(?:\\.([0-9]+))?").matcher(version);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return major < 1 || (major == 1 && minor < 2);
    }
}
