package dev.virtlint.rewrite;

import dev.virtlint.rules.FixPlan;
import dev.virtlint.model.SourceText;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.List;

/**
 * A rewritten text encoded the way its source was stored: the same charset, the same byte order
 * mark, and the same bytes wherever no edit is.
 */
public final class Encoded {

    private Encoded() {
    }

    /** Why an edit cannot be written into the bytes; {@code offset}: where in the text, or -1. */
    public static final class Refused extends Exception {

        private final int offset;

        Refused(int offset, String message) {
            super(message);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    /**
     * The bytes of {@code text} for {@code source}'s file. The decoder names UTF-16 by its byte
     * order (UTF-16BE/LE), so the mark is written as U+FEFF in that order. This encodes every
     * character again, which gives other bytes than were read where a charset does not round-trip;
     * a fix uses {@link #splice} instead.
     */
    public static byte[] bytes(SourceText source, String text) {
        return ((source.bom() ? "\uFEFF" : "") + text).getBytes(Charset.forName(source.charset()));
    }

    /**
     * The original bytes with only the edited characters replaced, each edit's text encoded on its
     * own; every other byte stays as it was read. Re-encoding the whole text would not: windows-31j
     * decodes NEC and IBM duplicates (0xED40 and 0xFA5C) to one character and writes it back as one
     * of them, and ISO-2022-* depend on shift state. Refused when the charset cannot be written
     * at all (the JDK decodes ISO-2022-CN but has no encoder), an edit's text has a character it
     * cannot write, or the spliced bytes do not read back as exactly the edited text.
     *
     * @param edits the edits in text order, not overlapping
     */
    public static byte[] splice(SourceText source, byte[] original, List<FixPlan.Replace> edits)
            throws Refused {
        Charset charset = Charset.forName(source.charset());
        if (!charset.canEncode()) {
            throw new Refused(-1, "virtlint can read " + charset.name() + " but not write it;"
                    + " change the file by hand or convert it to UTF-8");
        }
        int skip = source.bom() ? "\uFEFF".getBytes(charset).length : 0;
        int[] at = byteOffsets(charset, original, skip, edits);
        CharsetEncoder encoder = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(original.length + 64);
        int copied = 0;
        for (int i = 0; i < edits.size(); i++) {
            FixPlan.Replace r = edits.get(i);
            out.write(original, copied, at[2 * i] - copied);
            try {
                ByteBuffer encoded = encoder.reset().encode(CharBuffer.wrap(r.text()));
                byte[] piece = new byte[encoded.remaining()];
                encoded.get(piece);
                out.write(piece, 0, piece.length);
            } catch (CharacterCodingException e) {
                throw new Refused(r.span().start(), "'" + r.text() + "' cannot be written in "
                        + charset.name());
            }
            copied = at[2 * i + 1];
        }
        out.write(original, copied, original.length - copied);
        byte[] result = out.toByteArray();
        String expected = addAll(edits).apply(source.text());
        String actual;
        try {
            actual = decode(charset, result, skip);
        } catch (CharacterCodingException e) {
            actual = null;
        }
        if (!expected.equals(actual)) {
            int where = edits.isEmpty() ? -1 : edits.get(0).span().start();
            throw new Refused(where, "the edit cannot be written into this " + charset.name()
                    + " file without changing other characters");
        }
        return result;
    }

    private static TextEdits addAll(List<FixPlan.Replace> edits) {
        TextEdits t = new TextEdits();
        edits.forEach(r -> t.add(r.span(), r.text()));
        return t;
    }

    private static CharsetDecoder decoder(Charset charset) {
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static String decode(Charset charset, byte[] bytes, int skip)
            throws CharacterCodingException {
        ByteBuffer in = ByteBuffer.wrap(bytes, skip, bytes.length - skip);
        return decoder(charset).decode(in).toString();
    }

    /**
     * Where each edit's start and end fall in the bytes: decoding stops at each boundary (the
     * output buffer's limit), and the input's position there is the byte offset.
     */
    private static int[] byteOffsets(Charset charset, byte[] bytes, int skip,
                                     List<FixPlan.Replace> edits) throws Refused {
        CharsetDecoder decoder = decoder(charset);
        ByteBuffer in = ByteBuffer.wrap(bytes, skip, bytes.length - skip);
        int last = edits.isEmpty() ? 0 : edits.get(edits.size() - 1).span().end();
        CharBuffer out = CharBuffer.allocate(last + 1);
        int[] at = new int[2 * edits.size()];
        for (int i = 0; i < at.length; i++) {
            FixPlan.Replace r = edits.get(i / 2);
            int boundary = i % 2 == 0 ? r.span().start() : r.span().end();
            out.limit(boundary);
            CoderResult result = decoder.decode(in, out, false);
            if (result.isError() || out.position() != boundary) {
                throw new Refused(boundary, "the edit does not fall on a character boundary of the "
                        + charset.name() + " bytes");
            }
            at[i] = in.position();
        }
        return at;
    }
}
