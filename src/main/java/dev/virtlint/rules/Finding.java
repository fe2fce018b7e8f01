package dev.virtlint.rules;

import dev.virtlint.advise.Recommendation;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Span;
import dev.virtlint.sim.Evidence;
import java.util.List;

/**
 * One hazard found on one disk, or in a file.
 *
 * @param rule        the rule id
 * @param severity    as configured for this run
 * @param message     one sentence with the actual and the expected value
 * @param span        the element or option that causes it
 * @param disk        the disk it is on (a disk of the parsed file the finding was made from), or null
 *                    for a finding about the file ({@link FileRule})
 * @param target      the disk's name as reports print it: the disk's target when on a disk; for a
 *                    finding about the file, the disk a suppression names, or empty
 * @param recommended the advisor's setting for the disk, or null
 * @param fix         what applying the recommendation changes, e.g. {@code cache='unsafe' -> cache='none'};
 *                    null when it changes nothing
 * @param edits       the changes a rule file's fix makes, in the source's own terms; empty for findings whose
 *                    fix is the advisor's recommendation
 * @param evidence    the simulator's figures for the disk as it is and as recommended; null for findings
 *                    that are not about a writable disk
 */
public record Finding(String rule, Severity severity, String message, Span span, Disk disk, String target,
                      Recommendation recommended, String fix, List<Edit> edits, Evidence evidence) {

    public Finding {
        edits = List.copyOf(edits);
    }

    public Finding(String rule, Severity severity, String message, Span span, Disk disk,
                   Recommendation recommended, String fix, List<Edit> edits) {
        this(rule, severity, message, span, disk, disk.target(), recommended, fix, edits, null);
    }

    public Finding(String rule, Severity severity, String message, Span span, Disk disk,
                   Recommendation recommended, String fix) {
        this(rule, severity, message, span, disk, recommended, fix, List.of());
    }

    /** A finding about a file rather than one of its disks; {@code target} as reports print it. */
    static Finding aboutFile(String rule, Severity severity, String message, Span span, String target) {
        return new Finding(rule, severity, message, span, null, target, null, null, List.of(), null);
    }

    /** The same finding at another severity, as a configuration's override asks. */
    public Finding withSeverity(Severity s) {
        return new Finding(rule, s, message, span, disk, target, recommended, fix, edits, evidence);
    }

    /** The same finding with the simulator's figures. */
    public Finding withEvidence(Evidence e) {
        return new Finding(rule, severity, message, span, disk, target, recommended, fix, edits, e);
    }

    /**
     * Whether {@code fix} applies the fix: not for an advice that rests on an assumed filesystem,
     * whose {@code fix} text says what would change and why it is left to the user.
     */
    public boolean fixable() {
        return fix != null && (!edits.isEmpty() || recommended == null || recommended.automatic());
    }
}
