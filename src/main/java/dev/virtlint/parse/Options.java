package dev.virtlint.parse;

import dev.virtlint.model.Located;
import dev.virtlint.model.Span;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The options of one QEMU argument ({@code -drive}, {@code -blockdev}, {@code -device}), flattened
 * to dotted keys ({@code cache.direct}, {@code file.filename}) whichever syntax they were written
 * in, each with the source spans of its key and value.
 *
 * @param span the source span of the whole argument value
 * @param text the argument value as QEMU receives it
 */
record Options(Span span, String text, Map<String, Option> values) {

    /** One option; the value is unescaped ({@code ,,} read as {@code ,}), the spans are raw. */
    record Option(String key, String value, Span keySpan, Span valueSpan) {

        Located located() {
            return new Located(value, valueSpan);
        }
    }

    Options {
        values = new LinkedHashMap<>(values);
    }

    Optional<Option> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    Optional<String> value(String key) {
        return get(key).map(Option::value);
    }

    Located located(String key) {
        Option o = values.get(key);
        return o == null ? null : o.located();
    }

    boolean hasPrefix(String prefix) {
        for (String k : values.keySet()) {
            if (k.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** QEMU's boolean spellings; anything else is empty. */
    static Optional<Boolean> parseBool(String value) {
        return switch (value) {
            case "on", "yes", "true", "y" -> Optional.of(Boolean.TRUE);
            case "off", "no", "false", "n" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }

    Optional<Boolean> bool(String key) {
        return value(key).flatMap(Options::parseBool);
    }
}
