package dev.virtlint.rules;

import dev.virtlint.advise.Advisor;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.model.Setting;
import java.util.List;
import java.util.Optional;

/**
 * cache none and directsync open the image with O_DIRECT: QEMU does not start where the
 * filesystem refuses it, and on btrfs with data checksums before Linux 6.15 direct writes break
 * the checksums, on OpenZFS 2.3 they fail its write verification ({@link HostFacts#directIo}).
 * An error only when every fact is stated; a finding that rests on an assumed mount, an assumed
 * nocow attribute or data profile, a possible backport, or an unknown kernel or OpenZFS version
 * is a warning.
 */
final class DirectIoUnsupportedFsRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("direct-io-unsupported-fs",
            "O_DIRECT is used on a filesystem that refuses it or corrupts its direct writes",
            Severity.ERROR, "correctness");

    @Override
    public RuleMeta info() {
        return META;
    }

    /** Whether O_DIRECT may be refused or be a hazard on a path. */
    private static boolean troubled(HostFacts.DirectIo d) {
        return d.effects().contains(HostFacts.Effect.REFUSED)
                || d.effects().contains(HostFacts.Effect.HAZARD);
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        Optional<String> path = Advisor.localPath(c.disk(), c.host());
        if (!c.disk().cache().direct() || path.isEmpty()) {
            return;
        }
        HostFacts.DirectIo direct = c.host().directIo(path.get());
        String layer = "";
        // QEMU opens every backing file with the top image's cache.direct (block.c
        // bdrv_backing_options), so a layer of the chain the file states can refuse it too.
        for (int i = 0; i < c.disk().backingFiles().size() && !troubled(direct); i++) {
            String file = c.disk().backingFiles().get(i);
            if (file.startsWith("/")) {
                direct = c.host().directIo(file);
                layer = " and its backing files";
            }
        }
        boolean refused = direct.effects().contains(HostFacts.Effect.REFUSED);
        boolean hazard = direct.effects().contains(HostFacts.Effect.HAZARD);
        if (!refused && !hazard) {
            return;
        }
        boolean stated = direct.assumption() == null && direct.effects().size() == 1;
        Severity severity = stated ? Severity.ERROR : Severity.WARNING;
        // "may" where the facts leave the refusal or the hazard open (an unknown kernel or OpenZFS
        // version, a possible backport, an unstated nocow attribute or data profile): QEMU's
        // refusal is then one possible outcome, not the certain one.
        String consequence = refused
                ? (direct.supported().isEmpty() ? ": QEMU may fail to start" : ": QEMU fails to"
                + " start") + " with 'filesystem does not support O_DIRECT'"
                : direct.hazard().orElse(false) ? "" : " (it may be a hazard)";
        // What the finding rests on that no profile states (an assumed mount, an unknown
        // kernel, a possible backport), said as every report says an assumption.
        String assumed = direct.assumption() == null ? null
                : Advisor.assumesText(c.disk(), c.host(), direct.assumption());
        out.add(c.finding(this, severity, c.name() + " uses " + c.cacheText()
                + ", which opens the image" + layer
                + " with O_DIRECT, but " + direct.reason() + consequence,
                c.cacheSpan(Setting.CACHE_DIRECT), assumed));
    }
}
