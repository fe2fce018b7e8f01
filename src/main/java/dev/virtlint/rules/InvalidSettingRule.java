package dev.virtlint.rules;

import dev.virtlint.model.Refused;
import java.util.ArrayList;
import java.util.List;

/**
 * A value or option name that libvirt or QEMU refuses. Such a disk never runs as written, so the
 * linter reports only this on it (see {@link Linter}); there is no fix, since rewriting a typo to
 * the nearest name is a guess.
 */
final class InvalidSettingRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("invalid-setting",
            "A disk setting is refused by libvirt or QEMU",
            Severity.ERROR, "correctness");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        for (Refused r : c.disk().refused()) {
            out.add(new Finding(id(), info().severity(), message(c, r), r.span(), c.disk(),
                    null, null));
        }
    }

    static String message(DiskCheck c, Refused r) {
        String consequence = c.disk().dialect().libvirt() ? ", so the domain is not defined"
                : ", so QEMU does not start";
        StringBuilder m = new StringBuilder(c.name()).append(" sets ")
                .append(c.setting(r.name(), r.value()));
        if (r.unknownName()) {
            m.append(", but ").append(r.reader()).append(" has no option ").append(r.name())
                    .append(consequence);
        } else {
            m.append(", which ").append(r.reader()).append(" refuses");
            // A long list (the format names) says less than the suggestion does.
            if (r.accepted().size() <= 10) {
                m.append(" (").append(r.name()).append(" takes ").append(or(r.accepted()))
                        .append(")");
            }
            m.append(consequence);
        }
        if (!r.closest().isEmpty()) {
            List<String> suggestions = new ArrayList<>();
            for (String s : r.closest()) {
                suggestions.add(r.unknownName() ? c.setting(s, r.value()) : c.setting(r.name(), s));
            }
            m.append(": did you mean ").append(or(suggestions)).append("?");
        }
        return m.toString();
    }

    private static String or(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        int last = items.size() - 1;
        return String.join(", ", items.subList(0, last)) + " or " + items.get(last);
    }
}
