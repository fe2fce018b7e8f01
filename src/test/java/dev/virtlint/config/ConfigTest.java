package dev.virtlint.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Linter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each key of {@code .virtlint.yaml} does to the findings of a file. */
class ConfigTest {

    @TempDir
    Path dir;

    /** A flushing guest (AlmaLinux 9) with one writeback disk on the given path. */
    private static String domain(String name, String cache, String path) {
        return """
                <domain type='kvm'>
                  <name>%s</name>
                  <metadata>
                    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
                      <libosinfo:os id="http://almalinux.org/almalinux/9"/>
                    </libosinfo:libosinfo>
                  </metadata>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw' cache='%s'/>
                      <source file='%s'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>
                """.formatted(name, cache, path);
    }

    private Path write(String name, String text) throws java.io.IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private List<Finding> lint(Path config, Path file) throws YamlException {
        Config c = Config.load(config, config.toString());
        ParsedFile parsed = Loader.load(Input.file(file.toString(), file, Input.Kind.XML)).file();
        return Linter.lint(parsed, c.settingsFor(file, Set.of(), Set.of(), null));
    }

    private List<String> rules(Path config, Path file) throws YamlException {
        return lint(config, file).stream().map(f -> f.rule() + ":" + f.severity().id()).toList();
    }

    @Test
    void theNearestConfigurationUpwardIsFound() throws Exception {
        Path top = write(".virtlint.yaml", "rules: {}\n");
        Path inner = write("a/b/.virtlint.yaml", "rules: {}\n");
        Files.createDirectories(dir.resolve("a/b/c"));
        Files.createDirectories(dir.resolve("x"));
        assertThat(Config.find(dir.resolve("a/b/c"))).contains(inner);
        assertThat(Config.find(dir.resolve("x"))).contains(top);
    }

    @Test
    void rulesTurnOffAndChangeSeverity() throws Exception {
        Path vm = write("vm.xml", domain("web", "writeback", "/var/lib/libvirt/images/web.img"));
        assertThat(rules(write("none.yaml", ""), vm)).containsExactly("double-caching:warning");
        assertThat(rules(write("off.yaml", "rules:\n  double-caching: off\n"), vm)).isEmpty();
        assertThat(rules(write("sev.yaml", "rules:\n  double-caching: error\n"), vm))
                .containsExactly("double-caching:error");
    }

    @Test
    void perPathIgnoresApplyToMatchingFilesOnly() throws Exception {
        Path cfg = write(".virtlint.yaml", "per-path-ignores:\n  \"legacy/**\": [double-caching]\n");
        Path old = write("legacy/old/vm.xml", domain("old", "writeback", "/srv/old.img"));
        Path now = write("current/vm.xml", domain("new", "writeback", "/srv/new.img"));
        assertThat(rules(cfg, old)).isEmpty();
        assertThat(rules(cfg, now)).containsExactly("double-caching:warning");
        Path all = write("all.yaml", "per-path-ignores:\n  \"current/\": all\n");
        assertThat(rules(all, now)).isEmpty();
    }

    @Test
    void scratchGlobsLetDisksKeepUnsafe() throws Exception {
        Path cfg = write(".virtlint.yaml", "scratch:\n  - /srv/ci/**\n");
        Path ci = write("ci.xml", domain("ci", "unsafe", "/srv/ci/run-1/work.qcow2"));
        Path db = write("db.xml", domain("db", "unsafe", "/srv/db/data.img"));
        assertThat(rules(cfg, ci)).doesNotContain("unsafe-cache-persistent-disk:error");
        assertThat(rules(cfg, db)).contains("unsafe-cache-persistent-disk:error");
    }

    @Test
    void scratchByDomainNameCoversEveryDiskOfThoseDomains() throws Exception {
        Path cfg = write(".virtlint.yaml", "scratch:\n  - {domain: \"ci-runner-*\"}\n");
        Path ci = write("ci.xml", domain("ci-runner-3", "unsafe", "/var/lib/images/w.qcow2"));
        Path other = write("db.xml", domain("db-1", "unsafe", "/var/lib/images/w.qcow2"));
        assertThat(rules(cfg, ci)).doesNotContain("unsafe-cache-persistent-disk:error");
        assertThat(rules(cfg, other)).contains("unsafe-cache-persistent-disk:error");
    }

    @Test
    void scratchByFileGlobCoversEveryDiskOfThoseFiles() throws Exception {
        Path cfg = write(".virtlint.yaml", "scratch:\n  - {files: \"openqa/**\"}\n");
        Path worker = write("openqa/worker-1.xml", domain("w1", "unsafe", "/srv/a.qcow2"));
        Path beside = write("prod/web.xml", domain("web", "unsafe", "/srv/a.qcow2"));
        assertThat(rules(cfg, worker)).doesNotContain("unsafe-cache-persistent-disk:error");
        assertThat(rules(cfg, beside)).contains("unsafe-cache-persistent-disk:error");
        // Standard input and --drive strings have no path: a file glob never covers them.
        Config c = Config.load(cfg, "cfg");
        assertThat(c.scratchFile(null)).isFalse();
    }

    @Test
    void guestOverridesWinOverTheLibosinfoIdButNotOverMetadata() throws Exception {
        Path cfg = write(".virtlint.yaml", """
                guests:
                  - {domain: "appliance-*", flushes: "no", reason: "ext3 with barrier=0"}
                """);
        Path appliance = write("a.xml", domain("appliance-fw", "writeback", "/srv/fw.img"));
        Path other = write("b.xml", domain("web", "writeback", "/srv/web.img"));
        List<Finding> found = lint(cfg, appliance);
        assertThat(found).extracting(Finding::rule).contains("flushless-guest-write-cache");
        assertThat(found.stream().filter(f -> f.rule().equals("flushless-guest-write-cache")).findFirst().orElseThrow()
                .recommended().cache().id()).isEqualTo("directsync");
        assertThat(rules(cfg, other)).doesNotContain("flushless-guest-write-cache:error");

        String withMetadata = domain("appliance-x", "writeback", "/srv/x.img").replace("<metadata>",
                "<metadata><virtlint:virtlint xmlns:virtlint='http://virtlint.dev/xmlns/domain/1.0'>"
                        + "<virtlint:guest flushes='yes'/></virtlint:virtlint>");
        assertThat(rules(cfg, write("c.xml", withMetadata))).containsExactly("double-caching:warning");
    }

    @Test
    void guestOverrideByOsIdUsesTheTableForEachDisksBus() throws Exception {
        Path cfg = write(".virtlint.yaml", "guests:\n  - {domain: \"old-*\", os: \"http://debian.org/debian/5\"}\n");
        // On virtio-blk Debian 5's driver (Linux 2.6.26) negotiates no flush, so QEMU writes
        // through: info.
        assertThat(rules(cfg, write("a.xml", domain("old-1", "writeback", "/srv/o.img"))))
                .contains("flushless-guest-write-cache:info");
        String ide = domain("old-2", "writeback", "/srv/o.img").replace("dev='vda' bus='virtio'",
                "dev='hda' bus='ide'");
        assertThat(rules(cfg, write("b.xml", ide))).contains("flushless-guest-write-cache:error");
    }

    @Test
    void hostProfilesByPathChangeWhatODirectCanDo() throws Exception {
        write("hosts/ram.yaml", """
                kernel: "5.15.0"
                mounts:
                  - {path: /srv/ram, fstype: tmpfs}
                """);
        Path cfg = write(".virtlint.yaml", "hosts:\n  - {paths: [\"ramhost/**\"], profile: hosts/ram.yaml}\n");
        Path onRamHost = write("ramhost/vm.xml", domain("bench", "none", "/srv/ram/bench.img"));
        Path elsewhere = write("other/vm.xml", domain("bench", "none", "/srv/ram/bench.img"));
        assertThat(rules(cfg, onRamHost)).containsExactly("direct-io-unsupported-fs:error");
        assertThat(rules(cfg, elsewhere)).isEmpty();
    }

    @Test
    void policyAllowKeepsTheHostPageCache() throws Exception {
        Path vm = write("vm.xml", domain("web", "writeback", "/srv/web.img"));
        assertThat(rules(write("allow.yaml", "policy:\n  host-page-cache: allow\n"), vm)).isEmpty();
    }

    @Test
    void customRulesRunWithPositionsFixesAndSuppressions() throws Exception {
        write("my/ide.rule.yaml", """
                id: no-ide-disks
                severity: info
                summary: IDE disks are slow
                select: "target[@bus = 'ide']/@bus"
                message: "{disk} is on {setting}"
                fix:
                  set: {bus: virtio}
                """);
        Path cfg = write(".virtlint.yaml", "custom-rules: [my/]\n");
        String ide = domain("w", "none", "/srv/w.img").replace("bus='virtio'", "bus='ide'");
        Path vm = write("vm.xml", ide);
        List<Finding> found = lint(cfg, vm);
        assertThat(found).hasSize(1);
        Finding f = found.get(0);
        assertThat(f.rule()).isEqualTo("no-ide-disks");
        assertThat(f.message()).isEqualTo("disk vda (/srv/w.img) is on bus='ide'");
        assertThat(ide.substring(f.span().start(), f.span().end())).isEqualTo("ide");
        assertThat(f.fix()).isEqualTo("bus='ide' -> bus='virtio'");
        assertThat(f.edits()).singleElement().satisfies(e -> {
            assertThat(ide.substring(e.owner().start(), e.owner().end())).startsWith("<target ");
            assertThat(e.name()).isEqualTo("bus");
            assertThat(e.value()).isEqualTo("virtio");
        });

        Path suppressed = write("s.xml", ide.replace("<disk type", 
                "<!-- virtlint: ignore=no-ide-disks reason=\"installer needs IDE\" -->\n<disk type"));
        assertThat(lint(cfg, suppressed)).isEmpty();
    }

    @Test
    void workloadsChooseWhatTheSimulatorRunsPerDomainAndDefaultToDatabase() throws Exception {
        Path vm = write("vm.xml", domain("ci-07", "writeback", "/var/lib/libvirt/images/ci.img"));
        Finding plain = lint(write("none.yaml", ""), vm).get(0);
        assertThat(plain.evidence().workload()).isEqualTo("database");
        assertThat(plain.evidence().assumptions()).anyMatch(a -> a.startsWith("workload database"));
        Finding chosen = lint(write("w.yaml", "workloads:\n  - {domain: \"db-*\", workload: streaming}\n"
                + "  - {domain: \"ci-*\", workload: build}\n"), vm).get(0);
        assertThat(chosen.evidence().workload()).isEqualTo("build");
        assertThat(chosen.evidence().assumptions()).noneMatch(a -> a.startsWith("workload"));
        assertThat(chosen.evidence().current().writeMBps()).isNotEqualTo(plain.evidence().current().writeMBps());
    }

    @Test
    void scratchDisksDefaultToTheScratchTestWorkload() throws Exception {
        Path vm = write("vm.xml", domain("ci-07", "writeback", "/var/lib/ci/ci.img"));
        Finding f = lint(write("s.yaml", "scratch: [/var/lib/ci/**]\n"), vm).get(0);
        assertThat(f.evidence().workload()).isEqualTo("scratch-test");
    }

    @Test
    void discoveryStopsAtTheRepositoryRoot() throws Exception {
        write(".virtlint.yaml", "rules: {double-caching: off}\n");
        Files.createDirectories(dir.resolve("repo/.git"));
        Path vm = write("repo/sub/vm.xml", domain("db", "writeback", "/var/lib/libvirt/images/db.img"));
        assertThat(Config.find(vm.getParent())).isEmpty();
        // A worktree or submodule: .git is a file.
        write("wt/.git", "gitdir: /elsewhere\n");
        assertThat(Config.find(write("wt/a/vm.xml", "").getParent())).isEmpty();
        Path inRepo = write("repo/.virtlint.yaml", "");
        assertThat(Config.find(vm.getParent())).contains(inRepo);
    }

    @Test
    void aConfigurationOwnedByAnotherUserIsIgnoredWithAWarning() throws Exception {
        Files.createDirectories(dir.resolve("repo/.git"));
        Path planted = write("repo/.virtlint.yaml", "rules: {double-caching: off}\n");
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        int other = me == 65534 ? 65533 : 65534;
        Files.setAttribute(planted, "unix:uid", other);
        List<String> warnings = new java.util.ArrayList<>();
        assertThat(Config.find(dir.resolve("repo"), warnings::add)).isEmpty();
        assertThat(warnings).containsExactly(planted + ": warning: ignored: owned by user " + other + ", not by "
                + me + " (who runs virtlint) or root");
    }
}
