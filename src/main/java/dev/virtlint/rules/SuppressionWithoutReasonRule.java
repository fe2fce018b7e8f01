package dev.virtlint.rules;

import java.util.List;

/**
 * A suppression records an exception; without its reason the next reader cannot tell whether the
 * exception still holds. Every suppression of the file is held to it, used or not.
 */
final class SuppressionWithoutReasonRule implements FileRule {

    private static final RuleMeta META = new RuleMeta("suppression-without-reason",
            "A suppression gives no reason",
            Severity.INFO, "correctness");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(FileCheck check, List<Finding> out) {
        for (Suppressions.Suppression s : check.suppressions()) {
            if (s.reason() == null || s.reason().isBlank()) {
                out.add(report(s));
            }
        }
    }

    private Finding report(Suppressions.Suppression s) {
        String names = String.join(",", s.rules());
        return Finding.aboutFile(id(), info().severity(), "the suppression of " + names
                + (s.disk() == null ? "" : " on disk " + s.disk()) + " gives no reason: add"
                + " reason=\"...\" saying why the finding does not apply", s.at(),
                s.disk() == null ? "" : s.disk());
    }
}
