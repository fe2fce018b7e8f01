package dev.virtlint.rules;

import java.util.List;

/**
 * A suppression that matches no finding is stale and hides nothing; reporting it gets it cleaned
 * up. The linter applies this rule after all others, once it knows which suppressions were used.
 */
@RuleInfo(id = "unused-suppression", severity = Severity.INFO, category = "correctness",
        summary = "A suppression matches no finding")
public final class UnusedSuppressionRule implements Rule {

    @Override
    public void check(DiskCheck check, List<Finding> out) {
        // Works on the whole file: see report().
    }

    Finding report(Suppressions.Suppression s, boolean known) {
        String names = String.join(",", s.rules());
        String message = known
                ? "the suppression of " + names + (s.disk() == null ? "" : " on disk " + s.disk())
                        + " matches no finding: remove it"
                : "the suppression names " + names + ", which is not a rule: `virtlint rules` lists them";
        return new Finding(id(), info().severity(), message, s.at(), s.disk() == null ? "" : s.disk(), null, null);
    }
}
