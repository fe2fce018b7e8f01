package dev.virtlint.model;

/** A 1-based line and column; columns count UTF-16 code units, as SARIF does by default. */
public record Position(int line, int column) {

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
