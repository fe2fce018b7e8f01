package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.sim.Evidence;
import dev.virtlint.sim.Workload;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * writethrough-on-flushing-guest takes its severity and message from the simulator's figures for
 * the disk's workload (issue 19, section 3): a warning that names the workload and the predicted
 * write ratio when the recommended mode is predicted at least 1.5x faster, no finding when the
 * prediction is closer than that, and never the claim that nothing is gained.
 */
class WritethroughOnFlushingGuestRuleTest {

    private static final String RULE = "writethrough-on-flushing-guest";

    /** The threshold as the rule's page states it. */
    private static final double MEANINGFUL = 1.5;

    private static String domain(String name, String os, String cache, String source) {
        return """
                <domain type='kvm'>
                  <name>%s</name>
                  <metadata>
                    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
                      <libosinfo:os id="%s"/>
                    </libosinfo:libosinfo>
                  </metadata>
                  <memory unit='GiB'>16</memory>
                  <devices>
                    %s
                  </devices>
                </domain>
                """.formatted(name, os, disk(cache, source));
    }

    private static String disk(String cache, String source) {
        if (source.startsWith("/dev/")) {
            return "<disk type='block' device='disk'><driver name='qemu' type='raw' cache='" + cache
                    + "'/><source dev='" + source + "'/><target dev='vda' bus='virtio'/></disk>";
        }
        return "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='" + cache
                + "'/><source file='" + source + "'/><target dev='vda' bus='virtio'/></disk>";
    }

    private static ParsedFile parse(String xml) {
        return Loader.load(new Input("vm.xml", null, Input.Kind.XML,
                xml.getBytes(StandardCharsets.UTF_8))).file();
    }

    /** Default settings with {@code workload} chosen for every domain (null: none chosen). */
    private static Linter.Settings choosing(Workload workload) {
        Linter.Settings d = Linter.Settings.defaults();
        return new Linter.Settings(d.select(), d.ignore(), d.policy(), d.host(), d.rules(),
                d.severities(), d.disabled(), d.scratch(), d.guests(), name -> workload);
    }

    private static Optional<Finding> finding(ParsedFile file, Linter.Settings settings,
                                             boolean withEvidence) {
        return Linter.lint(file, settings, withEvidence).stream()
                .filter(f -> f.rule().equals(RULE)).findFirst();
    }

    /** The simulator's write ratio for the file's one disk, as its findings would carry it. */
    private static double ratio(ParsedFile file, Linter.Settings settings) {
        Evidence e = Linter.checks(file, settings).get(0).evidence();
        return e.recommended().writeMBps() / e.current().writeMBps();
    }

    /** Two significant figures, written out here rather than taken from the rule. */
    private static String twoFigures(double r) {
        return new BigDecimal(r).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }

    @Test
    void severityAndMessageAreAFunctionOfTheFiguresForEveryWorkload() {
        int warned = 0;
        int silent = 0;
        List<String> seen = new ArrayList<>();
        for (Workload w : Workload.ALL) {
            for (String cache : List.of("writethrough", "directsync")) {
                for (String source : List.of("/dev/vg0/vm", "/srv/vm/vm.qcow2")) {
                    ParsedFile file = parse(domain("vm", "http://redhat.com/rhel/9.4", cache, source));
                    Linter.Settings settings = choosing(w);
                    double r = ratio(file, settings);
                    Optional<Finding> f = finding(file, settings, true);
                    String at = w.id() + " " + cache + " " + source + " (ratio " + r + ")";
                    seen.add(at);
                    if (r >= MEANINGFUL) {
                        warned++;
                        assertThat(f).as(at).isPresent();
                        assertThat(f.get().severity()).as(at).isEqualTo(Severity.WARNING);
                        assertThat(f.get().message()).as(at)
                                .contains("the simulator predicts " + twoFigures(r)
                                        + "x the write speed with cache='none' for the " + w.id()
                                        + " workload;")
                                .contains("makes each write durable before it completes")
                                .doesNotContain("assumed: no workload chosen")
                                .doesNotContain("nothing is gained")
                                .doesNotContain("no safety is gained");
                    } else {
                        silent++;
                        assertThat(f).as(at).isEmpty();
                    }
                }
            }
        }
        // Both sides of the threshold occur, or the loop above tests only one of them.
        assertThat(warned).as("scenarios that warn: " + seen).isPositive();
        assertThat(silent).as("scenarios that are close: " + seen).isPositive();
    }

    @Test
    void aSqlServerOnDirectsyncIsCloseAndABuildServerOnWritethroughIsNot() {
        // VEP 326's case: SQL Server on Windows Server 2025, a database workload on a
        // preallocated block device, directsync. The prediction is close: no finding, in lint
        // and in fix (which runs the rules without printing figures).
        ParsedFile sql = parse(domain("sql01", "http://microsoft.com/win/2k25", "directsync",
                "/dev/vg_db/sql01"));
        Linter.Settings database = choosing(Workload.DATABASE);
        assertThat(ratio(sql, database)).isLessThan(MEANINGFUL);
        assertThat(finding(sql, database, true)).isEmpty();
        assertThat(finding(sql, database, false)).isEmpty();

        // A build server that writes through: the figures predict far faster writes with none.
        ParsedFile build = parse(domain("build01", "http://redhat.com/rhel/9.4", "writethrough",
                "/dev/vg_build/build01"));
        Linter.Settings builds = choosing(Workload.BUILD);
        double r = ratio(build, builds);
        assertThat(r).isGreaterThanOrEqualTo(MEANINGFUL);
        for (boolean withEvidence : new boolean[] {true, false}) {
            Finding f = finding(build, builds, withEvidence).orElseThrow();
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message()).contains(twoFigures(r) + "x the write speed with cache='none'"
                    + " for the build workload;");
        }
    }

    @Test
    void aWorkloadNobodyChoseIsSaidToBeAssumed() {
        // The database workload is chosen in one run and left to the default (database) in the
        // other: the same figures, so the same outcome, but only the text of the second says the
        // workload was assumed.
        ParsedFile file = parse(domain("web01", "http://redhat.com/rhel/9.4", "writethrough",
                "/dev/vg0/web01"));
        Linter.Settings none = choosing(null);
        double r = ratio(file, none);
        Optional<Finding> assumed = finding(file, none, true);
        assertThat(assumed.isPresent()).isEqualTo(r >= MEANINGFUL);
        assumed.ifPresent(f -> assertThat(f.message())
                .contains("for the database workload (assumed: no workload chosen);"));
        Optional<Finding> chosen = finding(file, choosing(Workload.DATABASE), true);
        assertThat(chosen.isPresent()).isEqualTo(r >= MEANINGFUL);
        chosen.ifPresent(f -> assertThat(f.message()).contains("for the database workload;")
                .doesNotContain("assumed"));
    }

    @Test
    void aNetworkDiskHasNoFiguresAndSaysSo() {
        String xml = """
                <domain type='kvm'>
                  <name>db</name>
                  <metadata>
                    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
                      <libosinfo:os id="http://redhat.com/rhel/9.4"/>
                    </libosinfo:libosinfo>
                  </metadata>
                  <devices>
                    <disk type='network' device='disk'>
                      <driver name='qemu' type='raw' cache='writethrough'/>
                      <source protocol='rbd' name='pool/db'><host name='mon1'/></source>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>
                """;
        ParsedFile file = parse(xml);
        assertThat(Linter.checks(file, Linter.Settings.defaults()).get(0).evidence()).isNull();
        Finding f = finding(file, Linter.Settings.defaults(), true).orElseThrow();
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).isNull();
        assertThat(f.message()).contains("the simulator has no figures for a network disk")
                .doesNotContain("nothing is gained").doesNotContain("no safety is gained");
    }

    @Test
    void theThresholdAndTheRatioText() {
        assertThat(WritethroughOnFlushingGuestRule.MEANINGFUL).isEqualTo(MEANINGFUL);
        assertThat(WritethroughOnFlushingGuestRule.meaningful(1.5)).isTrue();
        assertThat(WritethroughOnFlushingGuestRule.meaningful(1.49)).isFalse();
        assertThat(WritethroughOnFlushingGuestRule.meaningful(0.7)).isFalse();
        assertThat(WritethroughOnFlushingGuestRule.meaningful(Double.NaN)).isFalse();
        for (double r : new double[] {2.77, 12.3, 1.5, 9.96, 1.68, 0.684}) {
            assertThat(WritethroughOnFlushingGuestRule.ratio(r)).isEqualTo(twoFigures(r));
        }
        assertThat(WritethroughOnFlushingGuestRule.ratio(2.77)).isEqualTo("2.8");
        assertThat(WritethroughOnFlushingGuestRule.ratio(9.96)).isEqualTo("10");
    }
}
