package dev.virtlint.parse;

import dev.virtlint.model.Position;
import dev.virtlint.model.SourceText;

/** An input that cannot be read: says what is wrong and where. */
public final class ParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Position position;

    public ParseException(String message, Position position) {
        super(message);
        this.position = position;
    }

    static ParseException at(SourceText source, int offset, String message) {
        return new ParseException(message, source.positionOf(Math.min(Math.max(offset, 0), source.text().length())));
    }

    /** Where the problem is, or null when the input could not be opened at all. */
    public Position position() {
        return position;
    }
}
