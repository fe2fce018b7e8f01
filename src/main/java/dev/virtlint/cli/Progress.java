package dev.virtlint.cli;

import java.io.PrintWriter;
import java.util.function.IntConsumer;

/**
 * {@code virtlint: fixing 1200/5000 files} on standard error, rewritten in place with a carriage
 * return as files are done, and erased at the end; only on a terminal ({@link Terminal#progress()}),
 * never in a pipe or a file, and only once a run has taken half a second (a short run shows none).
 */
final class Progress implements IntConsumer {

    private static final long DELAY_NANOS = 500_000_000L;
    private static final long EVERY_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final int total;
    private final String verb;
    private final long start = System.nanoTime();
    private final long delay;
    private long last;
    private int width;

    Progress(PrintWriter err, String verb, int total) {
        this(err, verb, total, DELAY_NANOS);
    }

    /** With the delay before the first line, for tests. */
    Progress(PrintWriter err, String verb, int total, long delayNanos) {
        this.err = err;
        this.verb = verb;
        this.total = total;
        this.delay = delayNanos;
    }

    @Override
    public synchronized void accept(int done) {
        long now = System.nanoTime();
        if (now - start < delay || (width > 0 && now - last < EVERY_NANOS && done < total)) {
            return;
        }
        last = now;
        String line = "virtlint: " + verb + " " + done + "/" + total + " files";
        err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        err.flush();
        width = Math.max(width, line.length());
    }

    /** Erases the line, if one was printed, so that what follows starts on a clean line. */
    synchronized void end() {
        if (width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            width = 0;
        }
    }
}
