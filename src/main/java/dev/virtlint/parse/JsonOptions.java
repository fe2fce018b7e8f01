package dev.virtlint.parse;

import dev.virtlint.model.Span;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the JSON form of {@code -blockdev} and {@code -device} into flattened {@link Options}:
 * {@code {"cache":{"direct":true}}} becomes {@code cache.direct = true}, arrays become
 * {@code key.0}, {@code key.1}. A string value's span covers the characters between its quotes.
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

    private final MappedText in;
    private final String s;
    private int p;
    private int depth;
    private final Map<String, Options.Option> values = new LinkedHashMap<>();

    private JsonOptions(MappedText in) {
        this.in = in;
        this.s = in.text();
    }

    static Options parse(MappedText in) throws JsonException {
        JsonOptions j = new JsonOptions(in);
        j.skipSpace();
        if (j.p >= j.s.length() || j.s.charAt(j.p) != '{') {
            throw new JsonException("expected a JSON object", j.p);
        }
        j.value("", -1);
        j.skipSpace();
        if (j.p != j.s.length()) {
            throw new JsonException("unexpected text after the JSON object", j.p);
        }
        return new Options(in.sourceSpan(), j.s, j.values);
    }

    private void value(String key, int keyStart) throws JsonException {
        skipSpace();
        if (p >= s.length()) {
            throw new JsonException("unexpected end of JSON", p);
        }
        char c = s.charAt(p);
        if (c == '{') {
            object(key);
            depth--;
        } else if (c == '[') {
            array(key);
            depth--;
        } else if (c == '"') {
            int start = p + 1;
            String text = string();
            put(key, keyStart, text, start, p - 1);
        } else {
            int start = p;
            while (p < s.length() && "{}[],: \t\r\n\"".indexOf(s.charAt(p)) < 0) {
                p++;
            }
            String token = s.substring(start, p);
            if (token.isEmpty() || !(token.equals("true") || token.equals("false") || token.equals("null")
                    || token.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"))) {
                throw new JsonException("unexpected JSON value '" + token + "'", start);
            }
            put(key, keyStart, token, start, p);
        }
    }

    private void nest() throws JsonException {
        if (++depth > MAX_NESTING) {
            throw new JsonException("JSON nested deeper than " + MAX_NESTING + " levels (QEMU's limit)", p);
        }
    }

    private void put(String key, int keyStart, String value, int from, int to) {
        Span keySpan = keyStart < 0 ? Span.at(in.sourceOffset(from)) : in.sourceSpan(keyStart, keyStart + lastSegment(key).length());
        values.put(key, new Options.Option(key, value, keySpan, in.sourceSpan(from, to)));
    }

    private static String lastSegment(String key) {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? key : key.substring(dot + 1);
    }

    private void object(String prefix) throws JsonException {
        nest();
        p++;
        skipSpace();
        if (peek() == '}') {
            p++;
            return;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw new JsonException("expected a key in quotes", p);
            }
            int keyStart = p + 1;
            String name = string();
            skipSpace();
            if (peek() != ':') {
                throw new JsonException("expected ':' after key \"" + name + "\"", p);
            }
            p++;
            value(prefix.isEmpty() ? name : prefix + "." + name, keyStart);
            skipSpace();
            char c = peek();
            p++;
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw new JsonException("expected ',' or '}' in JSON object", p - 1);
            }
        }
    }

    private void array(String prefix) throws JsonException {
        nest();
        p++;
        skipSpace();
        if (peek() == ']') {
            p++;
            return;
        }
        int index = 0;
        while (true) {
            value(prefix + "." + index++, -1);
            skipSpace();
            char c = peek();
            p++;
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw new JsonException("expected ',' or ']' in JSON array", p - 1);
            }
        }
    }

    private String string() throws JsonException {
        int open = p;
        p++;
        StringBuilder out = new StringBuilder();
        while (p < s.length()) {
            char c = s.charAt(p++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (p >= s.length()) {
                break;
            }
            char e = s.charAt(p++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (p + 4 > s.length()) {
                        throw new JsonException("bad \\u escape", p - 2);
                    }
                    try {
                        out.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw new JsonException("bad \\u escape", p - 2);
                    }
                    p += 4;
                }
                default -> throw new JsonException("bad escape \\" + e, p - 2);
            }
        }
        throw new JsonException("unterminated JSON string", open);
    }

    private char peek() throws JsonException {
        if (p >= s.length()) {
            throw new JsonException("unexpected end of JSON", p);
        }
        return s.charAt(p);
    }

    private void skipSpace() {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
    }
}
