package dev.virtlint.rewrite;

import dev.virtlint.model.SourceText;
import java.nio.charset.Charset;

/** A rewritten text encoded the way its source was stored: the same charset, the same byte order mark. */
public final class Encoded {

    private Encoded() {
    }

    /**
     * The bytes of {@code text} for {@code source}'s file. The decoder names UTF-16 by its byte order
     * (UTF-16BE/LE), so the mark is written as U+FEFF in that order.
     */
    public static byte[] bytes(SourceText source, String text) {
        return ((source.bom() ? "\uFEFF" : "") + text).getBytes(Charset.forName(source.charset()));
    }
}
