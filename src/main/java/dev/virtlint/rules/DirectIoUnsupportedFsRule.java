package dev.virtlint.rules;

import dev.virtlint.advise.Advisor;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.model.Setting;
import java.util.List;
import java.util.Optional;

/** cache none and directsync open the image with O_DIRECT; QEMU does not start where that fails. */
final class DirectIoUnsupportedFsRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("direct-io-unsupported-fs",
            "O_DIRECT is used on a filesystem that refuses it",
            Severity.ERROR, "correctness");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        Optional<String> path = Advisor.localPath(c.disk());
        if (!c.disk().cache().direct() || path.isEmpty()) {
            return;
        }
        HostFacts.DirectIo direct = c.host().directIo(path.get());
        if (direct.supported().orElse(false)) {
            return;
        }
        Severity severity = direct.supported().isEmpty() ? Severity.WARNING : Severity.ERROR;
        out.add(c.finding(this, severity, c.name() + " uses " + c.cacheText() + ", which opens the image with"
                + " O_DIRECT, but " + direct.reason() + ": QEMU fails to start with 'filesystem does not support"
                + " O_DIRECT'", c.cacheSpan(Setting.CACHE_DIRECT)));
    }
}
