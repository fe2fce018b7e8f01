package dev.virtlint.parse;

import dev.virtlint.model.Span;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON form of {@code -blockdev} and {@code -device} into flattened {@link Options}:
 * {@code {"cache":{"direct":true}}} becomes {@code cache.direct = true}, arrays become
 * {@code key.0}, {@code key.1}. A string value's span, and a key's, covers the characters between
 * its quotes as written (escapes included).
 *
 * <p>It accepts exactly what QEMU's JSON parser accepts (qobject/json-lexer.c, json-streamer.c,
 * json-parser.c, reached through qobject_from_json in qobject/qjson.c): RFC 8259 JSON plus
 * single-quoted strings and the {@code \'} escape; whitespace is only space, tab, CR and LF; a
 * string holds no raw control character; a {@code \}{@code u} escape names a Unicode character
 * ({@code \}{@code u0000} is one, a lone surrogate or a noncharacter is not); a key occurs once
 * per object; nothing but whitespace follows the object. Everything else is an error at the
 * offending character. Of two errors, the one QEMU meets first is reported: the lexer reads the
 * whole object before the parser sees it (json_message_process_token), so a stray character
 * anywhere in the object wins over a grammar error before it.
 */
final class JsonOptions {

    /** Malformed JSON, at a decoded index. */
    static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;
        final int index;

        JsonException(String message, int index) {
            super(message);
            this.index = index;
        }
    }

    /**
     * How deep objects and arrays may nest, as in QEMU's JSON parser: qobject/json-streamer.c,
     * json_message_process_token(), rejects a message once brace_count + bracket_count exceeds
     * MAX_NESTING (1 << 10). Deeper input is an error here too, not a stack overflow.
     */
    static final int MAX_NESTING = 1 << 10;
    /** json-streamer.c MAX_TOKEN_COUNT: tokens in one JSON value. */
    static final int MAX_TOKEN_COUNT = 2 << 20;
    /** json-streamer.c MAX_TOKEN_SIZE: bytes (UTF-8) of the tokens of one JSON value. */
    static final long MAX_TOKEN_SIZE = 64L << 20;

    // Token types, as json-parser-int.h names them (JSON_LCURLY ...).
    private static final byte LCURLY = 0;
    private static final byte RCURLY = 1;
    private static final byte LSQUARE = 2;
    private static final byte RSQUARE = 3;
    private static final byte COLON = 4;
    private static final byte COMMA = 5;
    private static final byte NUMBER = 6;
    private static final byte KEYWORD = 7;
    private static final byte STRING = 8;

    private final MappedText in;
    private final String s;
    private final Map<String, Options.Option> values = new LinkedHashMap<>();
    private byte[] types = new byte[64];
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int count;
    /** The next token the parser reads. */
    private int t;
    /** Where the lexer stopped: the end of the object's last token. */
    private int lexed;

    private JsonOptions(MappedText in) {
        this.in = in;
        this.s = in.text();
    }

    /**
     * Reads a value whose first character is {@code '{'}: the only test QEMU makes for JSON
     * (qapi/qobject-input-visitor.c qobject_input_visitor_new_str for -blockdev, vl.c for
     * -device).
     */
    static Options parse(MappedText in) throws JsonException {
        JsonOptions j = new JsonOptions(in);
        if (j.s.isEmpty() || j.s.charAt(0) != '{') {
            throw new JsonException("expected a JSON object", 0);
        }
        j.lex();
        j.value("", null, true);
        // qjson.c consume_json: a second value, or anything that is not one, after the first.
        int p = j.lexed;
        while (p < j.s.length() && isSpace(j.s.charAt(p))) {
            p++;
        }
        if (p < j.s.length()) {
            throw new JsonException("unexpected text after the JSON object (QEMU expects at most"
                    + " one JSON value)", p);
        }
        return new Options(in.sourceSpan(), j.s, j.values);
    }

    /** JSON whitespace (RFC 8259 ws; json-lexer.c IN_START): no other blank. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    // ---- lexer and streamer ----

    /**
     * Cuts the first JSON value into tokens, as json-lexer.c json_lexer_feed_char does, and stops
     * where json-streamer.c json_message_process_token hands them to the parser: when the counts
     * of open braces and brackets are back to zero (or below), or at the end of the input.
     */
    private void lex() throws JsonException {
        int braces = 0;
        int brackets = 0;
        long size = 0;
        int p = 0;
        while (true) {
            while (p < s.length() && isSpace(s.charAt(p))) {
                p++;
            }
            if (p >= s.length()) {
                lexed = p;
                return;
            }
            int start = p;
            byte type;
            char c = s.charAt(p);
            switch (c) {
                case '{' -> {
                    type = LCURLY;
                    braces++;
                    p++;
                }
                case '}' -> {
                    type = RCURLY;
                    braces--;
                    p++;
                }
                case '[' -> {
                    type = LSQUARE;
                    brackets++;
                    p++;
                }
                case ']' -> {
                    type = RSQUARE;
                    brackets--;
                    p++;
                }
                case ':' -> {
                    type = COLON;
                    p++;
                }
                case ',' -> {
                    type = COMMA;
                    p++;
                }
                case '"', '\'' -> {
                    type = STRING;
                    p = stringEnd(p);
                }
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        type = NUMBER;
                        p = numberEnd(p);
                    } else if (c >= 'a' && c <= 'z') {
                        type = KEYWORD;
                        while (p < s.length() && s.charAt(p) >= 'a' && s.charAt(p) <= 'z') {
                            p++;
                        }
                    } else {
                        throw new JsonException(stray(c), p);
                    }
                }
            }
            size += utf8Length(start, p);
            if (size + 1 > MAX_TOKEN_SIZE) {
                throw new JsonException("JSON value larger than QEMU's limit of " + MAX_TOKEN_SIZE
                        + " bytes", start);
            }
            if (count + 1 > MAX_TOKEN_COUNT) {
                throw new JsonException("JSON value of more than QEMU's limit of " + MAX_TOKEN_COUNT
                        + " tokens", start);
            }
            if (braces + brackets > MAX_NESTING) {
                throw new JsonException("JSON nested deeper than " + MAX_NESTING
                        + " levels (QEMU's limit)", start);
            }
            push(type, start, p);
            // json_message_process_token tests bracket_count twice (not brace_count): a message
            // with more '}' than '{' but an open '[' goes on.
            if (!((braces > 0 || brackets > 0) && brackets >= 0)) {
                lexed = p;
                return;
            }
        }
    }

    private void push(byte type, int start, int end) {
        if (count == types.length) {
            types = java.util.Arrays.copyOf(types, count * 2);
            starts = java.util.Arrays.copyOf(starts, count * 2);
            ends = java.util.Arrays.copyOf(ends, count * 2);
        }
        types[count] = type;
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    /** How a character the lexer has no token for is named in its error. */
    private static String stray(char c) {
        if (c == '\f' || c == 0x0B || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
            return "unexpected " + unicode(c)
                    + " in JSON: whitespace is only space, tab, CR and LF";
        }
        if (c < 0x20 || c > 0x7E) {
            return "unexpected " + unicode(c) + " in JSON";
        }
        return "unexpected character '" + c + "' in JSON";
    }

    private static String unicode(int cp) {
        String hex = Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT);
        return "U+" + "0000".substring(Math.min(4, hex.length())) + hex;
    }

    /**
     * The end of the string token at {@code p}. json-lexer.c IN_DQ_STRING / IN_SQ_STRING take
     * bytes 0x20 to 0xFD and, after a backslash, any one of those; a control character ends the
     * token in error, and so does the end of the input.
     */
    private int stringEnd(int p) throws JsonException {
        char quote = s.charAt(p);
        int i = p + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c < 0x20) {
                throw new JsonException("raw control character " + unicode(c)
                        + " in a JSON string (write it as an escape)", i);
            }
            if (c == quote) {
                return i + 1;
            }
            if (c == '\\') {
                i++;
                if (i < s.length() && s.charAt(i) < 0x20) {
                    throw new JsonException("raw control character " + unicode(s.charAt(i))
                            + " in a JSON string (write it as an escape)", i);
                }
            }
            i++;
        }
        throw new JsonException("JSON string never ends", p);
    }

    /**
     * The end of the number token at {@code p}: json-lexer.c IN_SIGN, IN_ZERO, IN_DIGITS,
     * IN_MANTISSA, IN_EXP_E ... accept {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?}; a
     * digit after a leading zero is an error, any other character ends the number.
     */
    private int numberEnd(int p) throws JsonException {
        int i = p;
        if (s.charAt(i) == '-') {
            i++;
        }
        boolean zero = i < s.length() && s.charAt(i) == '0';
        if (zero) {
            i++;
            if (digit(i)) {
                throw new JsonException("unexpected digit after a leading 0 in JSON number", i);
            }
        } else {
            i = digits(i, "a digit after '-'");
        }
        boolean fraction = i < s.length() && s.charAt(i) == '.';
        if (fraction) {
            i = digits(i + 1, "a digit after the decimal point");
        }
        boolean exponent = i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E');
        if (exponent && zero && !fraction) {
            // QEMU's lexer (qobject/json-lexer.c, state IN_ZERO) goes on from a bare 0 only with
            // '.': "0e5" is the integer 0 followed by the keyword "e", which the parser refuses,
            // although RFC 8259 allows it.
            throw new JsonException("QEMU reads no exponent after a bare 0 in a JSON number", i);
        }
        if (exponent) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            i = digits(i, "a digit in the exponent");
        }
        return i;
    }

    private boolean digit(int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    private int digits(int i, String what) throws JsonException {
        if (!digit(i)) {
            throw new JsonException("expected " + what + " in JSON number", i);
        }
        while (digit(i)) {
            i++;
        }
        return i;
    }

    private long utf8Length(int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    // ---- parser (json-parser.c) ----

    /** Where the parser stands, for an error: the next token, or the end of the input. */
    private int here() {
        return t < count ? starts[t] : s.length();
    }

    private JsonException endOfInput() {
        return new JsonException("unexpected end of JSON", s.length());
    }

    /**
     * json-parser.c parse_value. Puts what it reads under {@code key} (with {@code keySpan}, null
     * for an array element) when {@code keep}; returns the decoded string for a string value,
     * else null.
     */
    private String value(String key, Span keySpan, boolean keep) throws JsonException {
        if (t >= count) {
            throw endOfInput();
        }
        int start = starts[t];
        int end = ends[t];
        switch (types[t]) {
            case LCURLY -> {
                object(key, keep);
                return null;
            }
            case LSQUARE -> {
                array(key, keep);
                return null;
            }
            case STRING -> {
                t++;
                String text = string(start, end);
                put(key, keySpan, text, start + 1, end - 1, keep);
                return text;
            }
            case NUMBER -> {
                t++;
                put(key, keySpan, s.substring(start, end), start, end, keep);
                return null;
            }
            case KEYWORD -> {
                t++;
                String word = s.substring(start, end);
                // json-parser.c parse_keyword: the lexer takes [a-z]+, the parser these three.
                if (!(word.equals("true") || word.equals("false") || word.equals("null"))) {
                    throw new JsonException("unexpected JSON value '" + word + "'", start);
                }
                put(key, keySpan, word, start, end, keep);
                return null;
            }
            default -> throw new JsonException("expected a JSON value", start);
        }
    }

    private void put(String key, Span keySpan, String value, int from, int to, boolean keep) {
        if (keep) {
            Span at = keySpan == null ? Span.at(in.sourceOffset(from)) : keySpan;
            values.put(key, new Options.Option(key, value, at, in.sourceSpan(from, to)));
        }
    }

    /** json-parser.c parse_object and parse_pair. */
    private void object(String prefix, boolean keep) throws JsonException {
        t++;
        if (t < count && types[t] == RCURLY) {
            t++;
            return;
        }
        Set<String> keys = new HashSet<>();
        while (true) {
            if (t >= count) {
                throw endOfInput();
            }
            int keyToken = t;
            // parse_pair reads the key as any value, then refuses one that is not a string.
            String name = value("", null, false);
            if (name == null) {
                throw new JsonException("expected a key in quotes", starts[keyToken]);
            }
            if (t >= count) {
                throw endOfInput();
            }
            if (types[t] != COLON) {
                throw new JsonException("expected ':' after key \"" + name + "\"", starts[t]);
            }
            t++;
            Span keySpan = in.sourceSpan(starts[keyToken] + 1, ends[keyToken] - 1);
            value(prefix.isEmpty() ? name : prefix + "." + name, keySpan, keep);
            // parse_pair checks after reading the value: an error in the value comes first.
            if (!keys.add(name)) {
                throw new JsonException("duplicate key \"" + name
                        + "\" in JSON object (QEMU refuses it)", starts[keyToken]);
            }
            if (t >= count) {
                throw endOfInput();
            }
            byte type = types[t++];
            if (type == RCURLY) {
                return;
            }
            if (type != COMMA) {
                throw new JsonException("expected ',' or '}' in JSON object", starts[t - 1]);
            }
        }
    }

    /** json-parser.c parse_array. */
    private void array(String prefix, boolean keep) throws JsonException {
        t++;
        if (t < count && types[t] == RSQUARE) {
            t++;
            return;
        }
        int index = 0;
        while (true) {
            value(prefix + "." + index++, null, keep);
            if (t >= count) {
                throw endOfInput();
            }
            byte type = types[t++];
            if (type == RSQUARE) {
                return;
            }
            if (type != COMMA) {
                throw new JsonException("expected ',' or ']' in JSON array", starts[t - 1]);
            }
        }
    }

    /**
     * The text of the string token {@code [start, end)}, quotes included, decoded as json-parser.c
     * parse_string does: the RFC 8259 escapes and {@code \'}; {@code \}{@code u} with four hex
     * digits, a leading surrogate joined with a trailing one that follows; a code point that
     * util/unicode.c mod_utf8_encode (is_valid_codepoint) refuses, escaped or raw
     * (mod_utf8_codepoint), is an error: a lone surrogate, a noncharacter. U+0000 is valid.
     */
    private String string(int start, int end) throws JsonException {
        StringBuilder out = new StringBuilder(end - start);
        int close = end - 1;
        int i = start + 1;
        while (i < close) {
            char c = s.charAt(i);
            if (c != '\\') {
                int cp = s.codePointAt(i);
                int n = Character.charCount(cp);
                if (i + n > close || !validCodepoint(cp)) {
                    throw new JsonException(unicode(cp)
                            + " is not a character QEMU accepts in a JSON string", i);
                }
                out.append(s, i, i + n);
                i += n;
                continue;
            }
            int escape = i;
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case '"', '\'', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    int cp = hex4(i, close);
                    i = Math.min(i + 4, close);
                    if (cp >= 0xD800 && cp <= 0xDBFF && s.startsWith("\\u", i) && i + 1 < close) {
                        int trailing = hex4(i + 2, close);
                        if (trailing >= 0xDC00 && trailing <= 0xDFFF) {
                            cp = 0x10000 + ((cp & 0x3FF) << 10) + (trailing & 0x3FF);
                            i += 6;
                        } else {
                            cp = -1;
                        }
                    }
                    if (!validCodepoint(cp)) {
                        throw new JsonException(s.substring(escape, Math.min(i, close))
                                + " is not a valid Unicode character", escape);
                    }
                    out.appendCodePoint(cp);
                }
                default -> throw new JsonException("invalid escape sequence \\" + e
                        + " in JSON string", escape);
            }
        }
        return out.toString();
    }

    /** json-parser.c cvt4hex: four hex digits before {@code limit}, else -1. */
    private int hex4(int i, int limit) {
        int cp = 0;
        for (int k = 0; k < 4; k++) {
            char c = i + k < limit ? s.charAt(i + k) : 0;
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            cp = cp << 4 | d;
        }
        return cp;
    }

    /** util/unicode.c is_valid_codepoint: in range, not a surrogate, not a noncharacter. */
    private static boolean validCodepoint(int cp) {
        return cp >= 0 && cp <= 0x10FFFF && (cp & 0xFFFFF800) != 0xD800 && (cp & 0xFFFE) != 0xFFFE
                && !(cp >= 0xFDD0 && cp <= 0xFDEF);
    }
}
