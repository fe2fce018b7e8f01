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
 */
public record Evidence(String workload, boolean guestFlushes, Prediction current, Prediction recommended, List<String> assumptions) {

    public Evidence {
        assumptions = List.copyOf(assumptions);
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
