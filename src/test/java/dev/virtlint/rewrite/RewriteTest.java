package dev.virtlint.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.rules.FixPlan;
import dev.virtlint.model.SourceText;
import dev.virtlint.model.Span;
import dev.virtlint.parse.TextDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Text edits on the original characters: only the edited attribute changes. */
class RewriteTest {

    private static Span tag(String text, String startsWith) {
        int start = text.indexOf(startsWith);
        return new Span(start, text.indexOf('>', start) + 1);
    }

    private static String edit(String text, String tagStart, java.util.function.BiConsumer<XmlAttributes, TextEdits> f) {
        TextEdits edits = new TextEdits();
        f.accept(XmlAttributes.of(text, tag(text, tagStart)), edits);
        return edits.apply(text);
    }

    @Test
    void aChangedValueKeepsItsQuoteCharacter() {
        String single = "<disk>\r\n  <driver name='qemu' type='raw' cache='unsafe'/>\r\n</disk>";
        assertThat(edit(single, "<driver", (a, e) -> a.set("cache", "none", e)))
                .isEqualTo("<disk>\r\n  <driver name='qemu' type='raw' cache='none'/>\r\n</disk>");
        String dbl = "<driver name=\"qemu\" cache = \"unsafe\" io=\"native\"/>";
        assertThat(edit(dbl, "<driver", (a, e) -> a.set("cache", "none", e)))
                .isEqualTo("<driver name=\"qemu\" cache = \"none\" io=\"native\"/>");
    }

    @Test
    void aNewAttributeGoesAfterTheLastWithItsNeighboursQuoteAndSeparator() {
        assertThat(edit("<driver name=\"qemu\" type=\"raw\"/>", "<driver", (a, e) -> a.set("cache", "none", e)))
                .isEqualTo("<driver name=\"qemu\" type=\"raw\" cache=\"none\"/>");
        assertThat(edit("<driver name='qemu'\n        type='raw'>", "<driver", (a, e) -> a.set("cache", "none", e)))
                .isEqualTo("<driver name='qemu'\n        type='raw'\n        cache='none'>");
        // No attributes in the tag: the quote the document uses.
        assertThat(edit("<domain type=\"kvm\"><driver/></domain>", "<driver", (a, e) -> a.set("cache", "none", e)))
                .isEqualTo("<domain type=\"kvm\"><driver cache=\"none\"/></domain>");
    }

    @Test
    void aRemovedAttributeTakesItsSpaceAlong() {
        assertThat(edit("<driver name='qemu' io='native' cache='none'/>", "<driver", (a, e) -> a.remove("io", e)))
                .isEqualTo("<driver name='qemu' cache='none'/>");
        assertThat(edit("<driver name='qemu'/>", "<driver", (a, e) -> a.remove("io", e)))
                .isEqualTo("<driver name='qemu'/>");
    }

    @Test
    void valuesAreEscapedForTheirQuote() {
        assertThat(XmlAttributes.escape("a'b\"c&<", '\'')).isEqualTo("a&apos;b\"c&amp;&lt;");
        assertThat(XmlAttributes.escape("a'b\"c", '"')).isEqualTo("a'b&quot;c");
    }

    @Test
    void overlappingEditsAreRejected() {
        TextEdits edits = new TextEdits().add(new Span(2, 6), "x").add(new Span(5, 8), "y");
        assertThatThrownBy(() -> edits.apply("0123456789")).isInstanceOf(TextEdits.OverlapException.class)
                .hasMessage("edits overlap: [2, 6) and [5, 8)");
        TextEdits twoInserts = new TextEdits().add(Span.at(3), "a").add(Span.at(3), "b");
        assertThatThrownBy(() -> twoInserts.apply("0123")).isInstanceOf(TextEdits.OverlapException.class);
        assertThat(new TextEdits().add(new Span(1, 3), "x").add(Span.at(3), "y").apply("0123")).isEqualTo("0xy3");
    }

    @Test
    void noEditGivesTheSameBytesBackWhateverTheEncoding() throws Exception {
        byte[][] inputs = {
            ("\uFEFF<domain type='kvm'>\r\n</domain>").getBytes(StandardCharsets.UTF_8),
            "<domain type='kvm'/>".getBytes(StandardCharsets.UTF_8),
            ("\uFEFF<domain type='kvm'>\n</domain>\n").getBytes(StandardCharsets.UTF_16LE),
            ("\uFEFF<domain type='kvm'>\n</domain>\n").getBytes(StandardCharsets.UTF_16BE),
            "<?xml version='1.0' encoding='ISO-8859-1'?>\n<domain><name>caf\u00e9</name></domain>"
                    .getBytes(StandardCharsets.ISO_8859_1),
        };
        for (byte[] in : inputs) {
            SourceText source = TextDecoder.decode("x.xml", in);
            assertThat(Encoded.bytes(source, new TextEdits().apply(source.text()))).isEqualTo(in);
        }
    }

    @Test
    void anEditIsSplicedIntoTheOriginalBytesOrRefused() throws Exception {
        // windows-31j writes U+2252 as 0x81E0 whatever it was read from; 0x8790 must stay 0x8790.
        byte[] bytes = "<?xml version='1.0' encoding='windows-31j'?><d a='x'>??</d>"
                .getBytes(StandardCharsets.US_ASCII);
        int q = bytes.length - 6;
        bytes[q] = (byte) 0x87;
        bytes[q + 1] = (byte) 0x90;
        SourceText source = TextDecoder.decode("t", bytes);
        int x = source.text().indexOf("'x'") + 1;
        byte[] spliced = Encoded.splice(source, bytes,
                java.util.List.of(new FixPlan.Replace(new Span(x, x + 1), "yz")));
        assertThat(new String(spliced, StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(bytes, StandardCharsets.ISO_8859_1).replace("'x'", "'yz'"));

        SourceText latin = TextDecoder.decode("l", "<?xml version='1.0' encoding='ISO-8859-1'?><d/>"
                .getBytes(StandardCharsets.ISO_8859_1));
        int d = latin.text().indexOf("<d");
        byte[] latinBytes = latin.text().getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Encoded.splice(latin, latinBytes,
                java.util.List.of(new FixPlan.Replace(Span.at(d), "\u20AC"))))
                .isInstanceOf(Encoded.Refused.class)
                .hasMessage("'\u20AC' cannot be written in ISO-8859-1");
    }
}
