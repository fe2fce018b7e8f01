package dev.virtlint.lint;

import dev.virtlint.model.Position;

/**
 * An input that could not be read or parsed.
 *
 * @param name     the input's name
 * @param position where the problem is, or null when the input could not be opened
 * @param message  what is wrong
 * @param internal true when virtlint itself failed (a bug), not the input
 */
public record InputError(String name, Position position, String message, boolean internal) {

    /** The compiler-style line: {@code path:line:column: error: message}. */
    public String format() {
        String where = position == null ? name : name + ":" + position.line() + ":" + position.column();
        return where + ": " + (internal ? "internal error" : "error") + ": " + message;
    }
}
