package dev.virtlint.rules;

import java.util.List;

/**
 * A suppression records an exception; without its reason the next reader cannot tell whether the
 * exception still holds. The linter applies this rule to every suppression of the file.
 */
@RuleInfo(id = "suppression-without-reason", severity = Severity.INFO, category = "correctness",
        summary = "A suppression gives no reason")
public final class SuppressionWithoutReasonRule implements Rule {

    @Override
    public void check(DiskCheck check, List<Finding> out) {
        // Works on the whole file: see report().
    }

    boolean applies(Suppressions.Suppression s) {
        return s.reason() == null || s.reason().isBlank();
    }

    Finding report(Suppressions.Suppression s) {
        String names = String.join(",", s.rules());
        return new Finding(id(), info().severity(), "the suppression of " + names
                + (s.disk() == null ? "" : " on disk " + s.disk()) + " gives no reason: add reason=\"...\" saying"
                + " why the finding does not apply", s.at(), s.disk() == null ? "" : s.disk(), null, null);
    }
}
