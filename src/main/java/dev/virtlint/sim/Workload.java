package dev.virtlint.sim;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the guest does to one disk: a steady stream of writes, with a flush every so often when
 * the guest flushes at all.
 *
 * @param id              the name users choose it by
 * @param writeBytes      the size of one write
 * @param writeRate       bytes per second the guest writes
 * @param flushEvery      seconds between flushes when the guest flushes; 0 means after every write
 * @param readShare       the share of operations that are reads
 * @param durationSeconds how long the stream runs
 * @param depth           requests in flight
 * @param hostHit         the share of reads the host page cache would answer, when it is used
 * @param summary         one line for {@code simulate} and the documentation
 */
public record Workload(String id, int writeBytes, double writeRate, double flushEvery, double readShare,
                       double durationSeconds, int depth, double hostHit, String summary) {

    public static final Workload DATABASE = new Workload("database", 8 << 10, 4e6, 0, 0.7, 120, 4, 0.5,
            "8 KiB synchronous writes at 4 MB/s, fsync after each; 70 % reads");
    public static final Workload BUILD = new Workload("build", 256 << 10, 60e6, 30, 0.3, 120, 8, 0.8,
            "256 KiB buffered writes at 60 MB/s, a flush every 30 s; 30 % reads");
    public static final Workload SCRATCH_TEST = new Workload("scratch-test", 16 << 10, 20e6, 5, 0.4, 120, 1, 0.8,
            "many small files: 16 KiB writes at 20 MB/s, flushed every 5 s; 40 % reads");
    public static final Workload STREAMING = new Workload("streaming", 1 << 20, 200e6, 10, 0.0, 120, 16, 0,
            "1 MiB sequential writes at 200 MB/s, a flush every 10 s");
    public static final Workload READ_MOSTLY = new Workload("read-mostly", 4 << 10, 0.2e6, 2, 0.95, 120, 8, 0.6,
            "95 % 4 KiB reads; a trickle of writes flushed every 2 s");

    public static final List<Workload> ALL = List.of(DATABASE, BUILD, SCRATCH_TEST, STREAMING, READ_MOSTLY);

    public Workload {
        if (writeBytes <= 0 || writeRate <= 0 || flushEvery < 0 || durationSeconds <= 0 || readShare < 0
                || readShare > 1 || depth <= 0 || hostHit < 0 || hostHit > 1) {
            throw new IllegalArgumentException("workload " + id + " out of range");
        }
    }

    public static Optional<Workload> byId(String id) {
        return ALL.stream().filter(w -> w.id().equals(id)).findFirst();
    }

    /** The ids, comma-separated, for messages. */
    public static String ids() {
        return String.join(", ", ALL.stream().map(Workload::id).toList());
    }

    /** The I/O this workload sends to an image of the given format. */
    public IoPattern pattern(boolean guestFlushes, boolean qcow2, boolean preallocated) {
        long perFlush = !guestFlushes ? 0 : flushEvery == 0 ? 1 : Math.max(1, Math.round(flushEvery / writeGap()));
        return new IoPattern(writeBytes, depth, perFlush, qcow2, preallocated);
    }

    /** Seconds between two writes of the steady stream. */
    public double writeGap() {
        return writeBytes / writeRate;
    }

    // Written out for start-up speed; see Span.
    @Override
    public boolean equals(Object o) {
        return o instanceof Workload w && Objects.equals(w.id, id) && w.writeBytes == writeBytes
                && Double.compare(w.writeRate, writeRate) == 0 && Double.compare(w.flushEvery, flushEvery) == 0
                && Double.compare(w.readShare, readShare) == 0
                && Double.compare(w.durationSeconds, durationSeconds) == 0 && w.depth == depth
                && Double.compare(w.hostHit, hostHit) == 0 && Objects.equals(w.summary, summary);
    }

    @Override
    public int hashCode() {
        int h = Objects.hashCode(id);
        h = 31 * h + writeBytes;
        h = 31 * h + Double.hashCode(writeRate);
        h = 31 * h + Double.hashCode(flushEvery);
        h = 31 * h + Double.hashCode(readShare);
        h = 31 * h + Double.hashCode(durationSeconds);
        h = 31 * h + depth;
        h = 31 * h + Double.hashCode(hostHit);
        return 31 * h + Objects.hashCode(summary);
    }
}
