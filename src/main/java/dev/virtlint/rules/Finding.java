package dev.virtlint.rules;

import dev.virtlint.advise.Recommendation;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Span;
import dev.virtlint.sim.Evidence;
import java.util.ArrayList;
import java.util.List;

/**
 * One hazard found on one disk, or in a file.
 *
 * @param rule           the rule id
 * @param severity       as configured for this run
 * @param message        one sentence with the actual and the expected value
 * @param span           the element or option that causes it
 * @param disk           the disk it is on (a disk of the parsed file the finding was made from),
 *                       or null for a finding about the file ({@link FileRule})
 * @param target         the disk's name as reports print it: the disk's target when on a disk; for
 *                       a finding about the file, the disk a suppression names, or empty
 * @param recommended    the advisor's setting for the disk, or null
 * @param fix            what applying the fix changes, e.g. {@code cache='unsafe' -> cache='none'};
 *                       null when it changes nothing
 * @param edits          the changes a rule file's fix makes, in the source's own terms; empty for
 *                       findings whose fix is the advisor's recommendation
 * @param evidence       the simulator's figures for the disk as it is and as recommended; null for
 *                       findings that are not about a writable disk
 * @param fixAssumptions what the fix rests on that nothing stated says, one clause each (the
 *                       recommendation's {@link Recommendation#assumptions()} for the advisor's
 *                       fix); the fix is unsafe exactly when it is not empty; empty without a fix
 * @param detection      what the rule assumed to find the hazard, one clause each (a rule gives it
 *                       through {@link DiskCheck#finding(Rule, String, Span, String)}); may repeat
 *                       a clause of {@code fixAssumptions}
 */
public record Finding(String rule, Severity severity, String message, Span span, Disk disk,
                      String target, Recommendation recommended, String fix, List<Edit> edits,
                      Evidence evidence, List<String> fixAssumptions, List<String> detection) {

    public Finding {
        edits = List.copyOf(edits);
        fixAssumptions = fix == null ? List.of() : List.copyOf(fixAssumptions);
        detection = List.copyOf(detection);
    }

    /** A finding whose fix rests on what its recommendation rests on, unless it edits itself. */
    public Finding(String rule, Severity severity, String message, Span span, Disk disk,
                   String target, Recommendation recommended, String fix, List<Edit> edits,
                   Evidence evidence) {
        this(rule, severity, message, span, disk, target, recommended, fix, edits, evidence,
                edits.isEmpty() && recommended != null ? recommended.assumptions() : List.of(),
                List.of());
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
    static Finding aboutFile(String rule, Severity severity, String message, Span span,
                             String target) {
        return new Finding(rule, severity, message, span, null, target, null, null, List.of(),
                null);
    }

    /** The same finding at another severity, as a configuration's override asks. */
    public Finding withSeverity(Severity s) {
        return new Finding(rule, s, message, span, disk, target, recommended, fix, edits, evidence,
                fixAssumptions, detection);
    }

    /** The same finding with the simulator's figures. */
    public Finding withEvidence(Evidence e) {
        return new Finding(rule, severity, message, span, disk, target, recommended, fix, edits, e,
                fixAssumptions, detection);
    }

    /** The same finding with a fix that rests on these assumptions (a rule file's unsafe fix). */
    Finding withFixAssumptions(List<String> clauses) {
        return new Finding(rule, severity, message, span, disk, target, recommended, fix, edits,
                evidence, clauses, detection);
    }

    /** The same finding, its detection resting on one more assumption; null adds nothing. */
    Finding withDetection(String clause) {
        if (clause == null || detection.contains(clause)) {
            return this;
        }
        List<String> more = new ArrayList<>(detection);
        more.add(clause);
        return new Finding(rule, severity, message, span, disk, target, recommended, fix, edits,
                evidence, fixAssumptions, more);
    }

    /** Everything the finding assumed, its fix's first, each clause once. */
    public List<String> assumptions() {
        if (detection.isEmpty()) {
            return fixAssumptions;
        }
        List<String> all = new ArrayList<>(fixAssumptions);
        for (String d : detection) {
            if (!all.contains(d)) {
                all.add(d);
            }
        }
        return all;
    }

    /** Whether the finding has a fix and it is safe: every fact it rests on is stated. */
    public boolean safeFix() {
        return fix != null && fixAssumptions.isEmpty();
    }

    /**
     * Whether the finding has a fix that rests on an assumption: only {@code --unsafe-fixes}
     * applies it.
     */
    public boolean unsafeFix() {
        return fix != null && !fixAssumptions.isEmpty();
    }

    /**
     * Below this ratio of write speed (with the fix over now) a fix's line says how much slower
     * writes get: a fix may be safe and still cost more than half the write speed, which users
     * accept for their data but must know.
     */
    public static final double SLOWER = 0.5;

    /**
     * The simulator's write speed with the advisor's fix over the speed now, or null when the
     * finding has no figures, its fix is not the advisor's change of the cache mode, or the image is
     * in host RAM (tmpfs, ramfs), where the speed model does not apply and reports print "not
     * modelled".
     */
    public Double fixWriteRatio() {
        if (fix == null || evidence == null || !edits.isEmpty() || recommended == null
                || evidence.current().cache().equals(evidence.recommended().cache())
                || evidence.basis() != null && evidence.basis().inHostMemory() != null) {
            return null;
        }
        double r = evidence.writeRatio();
        return Double.isFinite(r) ? r : null;
    }

    /** {@link #fixWriteRatio()} when writes get more than 2x slower ({@link #SLOWER}), or null. */
    public Double slowWriteRatio() {
        Double r = fixWriteRatio();
        return r != null && r < SLOWER ? r : null;
    }

    /** {@code safe} or {@code unsafe}, as reports name a fix's kind; null without a fix. */
    public String safety() {
        return fix == null ? null : fixAssumptions.isEmpty() ? "safe" : "unsafe";
    }

    /** Whether a plain {@code fix} (without {@code --unsafe-fixes}) applies the fix: a safe fix. */
    public boolean fixable() {
        return safeFix();
    }
}
