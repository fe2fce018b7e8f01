package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.virtlint.facts.HostFacts;
import dev.virtlint.facts.HostProfile;
import dev.virtlint.model.CacheMode.Preset;
import dev.virtlint.sim.Bench;
import dev.virtlint.sim.DeviceCosts;
import dev.virtlint.sim.FakeBenchHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code virtlint probe} on the machine the tests run on. */
class ProbeCommandTest {

    @TempDir
    Path dir;

    /** Whether a file in {@code where} opens with O_DIRECT, asked of the JDK, not of the probe. */
    private static boolean directWorksIn(Path where) throws IOException {
        Path f = Files.createTempFile(where, "direct", ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE,
                com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            Files.delete(f);
        }
    }

    private static boolean qemuImg() {
        try {
            return new ProcessBuilder("qemu-img", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void theProfileReadsBackAsAHostProfileWithThisMachinesFacts() throws Exception {
        Path profile = dir.resolve("host.yaml");
        Cli.Run r = Cli.run("probe", "--output", profile.toString(), dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        HostFacts host = HostProfile.load(profile, "host.yaml");
        assertThat(host.kernel()).contains(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        assertThat(host.memoryBytes()).isPresent();
        assertThat(host.memoryBytes().get()).isGreaterThan(256L << 20);
        assertThat(host.mountOf("/").map(HostFacts.Mount::fstype)).isPresent();
        assertThat(host.sysctl()).containsKeys("dirty_ratio", "dirty_expire_centisecs");
        // What the probe says of the test's own directory is what opening a file there with
        // O_DIRECT does (tmpfs before Linux 6.6 refuses it, a disk filesystem takes it).
        assertThat(host.directIo(dir.resolve("x.img").toString()).supported()).contains(directWorksIn(dir));
        assertThat(Files.readString(profile)).doesNotContain("costs:");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("host.yaml");
        }
    }

    @Test
    void theProfileOnStandardOutputIsTheOneWrittenToAFile() throws Exception {
        Path profile = dir.resolve("host.yaml");
        Cli.Run toFile = Cli.run("probe", "--output", profile.toString());
        Cli.Run toOut = Cli.run("probe");
        assertThat(toOut.exit()).as(toOut.err()).isZero();
        // probe states MemAvailable (Linux 3.14 and later), which the dirty thresholds rest on.
        assertThat(toOut.out()).containsPattern("(?m)^memory-available: [0-9]+MiB$");
        // MemAvailable moves between the two runs; everything else is the same.
        assertThat(withoutMemoryAvailable(toOut.out())).isEqualTo(withoutMemoryAvailable(Files.readString(profile)));
        assertThat(toFile.out()).isEmpty();
    }

    @Test
    void benchMeasuresEachModeAndItsCostsChangeWhatSimulatePredicts() throws Exception {
        if (System.getenv("VIRTLINT_REQUIRE_TOOLS") != null) {
            assertThat(qemuImg()).as("qemu-img is installed (.ci/run installs qemu-utils)").isTrue();
        }
        assumeTrue(qemuImg(), "qemu-img is not installed (.ci/run installs qemu-utils)");
        Path benchDir = Files.createDirectory(dir.resolve("bench"));
        Path profile = dir.resolve("host.yaml");
        // Short runs on a test machine fit loosely: --force writes the profile whatever the fit.
        Cli.Run r = Cli.run("probe", "--bench", benchDir.toString(), "--seconds", "0.01",
                "--force", "--output", profile.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String text = Files.readString(profile);
        assertThat(text).contains("#   qd64-raw/sparse    writeback").contains("#   flush-qcow2/falloc unsafe")
                .contains("#   warm-read/data     none").contains("costs:");
        HostFacts host = HostProfile.load(profile, "host.yaml");
        assertThat(host.costs().keySet()).containsExactlyInAnyOrder(DeviceCosts.NAMES);
        assertThat(DeviceCosts.withOverrides(host.costs())).isNotEqualTo(DeviceCosts.builtIn());
        try (var left = Files.list(benchDir)) {
            assertThat(left).isEmpty();
        }
        List<String> args = List.of("simulate", "--flushes", "yes", "--format", "json");
        String plain = Cli.run(args.toArray(String[]::new)).out();
        String measured = Cli.run("simulate", "--flushes", "yes", "--format", "json", "--host",
                profile.toString()).out();
        assertThat(speeds(measured)).isNotEqualTo(speeds(plain));
    }

    /** probe --image reads qemu-img info: a new qcow2 is sparse, a falloc'd raw image is not. */
    @Test
    void imagesAreStatedSparseOrPreallocatedAsQemuImgInfoSays() throws Exception {
        if (System.getenv("VIRTLINT_REQUIRE_TOOLS") != null) {
            assertThat(qemuImg()).as("qemu-img is installed (.ci/run installs qemu-utils)").isTrue();
        }
        assumeTrue(qemuImg(), "qemu-img is not installed (.ci/run installs qemu-utils)");
        Path sparse = dir.resolve("sparse.qcow2");
        Path full = dir.resolve("full.raw");
        for (List<String> create : List.of(
                List.of("qemu-img", "create", "-f", "qcow2", sparse.toString(), "64M"),
                List.of("qemu-img", "create", "-f", "raw", "-o", "preallocation=falloc",
                        full.toString(), "8M"))) {
            assertThat(new ProcessBuilder(create).redirectErrorStream(true).start().waitFor())
                    .isZero();
        }
        Path profile = dir.resolve("host.yaml");
        Cli.Run r = Cli.run("probe", "--image", sparse.toString(), "--image", full.toString(),
                "--output", profile.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        HostFacts host = HostProfile.load(profile, "host.yaml");
        assertThat(host.sparse(sparse.toAbsolutePath().toString())).contains(true);
        assertThat(host.sparse(full.toAbsolutePath().toString())).contains(false);
        Cli.Run missing = Cli.run("probe", "--image", dir.resolve("none.raw").toString());
        assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
    }

    /** probe with a scripted bench host ({@link FakeBenchHost}): no qemu-img runs. */
    private static Cli.Run probeWith(Bench.Host host, String... args) {
        CommandLine cl = new CommandLine(new ProbeCommand(host));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Cli.Run(exit, out.toString(), err.toString());
    }

    /**
     * One cell measured twenty times slower than the model makes it: no costs fit it within 2x, so
     * the profile is not written, the warning names the cell with both MB/s, and the exit code is 4.
     */
    @Test
    void aFitThatMissesACellByMoreThanTwiceIsNotWrittenWithoutForce() throws Exception {
        Path benchDir = Files.createDirectory(dir.resolve("bench"));
        Path profile = dir.resolve("host.yaml");
        Cli.Run r = probeWith(FakeBenchHost.model("stream-raw/falloc", Preset.NONE, 0.05), "--bench",
                benchDir.toString(), "--seconds", "0.1", "--output", profile.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.UNFIT);
        assertThat(r.err()).containsPattern("warning: the fit misses stream-raw/falloc none: measured"
                + " [0-9.]+ MB/s, fitted [0-9.]+ MB/s").contains("the profile is not written");
        assertThat(profile).doesNotExist();
        Cli.Run out = probeWith(FakeBenchHost.model("stream-raw/falloc", Preset.NONE, 0.05), "--bench",
                benchDir.toString(), "--seconds", "0.1");
        assertThat(out.exit()).isEqualTo(ExitCode.UNFIT);
        assertThat(out.out()).isEmpty();
    }

    /** --force writes it, with the warning in the profile's comments, and it reads back. */
    @Test
    void forceWritesAMissedFitWithItsWarningInTheComments() throws Exception {
        Path benchDir = Files.createDirectory(dir.resolve("bench"));
        Path profile = dir.resolve("host.yaml");
        Cli.Run r = probeWith(FakeBenchHost.model("stream-raw/falloc", Preset.NONE, 0.05), "--bench",
                benchDir.toString(), "--seconds", "0.1", "--force", "--output", profile.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: the fit misses stream-raw/falloc none");
        String text = Files.readString(profile);
        assertThat(text).containsPattern("(?m)^# WARNING: the fit misses stream-raw/falloc none: measured");
        assertThat(HostProfile.load(profile, "host.yaml").costs().keySet())
                .containsExactlyInAnyOrder(DeviceCosts.NAMES);
    }

    /** Measurements the model can produce fit: written, exit 0, no warning. */
    @Test
    void aFitWithinTwiceOfEveryCellIsWritten() throws Exception {
        Path benchDir = Files.createDirectory(dir.resolve("bench"));
        Path profile = dir.resolve("host.yaml");
        Cli.Run r = probeWith(FakeBenchHost.model("", Preset.NONE, 1), "--bench", benchDir.toString(),
                "--seconds", "0.1", "--output", profile.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("warning");
        assertThat(Files.readString(profile)).doesNotContain("WARNING").contains("3 runs per cell");
    }

    @Test
    void fewerThanThreeRunsOrNoDurationAreUsageErrors() throws Exception {
        Path benchDir = Files.createDirectory(dir.resolve("bench"));
        for (String[] bad : List.of(new String[] {"--repeat", "2"}, new String[] {"--seconds", "0"})) {
            Cli.Run r = Cli.run("probe", "--bench", benchDir.toString(), bad[0], bad[1]);
            assertThat(r.exit()).as(String.join(" ", bad)).isEqualTo(ExitCode.USAGE);
        }
    }

    private static List<String> speeds(String json) {
        return json.lines().filter(l -> l.contains("MBps")).toList();
    }

    private static String withoutMemoryAvailable(String profile) {
        return profile.replaceAll("(?m)^memory-available: .*\n", "");
    }
}
