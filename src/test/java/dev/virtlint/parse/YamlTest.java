package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.parse.Yaml.YamlException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a hostile YAML file may cost and show: bounded, and never its text. */
class YamlTest {

    @TempDir
    Path dir;

    private static YamlException error(String text) {
        try {
            Yaml.parse(text, "x.yaml");
        } catch (YamlException e) {
            return e;
        }
        throw new AssertionError("no error");
    }

    @Test
    void deepNestingIsAnErrorWithPositionNotAStackOverflow() {
        YamlException e = error("a: " + "[".repeat(5000) + "]".repeat(5000) + "\n");
        assertThat(e.format()).isEqualTo("x.yaml:1:67: error: nested more than 64 levels deep");
    }

    @Test
    void aliasesAndLongValuesAreBounded() {
        String big = "x".repeat(4000);
        StringBuilder aliased = new StringBuilder("a: &a " + big + "\nb:\n");
        for (int i = 0; i < 70; i++) {
            aliased.append("  - *a\n");
        }
        assertThat(error(aliased.toString()).getMessage()).isEqualTo(
                "aliases expand the file beyond 262144 characters");
        assertThat(error("a: " + "x".repeat(5000) + "\n").format())
                .isEqualTo("x.yaml:1:4: error: a value longer than 4096 characters");
        assertThat(error("a: " + "x".repeat(4000) + "\n" + ("b" + "x".repeat(4000) + ": 1\n").repeat(70)).format())
                .startsWith("x.yaml:1:1: error: the file is longer than 262144 characters");
        assertThat(error("a: [" + "*x, ".repeat(101) + "]\n").getMessage()).isIn(
                "more than 100 aliases", "malformed YAML: found undefined alias (name not shown)");
    }

    @Test
    void aMalformedFileIsDescribedWithoutItsText() {
        YamlException e = error("token: *ghp_s3cr3t\n");
        assertThat(e.format()).startsWith("x.yaml:1:8: error: malformed YAML: ").doesNotContain("s3cr3t");
        assertThat(error("key: \"ab\\qsecret\"\n").format()).startsWith("x.yaml:1:").doesNotContain("secret");
    }

    @Test
    void aFileNotNamedYamlIsNotRead() throws Exception {
        Path secret = Files.writeString(dir.resolve(".git-credentials"), "https://u:ghp_s3cr3t@example.com\n");
        assertThatThrownBy(() -> Yaml.read(secret, ".git-credentials"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format()).isEqualTo(
                        ".git-credentials:1:1: error: not read: virtlint reads only files named *.yaml or *.yml"));
    }
}
