package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QemuOptsTest {

    private static Options parse(String s, String implied) {
        return QemuOpts.parse(MappedText.identity(s, 0), implied);
    }

    @Test
    void doubledCommaIsALiteralCommaInsideAValue() {
        Options o = parse("file=/a,,b,,c.img,if=virtio", null);
        assertThat(o.value("file")).contains("/a,b,c.img");
        assertThat(o.value("if")).contains("virtio");
    }

    @Test
    void valueSpanCoversTheEscapedTextInTheSource() {
        String s = "if=none,file=/a,,b.img,cache=none";
        Options o = parse(s, null);
        var file = o.get("file").orElseThrow();
        assertThat(s.substring(file.valueSpan().start(), file.valueSpan().end())).isEqualTo("/a,,b.img");
        var cache = o.get("cache").orElseThrow();
        assertThat(s.substring(cache.valueSpan().start(), cache.valueSpan().end())).isEqualTo("none");
        assertThat(s.substring(cache.keySpan().start(), cache.keySpan().end())).isEqualTo("cache");
    }

    @Test
    void firstItemWithoutEqualsIsTheImpliedKey() {
        Options o = parse("virtio-blk-pci,drive=d0,id=disk0", "driver");
        assertThat(o.value("driver")).contains("virtio-blk-pci");
        assertThat(o.value("drive")).contains("d0");
    }

    @Test
    void bareItemIsAFlagSetOn() {
        Options o = parse("file=x.img,readonly", null);
        assertThat(o.value("readonly")).contains("on");
        assertThat(o.get("readonly").orElseThrow().valueSpan().isEmpty()).isTrue();
    }

    @Test
    void trailingCommaAndEmptyValueAreKept() {
        Options o = parse("file=,cache=none,", null);
        assertThat(o.value("file")).contains("");
        assertThat(o.value("cache")).contains("none");
    }

    @Test
    void dottedKeysStayWhole() {
        Options o = parse("cache.direct=on,cache.no-flush=off,file.driver=iscsi", null);
        assertThat(o.bool("cache.direct")).contains(true);
        assertThat(o.bool("cache.no-flush")).contains(false);
        assertThat(o.value("file.driver")).contains("iscsi");
    }
}
