package dev.virtlint.model;

import java.util.Arrays;

/**
 * The decoded text of one input and how it was stored, so that offsets can be turned into lines and
 * columns and a rewrite can encode the text back exactly as it was.
 *
 * @param name    how the input is called in messages (a path, {@code -} for stdin, {@code --drive[1]})
 * @param text    the decoded characters, without the byte order mark
 * @param charset the name of the charset the bytes were decoded with
 * @param bom     whether the bytes started with a byte order mark
 */
public final class SourceText {

    private final String name;
    private final String text;
    private final String charset;
    private final boolean bom;
    /** Where each line starts; computed when a position is first asked for (a rewrite never asks). */
    private volatile int[] lineStarts;

    public SourceText(String name, String text, String charset, boolean bom) {
        this.name = name;
        this.text = text;
        this.charset = charset;
        this.bom = bom;
    }

    public static SourceText of(String name, String text) {
        return new SourceText(name, text, "UTF-8", false);
    }

    /** Lines end at LF, CRLF or a lone CR, as XML and editors count them. */
    private static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int count = 0;
        starts[count++] = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineEnd = c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'));
            if (lineEnd) {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        }
        return Arrays.copyOf(starts, count);
    }

    private int[] lineStarts() {
        int[] starts = lineStarts;
        if (starts == null) {
            starts = lineStarts(text);
            lineStarts = starts;
        }
        return starts;
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    public String charset() {
        return charset;
    }

    public boolean bom() {
        return bom;
    }

    public String slice(Span span) {
        return text.substring(span.start(), span.end());
    }

    public Position positionOf(int offset) {
        if (offset < 0 || offset > text.length()) {
            throw new IllegalArgumentException("offset " + offset + " outside " + name + " (length " + text.length() + ")");
        }
        int[] starts = lineStarts();
        int index = Arrays.binarySearch(starts, offset);
        int line = index >= 0 ? index : -index - 2;
        return new Position(line + 1, offset - starts[line] + 1);
    }

    /** The offset of a 1-based line and column, clamped to the text. */
    public int offsetOf(int line, int column) {
        if (line < 1) {
            return 0;
        }
        int[] starts = lineStarts();
        if (line > starts.length) {
            return text.length();
        }
        return Math.min(text.length(), starts[line - 1] + Math.max(0, column - 1));
    }

    public Position start(Span span) {
        return positionOf(span.start());
    }
}
