package dev.virtlint.facts;

/**
 * What virtlint believes about a guest's flushing, and why.
 *
 * @param flushes what the guest does
 * @param reason  one line a finding can quote
 * @param source  where the belief comes from: {@code metadata}, {@code config}, {@code libosinfo}, or
 *                {@code assumed} when the guest is unknown (then {@code flushes} is YES)
 */
public record GuestFact(Flushes flushes, String reason, String source) {

    public boolean assumed() {
        return source.equals("assumed");
    }

    /** Known to flush, not merely assumed to. */
    public boolean knownToFlush() {
        return flushes == Flushes.YES && !assumed();
    }
}
