package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.At;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.SourceText;
import dev.virtlint.model.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON of -blockdev and -device is read as QEMU's own parser reads it (qobject/json-lexer.c,
 * json-streamer.c, json-parser.c): what it accepts is read, the rest is an error at the offending
 * character. Positions are found in the input, never written as numbers.
 */
class JsonOptionsTest {

    private static Options parse(String json) throws JsonOptions.JsonException {
        return JsonOptions.parse(MappedText.identity(json, 0));
    }

    /** The value of {@code key}, which must be present. */
    private static String value(String json, String key) throws JsonOptions.JsonException {
        return parse(json).value(key).orElseThrow();
    }

    /** {@code line:column} of the error in {@code json}, which must be refused. */
    private static String errorAt(String json) {
        try {
            parse(json);
        } catch (JsonOptions.JsonException e) {
            return SourceText.of("t", json).positionOf(e.index).toString();
        }
        throw new AssertionError("accepted: " + json);
    }

    /** {@code line:column} of an offset that no text marks (the end of the input). */
    private static String positionOf(String text, int offset) {
        return SourceText.of("t", text).positionOf(offset).toString();
    }

    private static String message(String json) {
        try {
            parse(json);
        } catch (JsonOptions.JsonException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + json);
    }

    // What QEMU refuses, where the old reader accepted it.

    @ParameterizedTest
    @ValueSource(strings = {"\t", "\n", "\r", "\u0001", "\u001f"})
    void rawControlCharacterInAStringIsRefusedAtThatCharacter(String control) {
        String json = "{\"driver\":\"file\",\"filename\":\"/img/a" + control + "b\"}";
        assertThat(errorAt(json)).isEqualTo(At.of(json, control));
        assertThat(message(json)).contains("raw control character");
    }

    @Test
    void rawControlCharacterAfterABackslashIsRefused() {
        String json = "{\"filename\":\"/a\\\tb\"}";
        assertThat(errorAt(json)).isEqualTo(At.of(json, "\t"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\f", "\u000b", "\u00a0", "\u2003", "\u3000", "\u0085"})
    void whitespaceOtherThanSpaceTabCrLfIsRefused(String blank) {
        String json = "{\"driver\":" + blank + "\"file\"}";
        assertThat(errorAt(json)).isEqualTo(At.of(json, blank));
    }

    @Test
    void jsonWhitespaceIsSpaceTabCrAndLf() throws JsonOptions.JsonException {
        assertThat(value("{ \"driver\"\t:\r\n\"file\" }\n", "driver")).isEqualTo("file");
    }

    @Test
    void duplicateKeyIsRefusedAtItsSecondOccurrence() {
        // json-parser.c parse_pair: "duplicate key"; the old reader let the second win silently.
        String json = "{\"driver\":\"file\",\"filename\":\"/a\",\"driver\":\"host_device\"}";
        assertThat(errorAt(json)).isEqualTo(At.of(json, "\"driver\"", 1));
        assertThat(message(json)).contains("duplicate key \"driver\"");
    }

    @Test
    void keysAreComparedDecoded() {
        String json = "{\"driver\":\"file\",\"dr\\u0069ver\":\"raw\"}";
        assertThat(errorAt(json)).isEqualTo(At.of(json, "\"dr\\u0069ver\""));
    }

    @Test
    void duplicateKeyInANestedObjectIsRefusedButTheSameKeyInTwoObjectsIsNot() throws Exception {
        String json = "{\"cache\":{\"direct\":true,\"direct\":false}}";
        assertThat(errorAt(json)).isEqualTo(At.of(json, "\"direct\"", 1));
        Options ok = parse("{\"driver\":\"qcow2\",\"file\":{\"driver\":\"file\"}}");
        assertThat(ok.value("driver")).contains("qcow2");
        assertThat(ok.value("file.driver")).contains("file");
    }

    @Test
    void anEscapedKeySpansItsWrittenCharacters() throws JsonOptions.JsonException {
        String json = "{\"driver\":\"file\",\"file\\u006eame\":\"/a\"}";
        Span key = parse(json).get("filename").orElseThrow().keySpan();
        assertThat(json.substring(key.start(), key.end())).isEqualTo("file\\u006eame");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\udc00", "\\ud800\\u0041", "\\ufffe", "\\uffff", "\\ufdd0",
        "\\ud83f\\udffe"})
    void escapeOfALoneSurrogateOrANoncharacterIsRefusedAtItsBackslash(String escape) {
        String json = "{\"filename\":\"/a" + escape + "\"}";
        assertThat(errorAt(json)).isEqualTo(At.of(json, "\\u"));
        assertThat(message(json)).contains("is not a valid Unicode character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ufffe", "\ufdd0", "\udbff\udfff"})
    void rawNoncharacterInAStringIsRefused(String nonCharacter) {
        String json = "{\"filename\":\"/a" + nonCharacter + "\"}";
        assertThat(errorAt(json)).isEqualTo(At.of(json, nonCharacter));
    }

    @Test
    void aLexerErrorLaterInTheObjectWinsOverAGrammarErrorBeforeIt() {
        // json-streamer.c hands the parser an object only once it is complete; a stray token
        // stops it before.
        String json = "{\"driver\" \"file\",\"size\":01}";
        assertThat(errorAt(json)).isEqualTo(At.of(json, "1}"));
    }

    // QEMU's extensions, which the old reader refused.

    @Test
    void singleQuotedStringsAreStrings() throws JsonOptions.JsonException {
        String json = "{'driver':'file','filename':'/a \"b\" \\'c\\''}";
        assertThat(value(json, "driver")).isEqualTo("file");
        assertThat(value(json, "filename")).isEqualTo("/a \"b\" 'c'");
    }

    @Test
    void escapedApostropheInADoubleQuotedString() throws JsonOptions.JsonException {
        assertThat(value("{\"filename\":\"/it\\'s\"}", "filename")).isEqualTo("/it's");
    }

    // What both accept.

    @Test
    void escapesDecode() throws JsonOptions.JsonException {
        String json = "{\"f\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u00e9\\ud83d\\ude00\"}";
        assertThat(value(json, "f")).isEqualTo("\"\\/\b\f\n\r\t\u0000\u00e9\ud83d\ude00");
    }

    @Test
    void aStringValueSpansTheCharactersBetweenItsQuotes() throws JsonOptions.JsonException {
        String json = "{\"filename\":\"/a\\u0062\"}";
        Span v = parse(json).get("filename").orElseThrow().valueSpan();
        assertThat(json.substring(v.start(), v.end())).isEqualTo("/a\\u0062");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "7", "-12", "1.5", "0.25", "1e9", "1E+9", "2.5e-3", "-0.0e0",
        "0.5e3", "18446744073709551616"})
    void numbersOfTheJsonGrammarAreRead(String number) throws JsonOptions.JsonException {
        assertThat(value("{\"n\":" + number + "}", "n")).isEqualTo(number);
    }

    /** The JSON grammar's refusals, and QEMU's own: no exponent after a bare 0 (IN_ZERO). */
    @ParameterizedTest
    @ValueSource(strings = {"01", "-01", "+1", ".5", "1.", "1.e3", "1e", "1e+", "-", "--1", "0x10",
        "1.5.2", "NaN", "Infinity", "-Infinity", "0e5", "-0E+1", "0E-1"})
    void numbersOutsideTheJsonGrammarAreRefused(String number) {
        assertThat(message("{\"n\":" + number + "}")).isNotEmpty();
    }

    @Test
    void aNumberErrorIsAtTheCharacterThatBreaksIt() {
        String json = "{\"n\":1.x}";
        assertThat(errorAt(json)).isEqualTo(At.of(json, "x"));
        String zero = "{\"n\":007}";
        assertThat(errorAt(zero)).isEqualTo(At.of(zero, "07"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"True", "nul", "truefalse", "undefined"})
    void onlyTrueFalseAndNullAreKeywords(String word) {
        String json = "{\"a\":" + word + "}";
        assertThat(errorAt(json)).isEqualTo(At.of(json, word));
    }

    @Test
    void keywordsAreRead() throws JsonOptions.JsonException {
        Options o = parse("{\"a\":true,\"b\":false,\"c\":null}");
        assertThat(o.value("a")).contains("true");
        assertThat(o.value("b")).contains("false");
        assertThat(o.value("c")).contains("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "}", "{}", "[]", "1", "\"s\"", "#", ","})
    void anythingButWhitespaceAfterTheObjectIsRefusedWhereItStarts(String trailing) {
        String json = "{\"driver\":\"file\"}  " + trailing;
        String at = positionOf(json, json.length() - trailing.length());
        assertThat(errorAt(json)).isEqualTo(at);
        assertThat(message(json)).contains("at most one JSON value");
    }

    @Test
    void grammarErrorsAreAtTheirToken() {
        String colon = "{\"a\" 1}";
        assertThat(errorAt(colon)).isEqualTo(At.of(colon, "1"));
        String comma = "{\"a\":1 \"b\":2}";
        assertThat(errorAt(comma)).isEqualTo(At.of(comma, "\"b\""));
        String trailingComma = "{\"a\":1,}";
        assertThat(errorAt(trailingComma)).isEqualTo(At.of(trailingComma, "}"));
        String keyNotString = "{\"a\":1,2:3}";
        assertThat(errorAt(keyNotString)).isEqualTo(At.of(keyNotString, "2"));
        String list = "{\"a\":[1 2]}";
        assertThat(errorAt(list)).isEqualTo(At.of(list, "2"));
        String mismatched = "{\"a\":[1}";
        assertThat(errorAt(mismatched)).isEqualTo(At.of(mismatched, "}"));
    }

    @Test
    void anUnfinishedObjectIsAnErrorAtTheEnd() {
        String json = "{\"a\":[1,";
        assertThat(errorAt(json)).isEqualTo(positionOf(json, json.length()));
        String string = "{\"a\":\"never";
        assertThat(errorAt(string)).isEqualTo(At.of(string, "\"never"));
    }

    @Test
    void nestingUpToQemusLimitIsReadAndOneLevelMoreIsRefusedAtTheOpeningToken() throws Exception {
        int max = JsonOptions.MAX_NESTING;
        parse("{\"a\":".repeat(max - 1) + "[" + "]" + "}".repeat(max - 1));
        String deep = "{\"a\":".repeat(max - 1) + "[[]]" + "}".repeat(max - 1);
        // The inner '[' is level max + 1.
        assertThat(errorAt(deep)).isEqualTo(At.of(deep, "[]]"));
        assertThat(message(deep)).contains("nested deeper than " + max);
    }

    @Test
    void moreTokensThanQemusLimitAreRefused() throws Exception {
        int max = JsonOptions.MAX_TOKEN_COUNT;
        // {"a":[0,...,0]} with k zeros has 2k + 5 tokens: here one more than the limit, the
        // closing brace. (Reading as many as the limit costs seconds: not tested.)
        int k = (max - 4) / 2;
        String json = "{\"a\":[" + "0,".repeat(k - 1) + "0]}";
        assertThat(message(json)).contains("tokens");
        assertThat(errorAt(json)).isEqualTo(At.of(json, "}"));
    }

    // How a -blockdev value is told to be JSON.

    @Test
    void aBlankBeforeTheBraceMakesQemuReadKeyValueOptions() {
        String line = "qemu -blockdev ' {\"driver\":\"file\",\"filename\":\"/a\","
                + "\"node-name\":\"n\"}'";
        assertThatThrownBy(() -> ArgsParser.parse(SourceText.of("t", line), Dialect.ARGS))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("key=value")
                .satisfies(e -> assertThat(((ParseException) e).position().toString())
                        .isEqualTo(At.of(line, " {")));
    }

    @Test
    void anErrorInACommandLineIsAtItsLineAndColumn() {
        String text = "qemu-system-x86_64 \\\n  -blockdev '{\"driver\":\"file\",\n"
                + "    \"filename\":\"/a\",\"driver\":\"raw\"}'\n";
        assertThatThrownBy(() -> ArgsParser.parse(SourceText.of("t", text), Dialect.ARGS))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("duplicate key")
                .satisfies(e -> assertThat(((ParseException) e).position().toString())
                        .isEqualTo(At.of(text, "\"driver\"", 1)));
    }
}
