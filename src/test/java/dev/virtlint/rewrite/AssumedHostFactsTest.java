package dev.virtlint.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.rules.FixPlan;
import dev.virtlint.advise.Advisor;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Linter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Without a host profile, /dev/shm and /run are assumed to be tmpfs: findings that rest on that
 * say so and their fixes are unsafe; with a profile that states the mount, they are safe. Where
 * O_DIRECT is only assumed to work (no profile entry), a fix that turns it on is unsafe too. The
 * domains name their guest OS, so that the guest's flushing is stated and only the host's facts
 * are under test.
 */
class AssumedHostFactsTest {

    private static String domain(String path, String cache) {
        return "<domain type='kvm'>\n  <name>vm</name>\n" + OS
                + "  <devices>\n    <disk type='file' device='disk'>\n"
                + "      <driver name='qemu' type='qcow2'" + (cache == null ? "" : " cache='" + cache + "'") + "/>\n"
                + "      <source file='" + path + "'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n"
                + "  </devices>\n</domain>\n";
    }

    /** The guest: RHEL 9, which the guest table knows to flush. */
    private static final String OS = "  <metadata>\n    <libosinfo:libosinfo"
            + " xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
            + "      <libosinfo:os id='http://redhat.com/rhel/9.4'/>\n    </libosinfo:libosinfo>\n"
            + "  </metadata>\n";

    private static ParsedFile load(String text) {
        return Loader.load(new Input("vm.xml", null, Input.Kind.XML, text.getBytes(StandardCharsets.UTF_8))).file();
    }

    private static Linter.Settings on(HostFacts host) {
        return new Linter.Settings(Set.of(), Set.of(), Advisor.Policy.AVOID, host);
    }

    /** A profile that states /run and /dev/shm as tmpfs, on a kernel whose tmpfs refuses O_DIRECT. */
    private static final HostFacts STATED = new HostFacts("6.1.0", List.of(new HostFacts.Mount("/", "ext4"),
            new HostFacts.Mount("/run", "tmpfs"), new HostFacts.Mount("/dev/shm", "tmpfs")));

    @Test
    void theDefaultMountsAreAssumedAndSaySo() {
        HostFacts.DirectIo run = HostFacts.defaults().directIo("/run/vdsm/storage/sd/img/vol");
        assertThat(run.supported()).isEmpty();
        assertThat(run.assumption()).isEqualTo("assumed tmpfs: no host profile says what /run is");
        assertThat(run.reason()).contains("(assumed tmpfs: no host profile says what /run is)");
        assertThat(STATED.directIo("/run/vm/a.img").assumption()).isNull();
    }

    @Test
    void oVirtImagesUnderRunKeepCacheNoneWithoutAProfile() {
        ParsedFile file = load(domain("/run/vdsm/storage/sd/img/vol", "none"));
        List<Finding> findings = Linter.lint(file, Linter.Settings.defaults(), false);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("direct-io-unsupported-fs");
            assertThat(f.message()).contains("assumed tmpfs: no host profile says what /run is");
            assertThat(f.fixable()).isFalse();
            assertThat(f.fix()).isEqualTo("cache='none' -> cache='writeback'");
            assertThat(f.fixAssumptions())
                    .containsExactly("assumes /run is tmpfs: no host profile says what /run is");
        });
        FixPlan plan = Fixer.plan(file, findings);
        assertThat(plan.changed()).isFalse();
        assertThat(plan.refused()).isEmpty();
        assertThat(plan.unsafe()).singleElement().satisfies(u -> assertThat(u.assumptions())
                .containsExactly("assumes /run is tmpfs: no host profile says what /run is"));
        assertThat(Fixer.plan(file, findings, true).text()).contains("cache='writeback'");
    }

    @Test
    void aProfileThatStatesTheMountLetsTheFixApply() {
        ParsedFile file = load(domain("/run/vm/a.qcow2", "none"));
        List<Finding> findings = Linter.lint(file, on(STATED), false);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.message()).doesNotContain("assumed").contains("before Linux 6.6");
            assertThat(f.fixable()).isTrue();
            assertThat(f.fix()).isEqualTo("cache='none' -> cache='writeback'");
        });
        FixPlan plan = Fixer.plan(file, findings);
        assertThat(plan.refused()).isEmpty();
        assertThat(plan.text()).contains("cache='writeback'");
    }

    @Test
    void aProfileThatLeavesRunOutStillOnlyAssumesIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path profile = dir.resolve("node1.yaml");
        java.nio.file.Files.writeString(profile, "kernel: \"6.1.0\"\nmounts:\n  - {path: /, fstype: ext4}\n");
        HostFacts partial = dev.virtlint.facts.HostProfile.load(profile, "hosts/node1.yaml");
        HostFacts.DirectIo run = partial.directIo("/run/vm/a.img");
        assertThat(run.assumption()).isEqualTo("assumed tmpfs: the host profile hosts/node1.yaml does not say what"
                + " /run is");
        assertThat(run.supported()).contains(false);
        assertThat(partial.directIo("/srv/a.img").assumption()).isNull();
    }

    @Test
    void whereODirectIsOnlyAssumedToWorkAFixThatTurnsItOnIsUnsafe() {
        ParsedFile file = load(domain("/var/lib/libvirt/images/a.qcow2", "writeback"));
        List<Finding> findings = Linter.lint(file, Linter.Settings.defaults(), false);
        assertThat(findings).isNotEmpty().allSatisfy(f -> {
            assertThat(f.fix()).isEqualTo("cache='writeback' -> cache='none'");
            assertThat(f.fixAssumptions()).containsExactly("assumes O_DIRECT works on"
                    + " /var/lib/libvirt/images/a.qcow2: no host profile");
            assertThat(f.safety()).isEqualTo("unsafe");
        });
        assertThat(Fixer.plan(file, findings).changed()).isFalse();
        assertThat(Fixer.plan(file, findings, true).text()).contains("cache='none'");
    }

    @Test
    void aBlockDeviceOrAStatedMountAssumesNothing() {
        ParsedFile file = load(domain("/var/lib/libvirt/images/a.qcow2", "writeback"));
        HostFacts stated = new HostFacts("6.1.0", List.of(new HostFacts.Mount("/", "ext4")));
        assertThat(Linter.lint(file, on(stated), false)).isNotEmpty().allSatisfy(f -> {
            assertThat(f.fix()).isEqualTo("cache='writeback' -> cache='none'");
            assertThat(f.assumptions()).isEmpty();
            assertThat(f.safety()).isEqualTo("safe");
        });
    }

    @Test
    void aFixThatDoesNotUseODirectCarriesNoODirectAssumption() {
        // cache='unsafe' on /dev/shm without a profile: the advice (writeback) avoids O_DIRECT, but it
        // is chosen because /dev/shm is assumed to be tmpfs, so it is unsafe all the same.
        ParsedFile file = load(domain("/dev/shm/a.img", "unsafe"));
        List<Finding> findings = Linter.lint(file, Linter.Settings.defaults(), false);
        assertThat(findings).isNotEmpty().allSatisfy(f -> assertThat(f.fixAssumptions())
                .containsExactly("assumes /dev/shm is tmpfs: no host profile says what"
                        + " /dev/shm is"));
        assertThat(Fixer.plan(file, findings).changed()).isFalse();
        // On a stated tmpfs the same advice is applied.
        assertThat(Fixer.plan(file, Linter.lint(file, on(STATED), false)).text()).contains("cache='writeback'");
    }
    private static ParsedFile args(String text) {
        return Loader.load(new Input("run.args", null, Input.Kind.ARGS, text.getBytes(StandardCharsets.UTF_8)))
                .file();
    }

    @Test
    void aPathFromAVariableOrARelativePathIsAssumedToTakeODirectAndSaysSo() {
        // No profile entry can be matched to $IMG (set when the script runs) or to disk.qcow2
        // (resolved from QEMU's working directory): /dev/shm/... is as likely as /var/lib/....
        ParsedFile file = args("qemu-system-x86_64 -m 2048 \\\n"
                + "  -drive file=$IMG,if=virtio,format=qcow2,cache=writeback \\\n"
                + "  -drive file=disk.qcow2,if=virtio,format=qcow2,cache=writeback\n");
        List<Finding> findings = Linter.lint(file, on(STATED), false);
        assertThat(findings).filteredOn(f -> f.target().equals("virtio0")).isNotEmpty().allSatisfy(f -> assertThat(
                f.fixAssumptions()).contains("assumes O_DIRECT works on $IMG: the path comes"
                + " from a shell variable, so no host profile entry says where it is"));
        assertThat(findings).filteredOn(f -> f.target().equals("virtio1")).isNotEmpty().allSatisfy(f -> assertThat(
                f.fixAssumptions()).contains("assumes O_DIRECT works on disk.qcow2: a relative path,"
                + " so no host profile entry says where it is"));
    }

    @Test
    void aPoolVolumeIsNotRewrittenSinceThePoolTypeIsNotInTheDomain() {
        // A volume of an iSCSI pool with mode='direct' is a network disk: cache='none' is no advice
        // for it, and nothing in the domain XML says which kind of pool it is.
        ParsedFile file = load("<domain type='kvm'>\n  <name>vm</name>\n" + OS + "  <devices>\n"
                + "    <disk type='volume' device='disk'>\n      <driver name='qemu' type='raw' cache='writeback'/>\n"
                + "      <source pool='san' volume='unit:0:0:1'/>\n      <target dev='vda' bus='virtio'/>\n"
                + "    </disk>\n  </devices>\n</domain>\n");
        List<Finding> findings = Linter.lint(file, on(STATED), false);
        assertThat(findings).isNotEmpty().allSatisfy(f -> {
            assertThat(f.fixable()).isFalse();
            assertThat(f.fixAssumptions()).singleElement().asString()
                    .startsWith("assumes pool 'san' holds files or block devices");
        });
        FixPlan plan = Fixer.plan(file, findings);
        assertThat(plan.changed()).isFalse();
        assertThat(plan.unsafe()).singleElement().satisfies(u -> assertThat(u.assumptions())
                .singleElement().asString().startsWith("assumes pool 'san'"));
    }
}
