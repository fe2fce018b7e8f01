package dev.virtlint.rules;

import dev.virtlint.model.Disk;
import dev.virtlint.model.Setting;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

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
        String what = c.spelledDefault() ? " sets " + c.setting("cache", "default") + " (no mode)"
                : " gives no cache mode";
        out.add(c.finding(this, c.name() + what + ", so QEMU's default applies: " + effect,
                c.pointAt(Setting.DRIVER)));
    }

    /**
     * One cause, one finding: the rules whose findings on a disk without a cache mode say so
     * themselves ({@link DiskCheck#usesText()}: "gives no cache mode, so QEMU uses writeback") and
     * carry the advisor's fix, the same fix this rule's finding would carry. On a disk where one
     * of them is reported, this rule's finding is not.
     */
    static final Set<String> RESTATED_BY = Set.of("double-caching", "flushless-guest-write-cache",
            "native-aio-without-direct-io");

    /**
     * {@code findings} without this rule's findings on disks where a rule of {@link #RESTATED_BY}
     * is reported too: the other finding names the missing mode as its cause and has the same fix.
     * A finding a suppression hid is not among {@code findings}, so it restates nothing.
     */
    static List<Finding> withoutRestated(List<Finding> findings) {
        Set<Disk> restated = null;
        for (Finding f : findings) {
            if (f.disk() != null && RESTATED_BY.contains(f.rule()) && !f.disk().cache().explicit()) {
                if (restated == null) {
                    restated = Collections.newSetFromMap(new IdentityHashMap<>());
                }
                restated.add(f.disk());
            }
        }
        if (restated == null) {
            return findings;
        }
        List<Finding> kept = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            if (!(f.rule().equals(META.id()) && restated.contains(f.disk()))) {
                kept.add(f);
            }
        }
        return kept;
    }

    static boolean olderThan12(String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([0-9]+)(?:\\.([0-9]+))?").matcher(version);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return major < 1 || (major == 1 && minor < 2);
    }
}
