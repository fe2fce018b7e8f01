package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintCommandTest {

    @TempDir
    Path dir;

    private static Cli.Run runWithStdin(String stdin, String... args) {
        return Cli.runWithStdin(stdin, args);
    }

    private static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    private static final String GOOD = """
            <domain type='kvm'>
              <name>good</name>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2' cache='none' io='native'/>
                  <source file='/var/lib/libvirt/images/good.qcow2'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void cleanDomainExitsZero() throws IOException {
        Cli.Run r = run("lint", write("good.xml", GOOD).toString());
        assertThat(r.exit()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("no findings in 1 file (1 disk)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void malformedInputIsReportedWithPositionAndTheOthersStillRun() throws IOException {
        write("a-good.xml", GOOD);
        write("b-bad.xml", "<domain>\n  <name>bad</name>\n  <devices>\n</domain>\n");
        write("c-net.xml", "<network><name>default</name></network>");
        Cli.Run r = run("lint", "--format", "json", dir.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.INPUT);
        assertThat(r.err()).containsPattern("b-bad\\.xml:4:3: error: malformed XML: .+");
        assertThat(r.out()).contains("\"domain\": \"good\"").contains("\"kind\": \"skipped\"")
                .contains("\"path\": \"" + dir + "/b-bad.xml\"").contains("\"line\": 4");
    }

    @Test
    void missingPathIsAnInputErrorNotAUsageError() throws IOException {
        Cli.Run r = run("lint", dir.resolve("nope.xml").toString(), write("good.xml", GOOD).toString());
        assertThat(r.exit()).isEqualTo(ExitCode.INPUT);
        assertThat(r.err()).contains("nope.xml: error: no such file or directory");
        assertThat(r.out()).contains("in 1 file");
    }

    @Test
    void nothingToLintIsAUsageError() {
        Cli.Run r = run("lint");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("nothing to lint");
    }

    @Test
    void unknownOptionAndBadFormatAreUsageErrors() {
        assertThat(run("lint", "--bogus", "x").exit()).isEqualTo(ExitCode.USAGE);
        Cli.Run r = run("lint", "--format", "yaml", "x");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--format");
    }

    @Test
    void helpListsTheExitCodes() {
        Cli.Run r = run("lint", "--help");
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out()).contains("Exit codes:").contains("70   internal error");
    }

    @Test
    void driveStringFollowsTheJsonSchema() {
        Cli.Run r = run("lint", "--format", "json", "--drive", "file=/vm/a,,b.img,if=virtio,cache=unsafe,aio=threads");
        assertThat(r.exit()).isEqualTo(ExitCode.FINDINGS);
        assertThat(r.out()).contains("\"kind\": \"drive\"", "\"path\": \"--drive[1]\"", "\"origin\": \"drive\"",
                "\"source\": \"/vm/a,b.img\"", "\"mode\": \"unsafe\"", "\"explicit\": true", "\"noFlush\": true",
                "\"io\": \"threads\"", "\"target\": \"virtio0\"", "\"line\": 1", "\"column\": 1",
                "\"errors\": []", "\"name\": \"virtlint\"");
    }

    @Test
    void driveWithoutCacheIsImplicitWriteback() {
        Cli.Run r = run("lint", "--format", "json", "--drive", "file=/vm/a.img,if=virtio");
        assertThat(r.out()).contains("\"mode\": \"writeback\"", "\"explicit\": false");
    }

    @Test
    void stdinIsSniffedAsXmlOrArgs() {
        Cli.Run xml = runWithStdin(GOOD, "lint", "--format", "json", "-");
        assertThat(xml.out()).contains("\"path\": \"-\"", "\"kind\": \"domain\"");
        Cli.Run args = runWithStdin("qemu-system-x86_64 -drive file=/a.img,if=virtio,cache=none\n", "lint", "--format", "json", "-");
        assertThat(args.out()).contains("\"kind\": \"args\"", "\"mode\": \"none\"");
    }

    @Test
    void directoryWalkTakesXmlAndArgsAndSkipsHiddenDirectories() throws IOException {
        write("vms/a.xml", GOOD);
        write("vms/b.args", "qemu -drive file=/b.img,if=virtio\n");
        write("vms/notes.txt", "not linted");
        write("vms/.git/c.xml", "<broken");
        Cli.Run r = run("lint", "--fail-on", "never", "--format", "json", dir.resolve("vms").toString());
        assertThat(r.exit()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("a.xml", "b.args").doesNotContain("notes.txt", "c.xml");
    }

    private static final String UNSAFE = "file=/vm/a.img,if=virtio,cache=unsafe";

    @Test
    void failOnSetsTheThresholdForExitOne() {
        assertThat(run("lint", "--drive", UNSAFE).exit()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run("lint", "--fail-on", "never", "--drive", UNSAFE).exit()).isEqualTo(ExitCode.OK);
        String warningOnly = "file=/vm/a.img,if=virtio,cache=writeback";
        assertThat(run("lint", "--fail-on", "error", "--drive", warningOnly).exit()).isEqualTo(ExitCode.OK);
        assertThat(run("lint", "--fail-on", "warning", "--drive", warningOnly).exit()).isEqualTo(ExitCode.FINDINGS);
        String infoOnly = "file=/vm/a.img,if=virtio,cache.direct=on";
        assertThat(run("lint", "--drive", infoOnly).exit()).isEqualTo(ExitCode.OK);
        assertThat(run("lint", "--fail-on", "info", "--drive", "file=/vm/a.img,if=virtio").exit())
                .isEqualTo(ExitCode.FINDINGS);
    }

    @Test
    void selectAndIgnoreChooseRules() {
        Cli.Run only = run("lint", "--select", "double-caching", "--drive", UNSAFE);
        assertThat(only.out()).contains("[double-caching]").doesNotContain("[unsafe-cache-persistent-disk]");
        Cli.Run without = run("lint", "--ignore", "double-caching,unsafe-cache-persistent-disk", "--drive", UNSAFE);
        assertThat(without.out()).contains("no findings");
        assertThat(without.exit()).isEqualTo(ExitCode.OK);
        Cli.Run unknown = run("lint", "--select", "no-such-rule", "--drive", UNSAFE);
        assertThat(unknown.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("unknown rule 'no-such-rule'");
    }

    @Test
    void textFindingHasPositionSeverityRuleAndFix() {
        Cli.Run r = run("lint", "--drive", UNSAFE);
        assertThat(r.out()).contains("--drive[1]:1:32: error [unsafe-cache-persistent-disk] disk virtio0 (/vm/a.img)"
                + " uses cache=unsafe but is not a scratch disk")
                .contains("  fix: cache=unsafe -> cache=none");
    }

    @Test
    void rulesListsTheCatalogueAndExplainPrintsAPage() {
        Cli.Run rules = run("rules");
        assertThat(rules.exit()).isEqualTo(0);
        assertThat(rules.out().lines()).hasSize(dev.virtlint.rules.Catalogue.rules().size());
        assertThat(rules.out()).contains("unsafe-cache-persistent-disk", "error", "safety");
        Cli.Run explain = run("explain", "double-caching");
        assertThat(explain.exit()).isEqualTo(0);
        assertThat(explain.out()).startsWith("# double-caching").contains("## What the fix does");
        Cli.Run unknown = run("explain", "no-such-rule");
        assertThat(unknown.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("unknown rule 'no-such-rule'");
    }

    private static final String WRITEBACK_ON_SHM = """
            <domain type='kvm'>
              <name>shm</name>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw' cache='none' detect_zeroes='unmap'/>
                  <source file='/dev/shm/vm.img'/>
                  <target dev='vda' bus='ide'/>
                </disk>
              </devices>
            </domain>
            """;

    @Test
    void theNearestConfigurationAppliesAndConfigOverridesIt() throws IOException {
        Path vm = write("repo/vms/shm.xml", WRITEBACK_ON_SHM);
        write("repo/.virtlint.yaml", "rules:\n  detect-zeroes-unmap-without-discard: off\n");
        Cli.Run found = run("lint", vm.toString());
        assertThat(found.out()).doesNotContain("detect-zeroes-unmap-without-discard")
                .contains("[direct-io-unsupported-fs]");
        Path other = write("other.yaml", "rules:\n  direct-io-unsupported-fs: off\n");
        Cli.Run overridden = run("lint", "--config", other.toString(), vm.toString());
        assertThat(overridden.out()).contains("[detect-zeroes-unmap-without-discard]")
                .doesNotContain("[direct-io-unsupported-fs]");
    }

    @Test
    void aHostProfileDecidesWhatTheUnknownKernelLeftOpen() throws IOException {
        Path vm = write("shm.xml", WRITEBACK_ON_SHM);
        Cli.Run unknown = run("lint", "--select", "direct-io-unsupported-fs", vm.toString());
        assertThat(unknown.out()).contains("warning [direct-io-unsupported-fs]").contains("kernel is unknown");
        Path old = write("old.yaml", "kernel: \"5.15.0\"\n");
        Cli.Run known = run("lint", "--select", "direct-io-unsupported-fs", "--host", old.toString(), vm.toString());
        assertThat(known.out()).contains("error [direct-io-unsupported-fs]").contains("host kernel 5.15.0");
        Path recent = write("recent.yaml", "kernel: \"6.8.0\"\n");
        Cli.Run fine = run("lint", "--select", "direct-io-unsupported-fs", "--host", recent.toString(), vm.toString());
        assertThat(fine.exit()).isEqualTo(ExitCode.OK);
        assertThat(fine.out()).contains("no findings");
    }

    @Test
    void customRulesFromTheConfigurationCanBeSelectedAndReportPositions() throws IOException {
        write("repo/rules/ide.rule.yaml", """
                id: no-ide-disks
                severity: error
                summary: IDE disks are slow
                select: "target/@bus[. = 'ide']"
                message: "{disk} is on {setting}"
                """);
        write("repo/.virtlint.yaml", "custom-rules: [rules/]\n");
        Path vm = write("repo/shm.xml", WRITEBACK_ON_SHM);
        Cli.Run r = run("lint", "--select", "no-ide-disks", "--format", "json", vm.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.FINDINGS);
        assertThat(r.out()).contains("\"rule\": \"no-ide-disks\"").contains("\"line\": 7")
                .contains("\"column\": 30").contains("\"message\": \"disk vda (/dev/shm/vm.img) is on bus='ide'\"");
        Cli.Run elsewhere = run("lint", "--select", "no-ide-disks", write("shm2.xml", WRITEBACK_ON_SHM).toString());
        assertThat(elsewhere.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(elsewhere.err()).contains("unknown rule 'no-ide-disks'");
    }

    @Test
    void aBrokenConfigurationStopsTheRunWithItsPosition() throws IOException {
        write("repo/bad.rule.yaml", """
                id: broken-rule
                severity: warning
                summary: Broken
                select: "driver[@cache = ]"
                message: "{disk}"
                """);
        write("repo/.virtlint.yaml", "custom-rules: [bad.rule.yaml]\n");
        Path vm = write("repo/vm.xml", GOOD);
        Cli.Run r = run("lint", vm.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).matches("(?s).*bad\\.rule\\.yaml:4:9: error: rule broken-rule: invalid XPath"
                + " 'driver\\[@cache = \\]': .*\n");
        Path badHost = write("host.yaml", "memory: lots\n");
        Cli.Run h = run("lint", "--host", badHost.toString(), vm.toString());
        assertThat(h.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(h.err()).contains("host.yaml:1:9: error: expected a size such as 64GiB, found 'lots'");
    }

    @Test
    void rulesAndExplainKnowTheConfigurationsCustomRules() throws IOException {
        write("repo/rules/ide.rule.yaml", """
                id: no-ide-disks
                severity: error
                summary: IDE disks are slow
                select: "target/@bus[. = 'ide']"
                message: "{disk} is on {setting}"
                """);
        Path cfg = write("repo/.virtlint.yaml", "custom-rules: [rules/]\n");
        Cli.Run rules = run("rules", "--config", cfg.toString());
        assertThat(rules.out()).containsPattern("(?m)^no-ide-disks +error +custom +IDE disks are slow$")
                .contains("double-caching");
        Cli.Run explain = run("explain", "--config", cfg.toString(), "no-ide-disks");
        assertThat(explain.exit()).isEqualTo(ExitCode.OK);
        assertThat(explain.out()).startsWith("# no-ide-disks\n").contains("IDE disks are slow.")
                .contains("select: \"target/@bus[. = 'ide']\"");
        assertThat(run("explain", "no-ide-disks").exit()).isEqualTo(ExitCode.USAGE);
    }

    @org.junit.jupiter.api.Test
    void parallelLintingReportsExactlyWhatOneThreadReports() {
        Cli.Run one = run("lint", "--format", "json", "--fail-on", "never", "--jobs", "1", "samples/");
        Cli.Run two = run("lint", "--format", "json", "--fail-on", "never", "--jobs", "2", "samples/");
        assertThat(one.exit()).isZero();
        assertThat(two.out()).isEqualTo(one.out()).contains("\"path\": \"samples/drives/build-vm.args\"");
    }

    @Test
    void aConfigurationOwnedByAnotherUserIsIgnoredWithAWarningOnStandardError() throws Exception {
        Files.createDirectories(dir.resolve("repo/.git"));
        Path vm = write("repo/vm.xml", GOOD.replace("cache='none' io='native'", "cache='unsafe'"));
        Cli.Run honest = run("lint", vm.toString());
        assertThat(honest.exit()).isEqualTo(1);
        Path planted = write("repo/.virtlint.yaml", "per-path-ignores:\n  \"**\": [all]\n");
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Files.setAttribute(planted, "unix:uid", me == 65534 ? 65533 : 65534);
        Cli.Run r = run("lint", vm.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo(honest.out());
        assertThat(r.err()).contains("virtlint: " + planted + ": warning: ignored: owned by user");
    }
}
