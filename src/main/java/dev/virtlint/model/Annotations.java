package dev.virtlint.model;

import java.util.List;
import java.util.Optional;

/**
 * What a domain says about itself for virtlint in {@code <metadata><virtlint:virtlint>}: this
 * survives {@code virsh define} and {@code dumpxml}, which drop comments.
 *
 * @param ignores    {@code <virtlint:ignore rule= disk= reason=/>}
 * @param disks      {@code <virtlint:disk target= scratch=/>}
 * @param guest      {@code <virtlint:guest flushes=/>}, if given
 */
public record Annotations(List<Ignore> ignores, List<DiskNote> disks, Guest guest) {

    public static final Annotations NONE = new Annotations(List.of(), List.of(), null);

    public Annotations {
        ignores = List.copyOf(ignores);
        disks = List.copyOf(disks);
    }

    public Optional<Guest> guestNote() {
        return Optional.ofNullable(guest);
    }

    /** Suppresses a rule for one disk, or for the whole domain when {@code disk} is null. */
    public record Ignore(String rule, String disk, String reason, Span span) {
    }

    /** Facts about one disk; {@code scratch} is null when not given. */
    public record DiskNote(String target, Boolean scratch, Span span) {
    }

    /** Facts about the guest; {@code flushes} is {@code yes}, {@code no} or {@code cond}. */
    public record Guest(String flushes, Span span) {
    }
}
