package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.parse.Yaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.jaxen.dom4j.Dom4jXPath;
import org.junit.jupiter.api.Test;

/** The prefilter may only skip a disk the XPath would select nothing from. */
class PathPrefilterTest {

    private static Element disk(String xml) throws Exception {
        return DocumentHelper.parseText(xml).getRootElement();
    }

    @Test
    void plainPathsHaveAPrefilterAndEverythingElseHasNone() {
        assertThat(PathPrefilter.of("driver/@detect_zeroes[. = 'unmap'][not(../@discard = 'unmap')]")).isNotNull();
        assertThat(PathPrefilter.of("target/@bus[. = 'ide'][starts-with(/domain/os/type/@machine, 'pc-q35')]")).isNotNull();
        assertThat(PathPrefilter.of("driver[@cache='none']/@io")).isNotNull();
        assertThat(PathPrefilter.of("source")).isNotNull();
        assertThat(PathPrefilter.of("driver/@io[']']")).isNotNull();
        assertThat(PathPrefilter.of("driver[@a = \"]/x\"]/@io")).isNotNull();
        for (String other : List.of("self::disk[shareable]/source/@file", "/domain/devices", "driver//@io",
                "driver/@io | source/@file", "count(driver) > 0", "*/@io", "x:driver/@io", "../disk", "driver/.",
                "driver/@io[1] extra", "driver/@*", "driver/@io[", "driver/@io]", "@io/driver")) {
            assertThat(PathPrefilter.of(other)).as(other).isNull();
        }
    }

    @Test
    void skipsOnlyWhenThePathIsMissing() throws Exception {
        String expr = "driver/@detect_zeroes[. = 'unmap'][not(../@discard = 'unmap')]";
        PathPrefilter p = PathPrefilter.of(expr);
        Dom4jXPath xpath = new Dom4jXPath(expr);
        for (String xml : List.of(
                "<disk><driver name='qemu'/></disk>",
                "<disk><driver detect_zeroes='on'/></disk>",
                "<disk><driver detect_zeroes='unmap'/></disk>",
                "<disk><driver detect_zeroes='unmap' discard='unmap'/></disk>",
                "<disk><source detect_zeroes='unmap'/></disk>",
                "<disk><driver/><driver detect_zeroes='unmap'/></disk>",
                "<disk/>")) {
            Element d = disk(xml);
            boolean selects = !xpath.selectNodes(d).isEmpty();
            if (!p.mayMatch(d)) {
                assertThat(selects).as(xml).isFalse();
            }
        }
        assertThat(p.mayMatch(disk("<disk><driver name='qemu'/></disk>"))).isFalse();
        assertThat(p.mayMatch(disk("<disk><driver/><driver detect_zeroes='on'/></disk>"))).isTrue();
    }

    /** Built-in rules compile lazily and skip the load-time check, so every one is checked here. */
    @Test
    void everyBuiltInRuleFileValidates() throws IOException {
        Path dir = Path.of("rules");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> rules = files.filter(f -> f.toString().endsWith(".rule.yaml")).sorted().toList();
            assertThat(rules).isNotEmpty();
            for (Path f : rules) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() ->
                        RuleReader.from(Yaml.parse(text, f.toString()), f.toString(), true))).as(f.toString()).isNull();
            }
        }
    }
}
