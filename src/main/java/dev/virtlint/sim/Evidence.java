package dev.virtlint.sim;

import java.util.List;

/**
 * The figures behind a finding: the prediction for the disk as configured and for the advisor's
 * recommendation, under one workload.
 *
 * @param workload    the workload's id
 * @param guestFlushes whether the guest was simulated as sending flushes
 * @param current     the disk as it is
 * @param recommended the disk with the recommended cache mode (the same mode when the advice keeps it)
 * @param assumptions what was assumed for lack of facts, for the reader to check
 * @param notes       stated facts that change what the figures mean (storage that ignores flushes,
 *                    a sparse image under O_DIRECT), one sentence each
 */
public record Evidence(String workload, boolean guestFlushes, Prediction current,
        Prediction recommended,
                       List<String> assumptions, List<String> notes) {

    public Evidence {
        assumptions = List.copyOf(assumptions);
        notes = List.copyOf(notes);
    }

    public Evidence(String workload, boolean guestFlushes, Prediction current,
            Prediction recommended,
                    List<String> assumptions) {
        this(workload, guestFlushes, current, recommended, assumptions, List.of());
    }

    /** The same figures with {@code more} notes. */
    public Evidence withNotes(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(notes);
        all.addAll(more);
        return new Evidence(workload, guestFlushes, current, recommended, assumptions, all);
    }

    /** Recommended over current write throughput. */
    public double writeRatio() {
        return recommended.writeMBps() / current.writeMBps();
    }

    /** Recommended over current read throughput. */
    public double readRatio() {
        return recommended.readMBps() / current.readMBps();
    }
}
