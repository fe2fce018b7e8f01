package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * JSON's {@code fixable} says what a plain {@code fix} does, as text's {@code [*]} does: a safe
 * fix that the file's plan leaves alone is not fixable.
 */
class JsonFixableTest {

    private static final Pattern FINDING = Pattern.compile(
            "\"rule\": \"([a-z-]+)\",\\s*\"severity\"[^{]*?\"line\": (\\d+)[\\s\\S]*?\"fixable\": (true|false)");

    /** rule@line=fixable for each finding of the JSON, in order. */
    private static List<String> fixable(String json) {
        List<String> out = new ArrayList<>();
        Matcher m = FINDING.matcher(json);
        while (m.find()) {
            out.add(m.group(1) + "@" + m.group(2) + "=" + m.group(3));
        }
        return out;
    }

    @Test
    void aDiskFixLeavesAloneForItsSuppressedFindingIsNotFixable() {
        // vda's cache change would take away the double-caching its suppression hides, so fix leaves
        // vda alone (samples/unused-suppression): its safe fix is not fixable; vdb's are.
        String file = "samples/unused-suppression/fix-keeps-suppressed.before.xml";
        Cli.Run json = Cli.run("lint", "--format", "json", file);
        assertThat(fixable(json.out())).containsExactly("native-aio-without-direct-io@21=false",
                "double-caching@28=true", "native-aio-without-direct-io@28=true");
        Cli.Run concise = Cli.run("lint", "--format", "concise", file);
        assertThat(concise.out().lines().filter(l -> l.contains("[*]")).count()).isEqualTo(2);
    }

    @Test
    void aFixThePlanCannotWriteIsNotFixable() {
        // The vdpa node is not where QEMU opens the image: the fix is not written, so not fixable.
        Cli.Run json = Cli.run("lint", "--format", "json", "samples/cache-mode-refused/blockdev-vdpa.args");
        assertThat(fixable(json.out())).isNotEmpty().allSatisfy(f -> assertThat(f).endsWith("=false"));
    }
}
