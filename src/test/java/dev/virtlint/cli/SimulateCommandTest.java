package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

    @TempDir
    Path dir;

    private static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    private static final String TWO_DISKS = """
            <domain type='kvm'>
              <name>db01</name>
              <memory unit='GiB'>8</memory>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2' cache='unsafe'/>
                  <source file='/var/lib/libvirt/images/db01.qcow2'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <disk type='file' device='cdrom'>
                  <driver name='qemu' type='raw'/>
                  <source file='/iso/install.iso'/>
                  <target dev='sda' bus='sata'/>
                  <readonly/>
                </disk>
                <disk type='block' device='disk'>
                  <driver name='qemu' type='raw' cache='none'/>
                  <source dev='/dev/vg/db01-data'/>
                  <target dev='vdb' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;

    private String file() throws IOException {
        Path p = dir.resolve("db01.xml");
        Files.writeString(p, TWO_DISKS);
        return p.toString();
    }

    /** The table's row for a mode: its cells split on runs of spaces. */
    private static List<String> row(String table, String mode) {
        return table.lines().filter(l -> l.length() > 2 && l.substring(2).startsWith(mode + " ")).findFirst()
                .map(l -> List.of(l.trim().split("\\s{2,}"))).orElseThrow();
    }

    @Test
    void aDiskOfAFileGetsAllFiveModesWithTheCurrentOneMarked() throws IOException {
        Cli.Run r = run("simulate", file() + ":vda");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("simulated: disk vda (/var/lib/libvirt/images/db01.qcow2) of domain db01")
                .contains("workload database").contains("qcow2, sparse; current mode unsafe");
        for (String mode : List.of("writeback", "none", "writethrough", "directsync", "unsafe")) {
            // mode, losses, write and read ratios, host cache: no MB/s on the assumed scale.
            assertThat(row(r.out(), mode)).hasSize(5);
        }
        assertThat(r.out().lines().filter(l -> l.startsWith("* "))).containsExactly(
                r.out().lines().filter(l -> l.startsWith("* unsafe")).findFirst().orElseThrow());
        assertThat(row(r.out(), "unsafe").get(2)).isEqualTo("1.0x");
        assertThat(r.out()).doesNotContainPattern("[0-9.]+ MB/s (writes|reads)").doesNotContain("write MB/s")
                .contains("speeds are ratios");
        // Each mode that loses something says where its figure comes from, as lint's line does.
        assertThat(r.out()).containsPattern("\n  unsafe: ~[0-9]+ MB, an upper bound: [0-9]+ s of writes at the assumed 4 MB/s"
                + " database workload\n");
        // unsafe loses on host crash what writeback (which honours the flushes) does not.
        assertThat(row(r.out(), "writeback").get(1)).isEqualTo("0 B / 0 B / 0 B");
        assertThat(row(r.out(), "unsafe").get(1)).startsWith("0 B / ").doesNotEndWith(" / 0 B");
    }

    /** The text between {@code "key": } and the end of the JSON value that starts there. */
    private static String member(String json, String key, int from) {
        int at = json.indexOf("\"" + key + "\": ", from);
        assertThat(at).as(key).isNotNegative();
        int start = at + key.length() + 4;
        int depth = 0;
        for (int i = start; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return json.substring(start, i).strip();
                }
                depth--;
            }
            if (depth == 0 && (c == '}' || c == ']' || (c == ',' && i > start))) {
                return json.substring(start, c == ',' ? i : i + 1).strip();
            }
        }
        return json.substring(start).strip();
    }

    /** The whitespace-free text of the JSON object in {@code modes} whose cache is {@code mode}. */
    private static String mode(String simulated, String mode) {
        String modes = member(simulated, "modes", 0);
        int at = modes.indexOf("\"cache\": \"" + mode + "\"");
        int start = modes.lastIndexOf('{', at);
        return member("{\"x\": " + modes.substring(start), "x", 0).replaceAll("\\s", "");
    }

    @Test
    void simulateShowsTheFiguresOfTheFindingsEvidenceForTheSameDisk() throws IOException {
        // Both come from rules/Evidences: the lint's evidence of a finding on vda is the current
        // mode's and the recommended mode's rows of simulate's table, with the same assumptions.
        String f = file();
        String lint = run("lint", "--format", "json", f).out();
        int finding = lint.indexOf("\"evidence\": ");
        assertThat(finding).isPositive();
        String current = member(lint, "current", finding).replaceAll("\\s", "");
        String recommended = member(lint, "recommended", finding).replaceAll("\\s", "");
        String advice = member(lint, "recommended", lint.indexOf("\"findings\""));
        String recommendedMode = member(advice, "cache", 0);
        Cli.Run simulated = run("simulate", "--format", "json", f + ":vda");
        assertThat(simulated.exit()).as(simulated.err()).isZero();
        String s = simulated.out();
        assertThat(current).isEqualTo(mode(s, "unsafe")).contains("\"hostCrash\":{\"p50\":");
        assertThat(recommended).isEqualTo(mode(s, recommendedMode.replace("\"", "")));
        assertThat(member(s, "assumptions", 0).replaceAll("\\s", ""))
                .isEqualTo(member(lint, "assumptions", finding).replaceAll("\\s", ""));
        assertThat(member(s, "workload", 0)).isEqualTo(member(lint, "workload", finding));
    }

    @Test
    void aDiskWithoutCacheAdviceIsNotSimulatedAndTheReasonIsGiven() throws IOException {
        Path p = dir.resolve("iso.xml");
        Files.writeString(p, TWO_DISKS.replace("      <readonly/>\n", ""));
        Cli.Run r = run("simulate", p + ":sda");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("disk sda of " + p + " gets no cache advice"
                + " (a CD-ROM, which libvirt and QEMU open read-only); nothing to simulate");
    }

    @Test
    void jsonGivesOnePredictionPerModeAndRepeatsByteForByte() throws IOException {
        Cli.Run r = run("simulate", "--format", "json", file() + ":vdb");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"modes\"").contains("\"current\": \"none\"").contains("\"preallocated\": true");
        for (String mode : List.of("writeback", "none", "writethrough", "directsync", "unsafe")) {
            assertThat(r.out()).contains("\"cache\": \"" + mode + "\"");
        }
        assertThat(r.out().split("\"powerLoss\"", -1)).hasSize(6);
        assertThat(run("simulate", "--format", "json", file() + ":vdb").out()).isEqualTo(r.out());
    }

    @Test
    void givenFactsAreSimulatedWithoutAFile() {
        Cli.Run flushing = run("simulate", "--flushes", "yes", "--workload", "build", "--format", "qcow2");
        Cli.Run not = run("simulate", "--flushes", "no", "--workload", "build", "--format", "qcow2");
        assertThat(flushing.exit()).isZero();
        assertThat(row(flushing.out(), "writeback").get(1)).isEqualTo("0 B / 0 B / 0 B");
        assertThat(row(not.out(), "writeback").get(1)).isNotEqualTo("0 B / 0 B / 0 B");
        assertThat(not.out()).contains("guest does not flush; qcow2, sparse; current mode writeback");
        Cli.Run guest = run("simulate", "--guest", "http://redhat.com/rhel/5.4", "--cache", "unsafe");
        assertThat(guest.exit()).as(guest.err()).isZero();
        assertThat(guest.out()).contains("current mode unsafe");
    }

    @Test
    void wrongArgumentsAreUsageErrors() throws IOException {
        String f = file();
        Cli.Run several = run("simulate", f);
        assertThat(several.exit()).isEqualTo(2);
        assertThat(several.err()).contains("several writable disks").contains("vda, vdb");
        assertThat(run("simulate", f + ":sda").err()).contains("disk sda of " + f + " gets no cache advice (read-only)");
        assertThat(run("simulate", f + ":vdz").err()).contains("has no disk vdz; writable disks: vda, vdb");
        assertThat(run("simulate", "--workload", "oltp").err()).contains("unknown workload 'oltp'");
        assertThat(run("simulate", "--format", "vmdk").exit()).isEqualTo(2);
        assertThat(run("simulate", "--guest", "x", "--flushes", "no").exit()).isEqualTo(2);
    }

    @Test
    void aHostProfileWithSomeCostsChangesTheRatiosButNotTheScale() throws IOException {
        Path profile = dir.resolve("host.yaml");
        Files.writeString(profile, "memory: 64GiB\ncosts:\n  copy-mbps: 400\n  flush-us: 4000\n");
        Cli.Run plain = run("simulate", "--flushes", "yes");
        Cli.Run measured = run("simulate", "--flushes", "yes", "--host", profile.toString());
        // Writes relative to writeback, the current mode of given facts.
        assertThat(row(measured.out(), "none").get(2)).isNotEqualTo(row(plain.out(), "none").get(2));
        assertThat(row(measured.out(), "writethrough").get(2))
                .isNotEqualTo(row(plain.out(), "writethrough").get(2));
        assertThat(measured.out()).doesNotContain("host memory 16 GiB");
        // Two costs stated by hand leave the others at the built-in, assumed scale: no MB/s.
        assertThat(row(measured.out(), "none")).hasSize(5);
        assertThat(measured.out()).doesNotContain("measured on");
        // The same for a disk of a file (its current mode is none).
        String f = file() + ":vdb";
        assertThat(row(run("simulate", "--host", profile.toString(), f).out(), "writeback").get(2))
                .isNotEqualTo(row(run("simulate", f).out(), "writeback").get(2));
    }
}
