package dev.virtlint.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Inputs;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every shipped sample loads without error and every value it records sits exactly where its span says. */
class SamplesTest {

    private static final Path SAMPLES = Path.of("samples");

    @TestFactory
    Stream<DynamicTest> everySampleLoadsWithExactSpans() throws IOException {
        List<Input> inputs = Inputs.expand(List.of(SAMPLES.toString())).inputs();
        assertThat(inputs).hasSizeGreaterThanOrEqualTo(15);
        return inputs.stream().map(input -> DynamicTest.dynamicTest(input.name(), () -> {
            Loader.Outcome o = Loader.load(input);
            if (Files.readString(input.path()).contains("<!-- expect: input-error")) {
                // A sample of a refused file (SampleMarkersTest checks its message and position).
                assertThat(o.error()).as("error").isNotNull();
                assertThat(o.error().internal()).as("internal").isFalse();
                return;
            }
            assertThat(o.error()).as("error").isNull();
            List<String> wrong = new ArrayList<>();
            SpanCheck.check(o.file(), wrong);
            assertThat(wrong).isEmpty();
        }));
    }

    @Test
    void atLeastTwelveDomainsTheNetworkIsSkippedAndTheTwoDomainFileRefused() throws IOException {
        List<ParsedFile> files = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Input input : Inputs.expand(List.of(SAMPLES.resolve("domains").toString())).inputs()) {
            Loader.Outcome o = Loader.load(input);
            if (o.file() != null) {
                files.add(o.file());
            } else {
                refused.add(o.error().format());
            }
        }
        assertThat(files.stream().filter(f -> f.kind() == ParsedFile.Kind.DOMAIN)).hasSizeGreaterThanOrEqualTo(12);
        assertThat(files.stream().filter(f -> f.kind() == ParsedFile.Kind.SKIPPED))
                .singleElement().satisfies(f -> assertThat(f.name()).endsWith("network-default.xml"));
        assertThat(files.stream().filter(f -> f.kind() == ParsedFile.Kind.DISK))
                .singleElement().satisfies(f -> assertThat(f.name()).endsWith("attach-disk-print-xml.xml"));
        assertThat(refused).singleElement().asString().contains("two-domains-dumpxml.xml:32:1: error: this file holds"
                + " more than one domain document; libvirt reads one per file");
    }

    @Test
    void encodingSamplesKeepTheirBytes() throws IOException {
        byte[] bom = Files.readAllBytes(SAMPLES.resolve("domains/bom-utf8.xml"));
        assertThat(bom[0] & 0xff).isEqualTo(0xEF);
        String crlf = Files.readString(SAMPLES.resolve("domains/win7-crlf.xml"));
        assertThat(crlf).contains("\r\n").doesNotContainPattern("[^\r]\n");
    }
}
