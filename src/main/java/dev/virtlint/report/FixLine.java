package dev.virtlint.report;

import dev.virtlint.rules.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * How a finding's fix reads in every format: its kind (safe or unsafe, and what an unsafe one
 * assumes), and the simulator's write speed with it when that is less than half of today's.
 */
public final class FixLine {

    private FixLine() {
    }

    /**
     * {@code fix: X}, or {@code fix (unsafe: assumes ...): X} for an unsafe fix, with
     * {@code (writes 0.27x)} after X when writes get more than 2x slower; null without a fix.
     */
    static String label(Finding f) {
        if (f.fix() == null) {
            return null;
        }
        String kind = f.unsafeFix() ? "fix (unsafe: " + String.join("; ", f.fixAssumptions())
                + "): "
                : "fix: ";
        return kind + change(f);
    }

    /** The change with its slowdown when it is large: {@code X (writes 0.27x)}. */
    static String change(Finding f) {
        Double ratio = f.slowWriteRatio();
        return ratio != null ? f.fix() + slowdown(ratio) : f.fix();
    }

    /** {@code  (writes 0.27x)} for a slow write ratio ({@link Finding#slowWriteRatio}). */
    public static String slowdown(double ratio) {
        return " (writes " + EvidenceReport.ratio(ratio) + ")";
    }

    /** The simulator's write ratio with the fix ({@link Finding#fixWriteRatio}). */
    static Double writeRatio(Finding f) {
        return f.fixWriteRatio();
    }

    /** What the finding assumed beyond what its fix label says: its detection's clauses. */
    static List<String> beyondFix(Finding f) {
        List<String> rest = new ArrayList<>(f.assumptions());
        if (f.unsafeFix()) {
            rest.removeAll(f.fixAssumptions());
        }
        return rest;
    }

    /**
     * What follows a finding's message on one line (GitHub, JUnit): {@code  (fix: X)} or
     * {@code  (unsafe fix: X; assumes ...)}, and any other clause the finding assumed; empty
     * when there is neither.
     */
    static String inline(Finding f) {
        List<String> parts = new ArrayList<>();
        if (f.fix() != null) {
            parts.add((f.unsafeFix() ? "unsafe fix: " : "fix: ") + change(f));
        }
        parts.addAll(f.assumptions());
        return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
    }
}
