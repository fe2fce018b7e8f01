package dev.virtlint.cli;

import dev.virtlint.lint.Loader;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --max-input-size}, shared by {@code lint} and {@code fix}: the largest input read. */
final class InputLimit {

    /** The largest limit: one input is read into one Java array. */
    static final long MAX = Integer.MAX_VALUE - 16L;

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})(?:([KMG])(?:I?B)?|B)?");

    @Option(names = "--max-input-size", paramLabel = "SIZE", converter = Converter.class,
            description = "Report a larger input as an error instead of reading it: bytes, or with K, M or G"
                    + " (KiB, MiB, GiB), at most 2047M (default: 64M).")
    long bytes = Loader.DEFAULT_INPUT_LIMIT;

    /** Picocli's converter for {@link #parse}. */
    static final class Converter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long bytes = parse(value);
            if (bytes < 0) {
                throw new TypeConversionException("'" + value + "' is not a size from 1 to 2047M (e.g. 128M)");
            }
            return bytes;
        }
    }

    /** {@code value} in bytes ({@code 512}, {@code 64M}, {@code 1GiB}), or -1 when it is no size or out of range. */
    static long parse(String value) {
        Matcher m = SIZE.matcher(value.toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
        long n = Long.parseLong(m.group(1));
        if (n == 0 || n > MAX >> shift) {
            return -1;
        }
        return n << shift;
    }
}
