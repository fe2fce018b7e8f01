package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.At;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        String bad = "<domain>\n  <name>bad</name>\n  <devices>\n</domain>\n";
        write("b-bad.xml", bad);
        write("c-net.xml", "<network><name>default</name></network>");
        Cli.Run r = run("lint", "--format", "json", dir.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.INPUT);
        // The JDK's parser reports the mismatched end tag at its name.
        assertThat(r.err()).containsPattern("b-bad\\.xml:" + At.of(bad, "domain>", 1) + ": error: malformed XML: .+");
        assertThat(r.out()).contains("\"domain\": \"good\"").contains("\"kind\": \"skipped\"")
                .contains("\"path\": \"" + dir + "/b-bad.xml\"").contains("\"line\": 4");
    }

    @Test
    void anOsIdWithATwentyDigitNumberDoesNotStopTheBatch() throws IOException {
        write("a-good.xml", GOOD);
        write("b-huge-os.xml", GOOD.replace("<name>good</name>", "<name>huge</name><metadata>"
                + "<libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
                + "<libosinfo:os id='http://centos.org/centos/99999999999999999999'/></libosinfo:libosinfo>"
                + "</metadata>"));
        Cli.Run r = run("lint", "--format", "json", dir.toString());
        assertThat(r.err()).doesNotContain("internal error");
        assertThat(r.exit()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("\"domain\": \"good\"").contains("\"domain\": \"huge\"");
    }

    @Test
    void aFifoNamedOrMetInAWalkIsSkippedWithAnErrorInsteadOfBlocking() throws Exception {
        write("a-good.xml", GOOD);
        Path fifo = dir.resolve("b-pipe.xml");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Cli.Run walked = run("lint", dir.toString());
        assertThat(walked.exit()).isEqualTo(ExitCode.INPUT);
        assertThat(walked.err()).contains("b-pipe.xml: error: not a regular file");
        assertThat(walked.out()).contains("in 1 file");
        java.util.concurrent.CompletableFuture<Cli.Run> named = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> run("lint", fifo.toString(), dir.resolve("a-good.xml").toString()));
        Cli.Run r = named.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.exit()).isEqualTo(ExitCode.INPUT);
        assertThat(r.err()).contains(fifo + ": error: not a regular file");
        assertThat(r.out()).contains("in 1 file");
    }

    /**
     * Runs virtlint in a new JVM as nobody (setpriv, util-linux): root reads any directory. The
     * class path is copied to {@code cp} first, world-readable, since nobody cannot read ~/.m2.
     */
    private static Process asNobody(Path cp, String... args) throws IOException {
        Files.setPosixFilePermissions(cp, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path from = Path.of(entry);
            Path to = cp.resolve(n++ + "-" + from.getFileName());
            try (var walk = Files.walk(from)) {
                for (Path f : (Iterable<Path>) walk::iterator) {
                    Path t = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(f, t);
                    }
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString(
                            Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            entries.add(to.toString());
        }
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(java.io.File.pathSeparator, entries), "dev.virtlint.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void underLangCANameTheLocaleCannotEncodeIsThatFilesErrorAndTheOthersAreFixed() throws Exception {
        write("a.xml", GOOD.replace("cache='none'", "cache='unsafe'"));
        write("z.xml", GOOD.replace("cache='none'", "cache='unsafe'"));
        // The name is made by the shell from octal bytes: this JVM's locale may not encode it either.
        assertThat(new ProcessBuilder("sh", "-c", "cp a.xml \"$(printf 'caf\\303\\251.xml')\"")
                .directory(dir.toFile()).start().waitFor()).isZero();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.virtlint.cli.Main", "fix",
                "--unsafe-fixes", ".")
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isEqualTo(ExitCode.INPUT);
        assertThat(output).contains("cannot be encoded in this locale").contains("fixed ./a.xml")
                .contains("fixed ./z.xml");
        assertThat(Files.readString(dir.resolve("z.xml"))).doesNotContain("unsafe");
    }

    @Test
    void anUnreadableSubdirectoryIsAnErrorAndTheRestIsLinted(@TempDir Path cp) throws Exception {
        write("a-good.xml", GOOD);
        write("sub/b.xml", GOOD);
        Files.setPosixFilePermissions(dir.resolve("sub"), PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("a-good.xml"), PosixFilePermissions.fromString("rw-r--r--"));
        Process p = asNobody(cp, "lint", dir.toString());
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isEqualTo(ExitCode.INPUT);
        assertThat(output).contains(dir + "/sub: error: cannot read").contains("in 1 file");
    }

    @Test
    void aFileLargerThanTheInputSizeLimitOrADeviceIsThatFilesErrorOnly() throws IOException {
        write("a-good.xml", GOOD);
        Path big = dir.resolve("b-big.xml");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'<'}), dev.virtlint.lint.Loader.DEFAULT_INPUT_LIMIT);
        }
        Files.createSymbolicLink(dir.resolve("c-zero.xml"), Path.of("/dev/zero"));
        Cli.Run r = run("lint", dir.toString(), dir.resolve("c-zero.xml").toString());
        assertThat(r.exit()).isEqualTo(ExitCode.INPUT);
        assertThat(r.err()).contains("b-big.xml: error: larger than the input size limit of 67108864 bytes")
                .contains("c-zero.xml: error: not a regular file");
        assertThat(r.out()).contains("in 1 file");
    }

    @Test
    void theInputSizeLimitIsSetByMaxInputSizeForFilesAndStandardInput() throws IOException {
        Path good = write("good.xml", GOOD);
        long size = Files.size(good);
        assertThat(size).isBetween(257L, 1024L);
        Cli.Run low = run("lint", "--max-input-size", "256", good.toString());
        assertThat(low.exit()).as(low.err()).isEqualTo(ExitCode.INPUT);
        assertThat(low.err()).contains("good.xml: error: larger than the input size limit of 256 bytes");
        Cli.Run exact = run("lint", "--max-input-size=" + size, good.toString());
        assertThat(exact.exit()).as(exact.err()).isEqualTo(ExitCode.OK);
        Cli.Run piped = Cli.runWithStdin(new java.io.ByteArrayInputStream(Files.readAllBytes(good)),
                "lint", "--max-input-size", (size - 1) + "B", "-");
        assertThat(piped.err()).contains("-: error: larger than the input size limit of " + (size - 1) + " bytes");
        Cli.Run raised = run("lint", "--max-input-size", "1KiB", good.toString());
        assertThat(raised.exit()).as(raised.err()).isEqualTo(ExitCode.OK);
        for (String bad : List.of("0", "2G", "lots", "-5")) {
            Cli.Run r = run("lint", "--max-input-size", bad, good.toString());
            assertThat(r.exit()).as(bad).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).as(bad).contains("--max-input-size");
        }
    }

    @Test
    void standardInputThatNeverEndsIsThatInputsErrorAndTheOthersAreLinted() throws IOException {
        Path good = write("good.xml", GOOD);
        // Like `cat /dev/zero | virtlint lint - good.xml`: read up to the limit, not until the heap is gone.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) ' ');
                return len;
            }
        };
        Cli.Run r = Cli.runWithStdin(endless, "lint", "-", good.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.INPUT);
        assertThat(r.err()).contains("-: error: larger than the input size limit of 67108864 bytes");
        assertThat(r.out()).contains("in 1 file");
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
    void jsonSaysWhyADiskIsReadOnlyAndWhyItGetsNoCacheAdvice() {
        Cli.Run cd = run("lint", "--format", "json", "--drive", "file=/iso/install.iso,media=cdrom,cache=unsafe");
        assertThat(cd.exit()).isEqualTo(ExitCode.OK);
        assertThat(cd.out()).contains("\"readonly\": true", "\"readonlyBy\": \"cdrom\"",
                "\"noCacheAdvice\": \"a CD-ROM, which libvirt and QEMU open read-only\"", "\"findings\": []");
        Cli.Run stated = run("lint", "--format", "json", "--drive", "file=/vm/base.img,if=virtio,readonly=on");
        assertThat(stated.out()).contains("\"readonly\": true", "\"readonlyBy\": \"stated\"");
        Cli.Run writable = run("lint", "--format", "json", "--drive", "file=/vm/a.img,if=virtio,cache=none");
        assertThat(writable.out()).contains("\"readonly\": false", "\"readonlyBy\": null", "\"noCacheAdvice\": null");
    }

    @Test
    void theJsonReportGivesTheCacheSettingsAsWritten() {
        Cli.Run r = run("lint", "--format", "json", "--drive", "file=/vm/c.img,if=virtio,cache.writeback=off,cache.no-flush=on");
        assertThat(r.out()).contains("\"mode\": \"custom\"", "\"written\": \"cache.writeback=off,cache.no-flush=on\"");
        Cli.Run none = run("lint", "--format", "json", "--drive", "file=/vm/d.img,if=virtio");
        assertThat(none.out()).contains("\"written\": null");
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
        assertThat(r.out()).contains("--drive[1]:" + At.of(UNSAFE, "unsafe") + ": error [unsafe-cache-persistent-disk]"
                + " disk virtio0 (/vm/a.img)"
                + " uses cache=unsafe but is not a scratch disk")
                // unsafe -> none shows the guest no new write cache: only O_DIRECT is assumed.
                .contains(" writes, ").contains("\n  fix (unsafe: assumes O_DIRECT works on"
                        + " /vm/a.img: no host profile): cache=unsafe -> cache=none (writes ");
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
        // The kernel is stated, but /dev/shm is still only assumed to be tmpfs: a warning.
        assertThat(known.out()).contains("warning [direct-io-unsupported-fs]").contains("host"
                + " kernel 5.15.0");
        Path stated = write("stated.yaml",
                "kernel: \"5.15.0\"\nmounts:\n  - {path: /dev/shm, fstype: tmpfs}\n");
        Cli.Run error = run("lint", "--select", "direct-io-unsupported-fs", "--host",
                stated.toString(),
                vm.toString());
        assertThat(error.out()).contains("error [direct-io-unsupported-fs]").contains("host kernel"
                + " 5.15.0");
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
        String badRule = """
                id: broken-rule
                severity: warning
                summary: Broken
                select: "driver[@cache = ]"
                message: "{disk}"
                """;
        write("repo/bad.rule.yaml", badRule);
        write("repo/.virtlint.yaml", "custom-rules: [bad.rule.yaml]\n");
        Path vm = write("repo/vm.xml", GOOD);
        Cli.Run r = run("lint", vm.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).matches("(?s).*bad\\.rule\\.yaml:" + At.of(badRule, "\"driver")
                + ": error: rule broken-rule: invalid XPath"
                + " 'driver\\[@cache = \\]': .*\n");
        String lots = "memory: lots\n";
        Path badHost = write("host.yaml", lots);
        // Outside repo/: the walk reads a file's configuration first, and repo's is broken too.
        Cli.Run h = run("lint", "--host", badHost.toString(), write("vm.xml", GOOD).toString());
        assertThat(h.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(h.err()).contains("host.yaml:" + At.of(lots, "lots") + ": error: expected a size such as 64GiB,"
                + " found 'lots'");
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
        // samples/domains/two-domains-dumpxml.xml is refused on purpose (one file, two domains): exit 3.
        assertThat(one.exit()).isEqualTo(ExitCode.INPUT);
        assertThat(two.exit()).isEqualTo(ExitCode.INPUT);
        assertThat(two.out()).isEqualTo(one.out()).contains("\"path\": \"samples/drives/build-vm.args\"");
    }

    /** Both ways of reading a lint command line: picocli, and Main's quick path. */
    private static List<Cli.Run> bothWays(String... args) {
        return List.of(Cli.run(args), Cli.main(args));
    }

    @Test
    void anOutputThatIsAnInputIsAUsageErrorAndTheInputIsKept() throws IOException {
        Path in = write("vms/good.xml", GOOD);
        for (Cli.Run r : bothWays("lint", "--output", in.toString(), dir.resolve("vms").toString())) {
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).contains("--output " + in + " is one of the inputs");
            assertThat(Files.readString(in)).isEqualTo(GOOD);
        }
    }

    @Test
    void anOutputThatCannotBeWrittenIsAUsageErrorWithTheReason() throws IOException {
        Path in = write("good.xml", GOOD);
        Path readOnly = write("old-report.txt", "kept\n");
        Files.setAttribute(readOnly, "unix:mode", 0444);
        Path elsewhere = write("elsewhere/report.txt", "kept\n");
        Path link = Files.createSymbolicLink(dir.resolve("report-link.txt"), elsewhere);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(dir.toString(), "is a directory");
        cases.put(dir.resolve("no/such/report.txt").toString(), "no such directory");
        cases.put(readOnly.toString(), "is read-only");
        cases.put("/dev/full", "cannot write --output /dev/full: No space left on device");
        cases.put(link.toString(), "leads through a symbolic link to " + elsewhere + ", outside the working"
                + " directory; not followed");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            for (Cli.Run r : bothWays("lint", "--output", c.getKey(), in.toString())) {
                assertThat(r.exit()).as(c.getKey() + ": " + r.err()).isEqualTo(ExitCode.USAGE);
                assertThat(r.err()).contains(c.getValue());
            }
        }
        assertThat(Files.readString(readOnly)).isEqualTo("kept\n");
        assertThat(Files.readString(elsewhere)).isEqualTo("kept\n");
    }

    @Test
    void theReportIsWrittenThroughATemporaryFileAndKeepsAnOldReportsMode() throws IOException {
        Path in = write("good.xml", GOOD);
        Path report = write("out/report.txt", "old report\n");
        Files.setAttribute(report, "unix:mode", 0640);
        Object before = Files.getAttribute(report, "unix:ino");
        Cli.Run r = Cli.main("lint", "--output", report.toString(), in.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(Files.readString(report)).contains("no findings in 1 file");
        // A new inode: renamed into place, never truncated and written where a reader could see half.
        assertThat(Files.getAttribute(report, "unix:ino")).isNotEqualTo(before);
        assertThat((Integer) Files.getAttribute(report, "unix:mode") & 0777).isEqualTo(0640);
        try (var list = Files.list(report.getParent())) {
            assertThat(list).containsExactly(report);
        }
    }

    @Test
    void aTemporaryReportLeftByAKilledRunIsRemovedByTheNextAndSaidSo() throws Exception {
        Path in = write("good.xml", GOOD);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        org.assertj.core.api.Assumptions.assumeThat(ProcessHandle.of(gone.pid())).as("pid not reused").isEmpty();
        Path left = write("out/.virtlint-" + gone.pid() + "-2b.virtlint-tmp", "{\"half\": ");
        Path report = dir.resolve("out/report.json");
        Cli.Run r = Cli.main("lint", "--format", "json", "--output", report.toString(), in.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.err()).contains(left + ": removed a temporary file left by virtlint process " + gone.pid());
        try (var list = Files.list(report.getParent())) {
            assertThat(list).containsExactly(report);
        }
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

    /** A pre-commit hook that fails on an unrelated plist gets uninstalled: such files are skipped, exit 0. */
    @Test
    void xmlOfOtherToolsIsSkippedWithExitZero() throws Exception {
        Path plist = dir.resolve("Info.plist");
        Files.writeString(plist, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC"
                + " \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\"><dict><key>CFBundleName</key><string>x</string></dict></plist>\n");
        Path xhtml = dir.resolve("index.xhtml");
        Files.writeString(xhtml, "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\""
                + " \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"
                + "<body><p>a&nbsp;b</p></body></html>\n");
        Cli.Run r = run("lint", plist.toString(), xhtml.toString());
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out()).contains("skipped 2 not a domain").doesNotContain("could not be read");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void twoDomainsInOneFileAreOneInputErrorAtTheSecondRoot() throws Exception {
        Path two = dir.resolve("two.xml");
        Files.writeString(two, GOOD + GOOD);
        Cli.Run r = run("lint", two.toString());
        assertThat(r.exit()).isEqualTo(3);
        int line = (int) GOOD.lines().count() + 1;
        assertThat(r.err() + r.out()).contains(two + ":" + line + ":1: error: this file holds more than one domain"
                + " document; libvirt reads one per file").doesNotContain("following the root element");
    }

    @Test
    void aDirectoryWalkLintsTheLaunchScriptsAndSaysNothingOfTheOthers() throws IOException {
        String script = "#!/bin/bash\nargs=(\n  -m 4G\n"
                + "  -drive id=hd,if=none,file=/var/lib/vm/db.qcow2,format=qcow2,cache=unsafe\n"
                + "  -device virtio-blk-pci,drive=hd\n)\nexec qemu-system-x86_64 \"${args[@]}\"\n";
        write("vms/run-db.sh", script);
        write("vms/build.sh", "#!/bin/sh\nmake -C src\n");
        Cli.Run r = run("lint", dir.resolve("vms").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.FINDINGS);
        assertThat(r.out()).contains("run-db.sh:" + At.of(script, "unsafe") + ": error [unsafe-cache-persistent-disk]"
                + " disk hd")
                .contains("in 1 file (1 disk)").doesNotContain("build.sh").doesNotContain("skipped");
        // Named, the script that runs no QEMU is reported as skipped, not as an error.
        Cli.Run named = run("lint", "--format", "json", dir.resolve("vms/build.sh").toString());
        assertThat(named.exit()).as(named.err()).isEqualTo(ExitCode.OK);
        assertThat(named.out()).contains("\"kind\": \"skipped\"").contains("runs no qemu-system-* or qemu-kvm");
    }

    @Test
    void theTextReportPrintsADisksFiguresOnceUnderItsFirstFinding() throws IOException {
        // A guest that does not flush and no mode: double-caching and flushless-guest-write-cache on
        // one disk, with the same evidence and fix.
        String nobarrier = """
                <domain type='kvm'>
                  <name>old-db</name>
                  <metadata>
                    <virtlint:virtlint xmlns:virtlint="http://virtlint.dev/xmlns/domain/1.0">
                      <virtlint:guest flushes="no"/>
                    </virtlint:virtlint>
                  </metadata>
                  <memory unit='GiB'>4</memory>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw'/>
                      <source file='/var/lib/libvirt/images/old-db.raw'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>
                """;
        Cli.Run r = run("lint", write("old-db.xml", nobarrier).toString());
        assertThat(r.out()).contains("[double-caching]", "[flushless-guest-write-cache]");
        assertThat(r.out().split("predicted on host crash or power loss", -1)).hasSize(2);
        assertThat(r.out().split("no cache mode -> cache='directsync'", -1)).hasSize(2);
    }
}
