package dev.virtlint.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.parse.Yaml.YamlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading {@code .virtlint.yaml} ({@link ConfigReader}, through {@link Config#load}): mistakes are
 * reported at their position, and the files it names stay inside its directory tree.
 */
class ConfigReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws java.io.IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void rulesAndIgnoresNameCustomRulesListedAfterThemInTheFile() throws Exception {
        write("my/mine.rule.yaml", """
                id: my-rule
                severity: info
                summary: Mine
                select: "driver"
                message: "{disk}"
                """);
        Path cfg = write(".virtlint.yaml", """
                rules: {my-rule: off}
                per-path-ignores: {"old/**": [my-rule]}
                custom-rules: [my/]
                """);
        Config c = Config.load(cfg, "cfg");
        assertThat(c.rules()).extracting(dev.virtlint.rules.Rule::id).endsWith("my-rule");
        assertThat(c.disabled()).containsExactly("my-rule");
        assertThat(c.ignoredFor(dir.resolve("old/vm.xml"))).containsExactly("my-rule");
    }

    @Test
    void scratchEntriesAreGlobsOrOneOfDomainAndFiles() throws Exception {
        Config ok = Config.load(write("s.yaml", """
                scratch:
                  - /srv/ci/**
                  - {domain: "ci-*"}
                  - {files: "runners/"}
                """), "s.yaml");
        assertThat(ok.scratch("/srv/ci/a/b.qcow2")).isTrue();
        assertThat(ok.scratch("ci-7", null)).isTrue();
        assertThat(ok.scratch("db-7", "/srv/db.img")).isFalse();
        assertThat(ok.scratchFile(dir.resolve("runners/x/vm.xml"))).isTrue();
        assertThat(ok.scratchFile(dir.resolve("vm.xml"))).isFalse();
        assertThatThrownBy(() -> Config.load(write("t.yaml",
                "scratch:\n  - {domain: a, files: b}\n"), "t.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format())
                        .isEqualTo("t.yaml:2:5: error: a scratch entry is a glob on disk source"
                                + " paths, {domain: GLOB} or {files: GLOB}"));
        assertThatThrownBy(() -> Config.load(write("u.yaml", "scratch:\n  - {name: a}\n"),
                "u.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format())
                        .startsWith("u.yaml:2:6: error: unknown key 'name'"));
        assertThatThrownBy(() -> Config.load(write("v.yaml", "scratch:\n  - {domain: \"\"}\n"),
                "v.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format())
                        .isEqualTo("v.yaml:2:14: error: empty pattern"));
    }

    @Test
    void excludeReplacesTheDefaultListAndExtendExcludeAddsToIt() throws Exception {
        Path vendor = Files.createDirectories(dir.resolve("vendor"));
        Path hidden = Files.createDirectories(dir.resolve(".cache"));
        Config none = Config.none();
        assertThat(none.excludesWalked(hidden, true)).isTrue();
        assertThat(none.excludesWalked(vendor, true)).isFalse();

        Config extended = Config.load(write("e.yaml", "extend-exclude: [vendor/, \"*.{bak,orig}.xml\"]\n"),
                "e.yaml");
        assertThat(extended.excludesWalked(vendor, true)).isTrue();
        assertThat(extended.excludesWalked(dir.resolve("a/vm.bak.xml"), false)).isTrue();
        assertThat(extended.excludesWalked(dir.resolve("a/vm.xml"), false)).isFalse();
        assertThat(extended.excludesWalked(hidden, true)).as("the default list is kept").isTrue();

        Config replaced = Config.load(write("r.yaml", "exclude: [vendor]\n"), "r.yaml");
        assertThat(replaced.excludesWalked(dir.resolve("x/vendor"), true)).isTrue();
        assertThat(replaced.excludesWalked(hidden, true)).as("the default list is gone").isFalse();

        Config nothing = Config.load(write("n.yaml", "exclude: []\n"), "n.yaml");
        assertThat(nothing.excludesWalked(hidden, true)).isFalse();
    }

    @Test
    void excludeGlobsWithASlashAreRelativeToTheConfigurationsDirectory() throws Exception {
        Config c = Config.load(write("sub/.virtlint.yaml", "extend-exclude: [legacy/, \"old/*.xml\"]\n"),
                "sub/.virtlint.yaml");
        assertThat(c.excludesWalked(dir.resolve("sub/legacy"), true)).isTrue();
        assertThat(c.excludesWalked(dir.resolve("sub/old/a.xml"), false)).isTrue();
        assertThat(c.excludesWalked(dir.resolve("sub/x/legacy"), true)).isFalse();
        assertThat(c.excludesWalked(dir.resolve("legacy"), true)).as("outside sub/").isFalse();
        assertThat(c.excludesWalked(dir.resolve("sub"), true)).as("its own directory").isFalse();
    }

    @Test
    void namedPathsAreExcludedOnlyWithForceExcludeAndByTheirDirectoriesToo() throws Exception {
        Path file = dir.resolve("legacy/deep/vm.xml");
        Config plain = Config.load(write("p.yaml", "extend-exclude: [legacy/]\n"), "p.yaml");
        assertThat(plain.excludesNamed(file, false)).isFalse();
        Config forced = Config.load(write("f.yaml", "extend-exclude: [legacy/]\nforce-exclude: true\n"),
                "f.yaml");
        assertThat(forced.excludesNamed(file, false)).isTrue();
        assertThat(forced.excludesNamed(dir.resolve("current/vm.xml"), false)).isFalse();
        // Hidden directories above the configuration's own are not its business.
        Config inHidden = Config.load(write(".config/libvirt/g.yaml", "force-exclude: true\n"),
                ".config/libvirt/g.yaml");
        assertThat(inHidden.excludesNamed(dir.resolve(".config/libvirt/vm.xml"), false)).isFalse();
        assertThat(inHidden.excludesNamed(dir.resolve(".config/libvirt/.vm.xml"), false)).isTrue();
    }

    @Test
    void aMalformedGlobIsAnErrorAtItsNode() throws Exception {
        assertThatThrownBy(() -> Config.load(write("g.yaml", "exclude:\n  - \"vm[0-9.xml\"\n"), "g.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format())
                        .isEqualTo("g.yaml:2:5: error: invalid pattern 'vm[0-9.xml': '[' is never"
                                + " closed by ']' (character 3)"));
        assertThatThrownBy(() -> Config.load(write("h.yaml",
                "per-path-ignores:\n  \"{a,b/**\": [all]\n"), "h.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format())
                        .startsWith("h.yaml:2:3: error: invalid pattern '{a,b/**': '{' is never"));
        assertThatThrownBy(() -> Config.load(write("w.yaml",
                "workloads:\n  - {domain: \"db-[9-0]\", workload: database}\n"), "w.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format())
                        .contains("w.yaml:2:").contains("the range 9-0 is reversed"));
        assertThatThrownBy(() -> Config.load(write("b.yaml", "force-exclude: maybe\n"), "b.yaml"))
                .isInstanceOf(YamlException.class);
    }

    /** A file pattern written as an absolute path matched nothing, silently (review finding 8). */
    @Test
    void aFilePatternThatIsAbsoluteOrReachesAboveTheDirectoryIsAnErrorAtItsNode() throws Exception {
        String[][] cases = {
            {"extend-exclude: [\"/tmp/rv/cfg/sub/*.xml\"]\n", "1:18", "/tmp/rv/cfg/sub/*.xml", "absolute path"},
            {"exclude:\n  - ./../x.xml\n", "2:5", "./../x.xml", "reaches above"},
            {"per-path-ignores:\n  \"/srv/**\": [all]\n", "2:3", "/srv/**", "absolute path"},
            {"scratch:\n  - {files: \"a/../../b/*.xml\"}\n", "2:13", "a/../../b/*.xml", "reaches above"},
            {"hosts:\n  - {paths: [\"/vms/**\"], profile: h.yaml}\n", "2:14", "/vms/**", "absolute path"},
        };
        int n = 0;
        for (String[] c : cases) {
            String name = "abs" + n++ + ".yaml";
            assertThatThrownBy(() -> Config.load(write(name, c[0]), name)).as(c[0])
                    .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format())
                            .startsWith(name + ":" + c[1] + ": error: pattern '" + c[2] + "' ")
                            .contains(c[3]));
        }
        // Disk source paths are absolute: a scratch glob on them stays one.
        Config c = Config.load(write("ok.yaml", "scratch: [\"/dev/vg_scratch/*\"]\nextend-exclude: [\"..x/\"]\n"),
                "ok.yaml");
        assertThat(c.scratch("/dev/vg_scratch/tmp1")).isTrue();
    }

    @Test
    void errorsNameFileLineAndColumn() throws Exception {
        assertThatThrownBy(() -> Config.load(write("a.yaml", "rules:\n  implicit-cache-mod: off\n"), "a.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format())
                        .isEqualTo("a.yaml:2:3: error: unknown rule 'implicit-cache-mod'; did you mean"
                                + " 'implicit-cache-mode'? (virtlint rules lists them)"));
        assertThatThrownBy(() -> Config.load(write("b.yaml", "rulez: {}\n"), "b.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format()).isEqualTo(
                        "b.yaml:1:1: error: unknown key 'rulez'; did you mean 'rules'?"));
        assertThatThrownBy(() -> Config.load(write("b2.yaml", "zzz: {}\n"), "b2.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format()).startsWith(
                        "b2.yaml:1:1: error: unknown key 'zzz'; expected one of custom-rules, exclude,"
                        + " extend-exclude, force-exclude, guests,"));
        assertThatThrownBy(() -> Config.load(write("b3.yaml", "per-path-ignores:\n  '*.xml': [doubel-caching]\n"),
                "b3.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format()).isEqualTo(
                        "b3.yaml:2:13: error: unknown rule 'doubel-caching'; did you mean 'double-caching'?"
                                + " (virtlint rules lists them; \"all\" means every rule)"));
        assertThatThrownBy(() -> Config.load(write("c.yaml", "policy:\n  host-page-cache: never\n"), "c.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format())
                        .isEqualTo("c.yaml:2:20: error: host-page-cache must be avoid or allow, found 'never'"));
        assertThatThrownBy(() -> Config.load(write("d.yaml", "scratch: [\n"), "d.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format())
                        .startsWith("d.yaml:2:1: error: malformed YAML"));
        assertThatThrownBy(() -> Config.load(write("e.yaml", "rules:\n  double-caching: loud\n"), "e.yaml"))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format()).isEqualTo(
                        "e.yaml:2:19: error: rule double-caching: expected on, off, error, warning or info, found 'loud'"));
    }

    @Test
    void aBadXPathInACustomRuleNamesTheRuleFileAndTheRule() throws Exception {
        write("bad.rule.yaml", """
                id: broken-rule
                severity: warning
                summary: Broken
                select: "driver[@cache = ]"
                message: "{disk}"
                """);
        Path cfg = write(".virtlint.yaml", "custom-rules: [bad.rule.yaml]\n");
        assertThatThrownBy(() -> Config.load(cfg, "cfg"))
                .isInstanceOfSatisfying(YamlException.class, e -> {
                    assertThat(e.file()).endsWith("bad.rule.yaml");
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.getMessage()).startsWith("rule broken-rule: invalid XPath 'driver[@cache = ]'");
                });
    }

    @Test
    void aCustomRuleMayNotReuseABuiltInId() throws Exception {
        write("dup.rule.yaml", """
                id: double-caching
                severity: warning
                summary: Again
                select: "driver"
                message: "{disk}"
                """);
        Path cfg = write(".virtlint.yaml", "custom-rules: [dup.rule.yaml]\n");
        assertThatThrownBy(() -> Config.load(cfg, "cfg")).isInstanceOf(YamlException.class)
                .hasMessageContaining("has the id of a rule that is already defined");
    }

    @Test
    void anUnknownWorkloadIsAnErrorAtItsPosition() throws Exception {
        Path config = write("bad.yaml", "workloads:\n  - {domain: web, workload: oltp}\n");
        assertThatThrownBy(() -> Config.load(config, "bad.yaml")).isInstanceOf(YamlException.class)
                .extracting(e -> ((YamlException) e).format())
                .isEqualTo("bad.yaml:2:29: error: unknown workload 'oltp'; expected one of database, build, "
                        + "scratch-test, streaming, read-mostly");
    }

    @Test
    void pathsNamedInAConfigurationStayInsideItsTreeLinksResolved() throws Exception {
        write("outside.yaml", "memory: 1GiB\n");
        write("repo/hosts/h.yaml", "memory: 1GiB\n");
        Files.createSymbolicLink(dir.resolve("repo/hosts/link.yaml"), dir.resolve("outside.yaml"));
        Files.createDirectories(dir.resolve("repo/rules"));
        Files.createSymbolicLink(dir.resolve("repo/rules/x.rule.yaml"), dir.resolve("outside.yaml"));
        Path ok = write("repo/ok.yaml", "hosts: [{paths: ['**'], profile: hosts/h.yaml}]\n");
        assertThat(Config.load(ok, "ok.yaml").hostFor(dir.resolve("repo/vm.xml"))).isPresent();
        for (String named : List.of("hosts: [{paths: ['**'], profile: ../outside.yaml}]",
                "hosts: [{paths: ['**'], profile: hosts/link.yaml}]",
                "hosts: [{paths: ['**'], profile: " + dir.resolve("outside.yaml") + "}]",
                "custom-rules: [../outside.yaml]", "custom-rules: [rules/]")) {
            Path cfg = write("repo/.virtlint.yaml", named + "\n");
            assertThatThrownBy(() -> Config.load(cfg, "cfg.yaml"))
                    .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format())
                            .startsWith("cfg.yaml:1:").contains("outside the directory of cfg.yaml"));
        }
    }

    @Test
    void aProfileOrRuleNotNamedYamlIsNotReadSoItsTextNeverShows() throws Exception {
        write("repo/.git-credentials", "https://u:ghp_s3cr3t@example.com\n");
        for (String named : List.of("hosts: [{paths: ['**'], profile: .git-credentials}]",
                "custom-rules: [.git-credentials]")) {
            Path cfg = write("repo/.virtlint.yaml", named + "\n");
            assertThatThrownBy(() -> Config.load(cfg, "cfg.yaml"))
                    .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.format())
                            .contains("not read: virtlint reads only files named *.yaml or *.yml")
                            .doesNotContain("s3cr3t"));
        }
    }
}
