package dev.virtlint.rules;

import java.util.List;

/**
 * A suppression that matches no finding is stale and hides nothing; reporting it gets it cleaned
 * up. One that names only rules this run did not check is left alone, since it may hide their
 * findings; one that names something that is not a rule is always reported.
 */
final class UnusedSuppressionRule implements FileRule {

    private static final RuleMeta META = new RuleMeta("unused-suppression",
            "A suppression matches no finding",
            Severity.INFO, "correctness");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(FileCheck check, List<Finding> out) {
        List<Suppressions.Suppression> all = check.suppressions();
        for (int i = 0; i < all.size(); i++) {
            Suppressions.Suppression s = all.get(i);
            if (check.used(i)) {
                continue;
            }
            boolean known = true;
            boolean ran = false;
            for (String id : s.rules()) {
                known &= check.known(id);
                ran |= check.ran(id);
            }
            if (!known || ran) {
                out.add(report(s, known));
            }
        }
    }

    private Finding report(Suppressions.Suppression s, boolean known) {
        String names = String.join(",", s.rules());
        String message = known
                ? "the suppression of " + names + (s.disk() == null ? "" : " on disk " + s.disk())
                        + " matches no finding: remove it"
                : "the suppression names " + names + ", which is not a rule: `virtlint rules` lists"
                        + " them";
        return Finding.aboutFile(id(), info().severity(), message, s.at(),
                s.disk() == null ? "" : s.disk());
    }
}
