package dev.virtlint.rules;

import dev.virtlint.model.Setting;
import java.util.List;

/** Linux native AIO needs O_DIRECT; libvirt and QEMU refuse io='native' without it. */
final class NativeAioWithoutDirectIoRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("native-aio-without-direct-io",
            "Native AIO is asked for without O_DIRECT",
            Severity.ERROR, "correctness");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        if (c.disk().io().filter("native"::equals).isEmpty() || c.disk().cache().direct()
                || DoubleCachingRule.libvirtForcesNone(c)) {
            return;
        }
        String aio = c.setting(c.disk().dialect().name(Setting.IO), "native");
        out.add(c.finding(this, c.name() + " uses " + aio + " with " + (c.disk().cache().explicit()
                        ? c.cacheText() : "no cache mode given, so QEMU uses writeback")
                        + ", but native AIO needs O_DIRECT (cache none or directsync): libvirt"
                        + " refuses the domain and QEMU the drive", c.pointAt(Setting.IO)));
    }
}
