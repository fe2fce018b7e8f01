package dev.virtlint.sim;

import java.util.List;
import java.util.Optional;

/**
 * What the guest does to one disk: a steady stream of writes, with a flush every so often when
 * the guest flushes at all.
 *
 * @param id              the name users choose it by
 * @param writeBytes      the size of one write
 * @param writeRate       bytes per second the guest writes
 * @param flushEvery      seconds between flushes when the guest flushes; 0 means after every write
 * @param readShare       the share of operations that are reads (for speed)
 * @param durationSeconds how long the stream runs
 */
public record Workload(String id, int writeBytes, double writeRate, double flushEvery, double readShare,
                       double durationSeconds) {

    public static final Workload DATABASE = new Workload("database", 8 << 10, 4e6, 0, 0.7, 600);
    public static final Workload BUILD = new Workload("build", 256 << 10, 60e6, 30, 0.3, 600);
    public static final Workload SCRATCH_TEST = new Workload("scratch-test", 16 << 10, 20e6, 5, 0.4, 600);
    public static final Workload STREAMING = new Workload("streaming", 1 << 20, 200e6, 10, 0.0, 300);
    public static final Workload READ_MOSTLY = new Workload("read-mostly", 4 << 10, 0.2e6, 2, 0.95, 600);

    public static final List<Workload> ALL = List.of(DATABASE, BUILD, SCRATCH_TEST, STREAMING, READ_MOSTLY);

    public Workload {
        if (writeBytes <= 0 || writeRate <= 0 || flushEvery < 0 || durationSeconds <= 0 || readShare < 0
                || readShare > 1) {
            throw new IllegalArgumentException("workload " + id + " out of range");
        }
    }

    public static Optional<Workload> byId(String id) {
        return ALL.stream().filter(w -> w.id().equals(id)).findFirst();
    }

    /** Seconds between two writes of the steady stream. */
    public double writeGap() {
        return writeBytes / writeRate;
    }
}
