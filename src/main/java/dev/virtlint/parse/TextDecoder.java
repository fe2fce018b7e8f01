package dev.virtlint.parse;

import dev.virtlint.model.Position;
import dev.virtlint.model.SourceText;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the bytes of an input into a {@link SourceText}: a byte order mark picks UTF-8 or UTF-16,
 * else an XML declaration's encoding, else UTF-8. Bytes that do not decode are an error, not a
 * replacement character, so a later rewrite can give back exactly what was read.
 */
public final class TextDecoder {

    private static final Pattern XML_DECL_ENCODING =
            Pattern.compile("^<\\?xml[^>]*?\\sencoding\\s*=\\s*([\"'])([A-Za-z0-9._:-]+)\\1");

    private TextDecoder() {
    }

    public static SourceText decode(String name, byte[] bytes) throws ParseException {
        Charset charset = StandardCharsets.UTF_8;
        int skip = 0;
        boolean bom = false;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            skip = 3;
            bom = true;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
            bom = true;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
            bom = true;
        } else {
            charset = declaredCharset(name, bytes);
        }
        return new SourceText(name, decodeStrict(name, bytes, skip, charset), charset.name(), bom);
    }

    private static Charset declaredCharset(String name, byte[] bytes) throws ParseException {
        int n = Math.min(bytes.length, 200);
        String head = new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
        Matcher m = XML_DECL_ENCODING.matcher(head);
        if (!m.find()) {
            return StandardCharsets.UTF_8;
        }
        String label = m.group(2);
        try {
            return Charset.forName(label);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ParseException("unsupported encoding '" + label + "' in the XML declaration",
                    new Position(1, m.start(2) + 1));
        }
    }

    private static String decodeStrict(String name, byte[] bytes, int skip, Charset charset) throws ParseException {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, skip, bytes.length - skip);
        CharBuffer out = CharBuffer.allocate((int) ((bytes.length - skip) * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            out.flip();
            SourceText sofar = SourceText.of(name, out.toString());
            int badByte = in.position();
            throw ParseException.at(sofar, sofar.text().length(),
                    String.format("byte 0x%02X at offset %d is not valid %s", bytes[badByte] & 0xff, badByte, charset.name()));
        }
        out.flip();
        return out.toString();
    }
}
