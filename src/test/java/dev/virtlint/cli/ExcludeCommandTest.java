package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.virtlint.rules.SampleMarkersTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exclude:}, {@code extend-exclude:} and {@code force-exclude:} of {@code .virtlint.yaml}
 * through {@code lint} and {@code fix}: what they exclude is never read, so a malformed or
 * unreadable file there is not reported, and a file named on the command line is read unless
 * {@code force-exclude: true}.
 */
class ExcludeCommandTest {

    @TempDir
    Path dir;

    /** A domain whose disk has a safe fix (native AIO with a host cache, on a block device). */
    private byte[] fixable;

    @BeforeEach
    void tree() throws IOException, InterruptedException {
        fixable = Files.readAllBytes(SampleMarkersTest.SAMPLES.resolve(
                "native-aio-without-direct-io/native-writeback.before.xml"));
        Files.write(dir.resolve("vm.xml"), fixable);
        Files.createDirectories(dir.resolve("legacy/deep"));
        Files.writeString(dir.resolve("legacy/deep/broken.xml"), "<domain><devices>");
        Files.write(dir.resolve("legacy/old.xml"), fixable);
        Files.writeString(dir.resolve("vm.orig.xml"), "<domain");
        // A FIFO: reading it would block, and a walk that meets it reports it as not a regular file.
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("legacy/pipe.xml").toString())
                .redirectErrorStream(true).start();
        assumeThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0)
                .as("mkfifo works here").isTrue();
    }

    private void config(String text) throws IOException {
        Files.writeString(dir.resolve(".virtlint.yaml"), text);
    }

    @Test
    void whatIsExcludedIsNotReadSoItsErrorsAreNotReported() throws IOException {
        Cli.Run without = Cli.run("lint", "--format", "json", dir.toString());
        assertThat(without.exit()).as("the same tree without exclusions").isEqualTo(ExitCode.INPUT);
        assertThat(without.err()).contains("broken.xml", "pipe.xml", "vm.orig.xml");

        config("extend-exclude: [legacy/, \"*.{orig,bak}.xml\"]\n");
        Cli.Run run = Cli.run("lint", "--format", "json", dir.toString());
        assertThat(run.err()).doesNotContain("broken.xml").doesNotContain("pipe.xml")
                .doesNotContain("vm.orig.xml");
        assertThat(run.out()).contains("vm.xml").doesNotContain("old.xml");
        assertThat(run.exit()).isEqualTo(ExitCode.FINDINGS);
    }

    @Test
    void theQuickPathExcludesToo() throws IOException {
        config("extend-exclude: [legacy/, \"*.{orig,bak}.xml\"]\n");
        Cli.Run run = Cli.main("lint", dir.toString());
        assertThat(run.err()).doesNotContain("broken.xml").doesNotContain("pipe.xml");
        assertThat(run.exit()).isEqualTo(ExitCode.FINDINGS);
    }

    @Test
    void excludeReplacesTheDefaultSoHiddenDirectoriesAreWalked() throws IOException {
        Files.createDirectories(dir.resolve(".staging"));
        Files.write(dir.resolve(".staging/next.xml"), fixable);
        config("extend-exclude: [legacy/, \"*.orig.xml\"]\n");
        assertThat(Cli.run("lint", "--format", "json", dir.toString()).out())
                .doesNotContain("next.xml");
        config("exclude: [legacy/, \"*.orig.xml\"]\n");
        assertThat(Cli.run("lint", "--format", "json", dir.toString()).out())
                .contains(".staging/next.xml");
    }

    @Test
    void aFileNamedOnTheCommandLineIsReadUnlessForceExclude() throws IOException {
        String broken = dir.resolve("legacy/deep/broken.xml").toString();
        config("extend-exclude: [legacy/]\n");
        Cli.Run named = Cli.run("lint", broken);
        assertThat(named.exit()).isEqualTo(ExitCode.INPUT);
        assertThat(named.err()).contains("broken.xml");

        config("extend-exclude: [legacy/]\nforce-exclude: true\n");
        Cli.Run forced = Cli.run("lint", broken, dir.resolve("vm.xml").toString());
        assertThat(forced.err()).doesNotContain("broken.xml");
        assertThat(forced.exit()).isEqualTo(ExitCode.FINDINGS);
        assertThat(Cli.main("lint", broken).exit()).isEqualTo(ExitCode.OK);
    }

    /** A pre-commit hook's {@code --config ci/virtlint.yaml} outside the tree (review finding 4). */
    @Test
    void forceExcludeAppliesToNamedFilesWhenTheConfigurationIsOutsideTheirTree() throws Exception {
        Path conf = dir.resolve("ci/virtlint.yaml");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "extend-exclude: [\"*.orig.xml\", legacy]\nforce-exclude: true\n");
        Path vms = Files.createDirectories(dir.resolve("vms"));
        Files.write(vms.resolve("x.orig.xml"), fixable);
        String named = vms.resolve("x.orig.xml").toString();
        Cli.Run walked = Cli.main("lint", "--config", conf.toString(), vms.toString());
        assertThat(walked.out()).doesNotContain("x.orig.xml");
        for (Cli.Run r : new Cli.Run[] {Cli.main("lint", "--config", conf.toString(), named),
                Cli.run("lint", "--config", conf.toString(), named)}) {
            assertThat(r.out()).doesNotContain("x.orig.xml").contains("in 0 files");
            assertThat(r.exit()).isEqualTo(ExitCode.OK);
        }
        Cli.run("fix", "--config", conf.toString(), named);
        assertThat(Files.readAllBytes(vms.resolve("x.orig.xml"))).isEqualTo(fixable);
        // Under the working directory, a directory above the named file counts too, as in a walk
        // from there; the working directory's own name does not.
        dev.virtlint.config.Config c = dev.virtlint.config.Config.load(conf, "ci/virtlint.yaml");
        assertThat(c.excludesNamed(Path.of("legacy/deep/a.xml"), false)).isTrue();
        assertThat(c.excludesNamed(Path.of("src/a.xml"), false)).isFalse();
        assertThat(c.excludesNamed(Path.of("src/a.orig.xml"), false)).isTrue();
        // Without force-exclude a named file is read.
        Files.writeString(conf, "extend-exclude: [\"*.orig.xml\"]\n");
        assertThat(Cli.main("lint", "--config", conf.toString(), named).exit()).isEqualTo(ExitCode.FINDINGS);
    }

    @Test
    void fixLeavesExcludedFilesAlone() throws IOException {
        config("extend-exclude: [legacy/, \"*.orig.xml\"]\n");
        Cli.Run fix = Cli.run("fix", dir.toString());
        assertThat(fix.err()).doesNotContain("broken.xml").doesNotContain("pipe.xml");
        assertThat(Files.readAllBytes(dir.resolve("vm.xml"))).isNotEqualTo(fixable);
        assertThat(Files.readAllBytes(dir.resolve("legacy/old.xml"))).isEqualTo(fixable);
    }

    @Test
    void aMalformedExcludeGlobStopsTheRunAtItsPosition() throws IOException {
        config("extend-exclude:\n  - \"legacy/[a-\"\n");
        Cli.Run run = Cli.run("lint", dir.toString());
        assertThat(run.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains(".virtlint.yaml:2:5: error: invalid pattern 'legacy/[a-'");
    }
}
