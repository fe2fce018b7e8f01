package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheModeRefusedRuleTest {

    private static List<Finding> lint(String name, String text) {
        Input.Kind kind = name.endsWith(".args") ? Input.Kind.ARGS : Input.Kind.XML;
        Loader.Outcome o = Loader.load(new Input(name, null, kind, text.getBytes(StandardCharsets.UTF_8)));
        assertThat(o.error()).isNull();
        ParsedFile file = o.file();
        return Linter.lint(file, Linter.Settings.defaults(), false);
    }

    private static String vdpa(String driver) {
        return "<domain type='kvm'><name>v</name><devices><disk type='vhostvdpa' device='disk'>" + driver
                + "<source dev='/dev/vhost-vdpa-0'/><target dev='vda' bus='virtio'/></disk></devices></domain>";
    }

    @Test
    void libvirtTakesOnlyNoneAndDirectsyncForVhostVdpa() {
        for (String mode : new String[] {"writeback", "writethrough", "unsafe"}) {
            List<Finding> f = lint("v.xml", vdpa("<driver name='qemu' type='raw' cache='" + mode + "'/>"));
            assertThat(f).as(mode).singleElement().satisfies(one -> {
                assertThat(one.rule()).isEqualTo("cache-mode-refused");
                assertThat(one.severity()).isEqualTo(Severity.ERROR);
                assertThat(one.message()).contains("uses cache='" + mode + "'",
                        "disk type 'vhostvdpa' requires cache mode 'directsync' or 'none'");
            });
        }
        assertThat(lint("v.xml", vdpa("<driver name='qemu' type='raw'/>")))
                .extracting(Finding::message).singleElement().asString().contains("gives no cache mode");
        assertThat(lint("v.xml", vdpa("")))
                .extracting(Finding::rule).containsExactly("cache-mode-refused");
        assertThat(lint("v.xml", vdpa("<driver name='qemu' type='raw' cache='none'/>"))).isEmpty();
        assertThat(lint("v.xml", vdpa("<driver name='qemu' type='raw' cache='directsync'/>")))
                .noneMatch(f -> f.rule().equals("cache-mode-refused"));
    }

    @Test
    void aValueThatIsNoCacheModeIsLeftToTheRuleForUnknownValues() {
        assertThat(lint("v.xml", vdpa("<driver name='qemu' type='raw' cache='writeback-please'/>")))
                .noneMatch(f -> f.rule().equals("cache-mode-refused"));
    }

    @Test
    void qemuRefusesTheVhostVdpaDriverWithoutODirect() {
        String drive = "qemu-system-x86_64 -drive file.driver=virtio-blk-vhost-vdpa,file.path=/dev/vhost-vdpa-0,"
                + "if=virtio,cache=";
        assertThat(lint("q.args", drive + "writeback\n")).extracting(Finding::message).singleElement().asString()
                .contains("uses cache=writeback", "'cache.direct=off is not supported'");
        assertThat(lint("q.args", drive + "none\n")).isEmpty();
        String blockdev = "qemu-system-x86_64 -blockdev '{\"driver\":\"virtio-blk-vhost-vdpa\",\"path\":"
                + "\"/dev/vhost-vdpa-0\",\"node-name\":\"v0\"%s}' -device virtio-blk-pci,drive=v0,id=disk0\n";
        assertThat(lint("b.args", String.format(blockdev, ""))).extracting(Finding::message).singleElement()
                .asString().contains("gives no cache mode (cache.direct=off by default)");
        assertThat(lint("b.args", String.format(blockdev, ",\"cache\":{\"direct\":true}"))).isEmpty();
    }

    @Test
    void qemuRefusesTheOtherLibblkioDriversThatNeedODirect() {
        String blockdev = "qemu-system-x86_64 -blockdev '{\"driver\":\"%s\",\"path\":\"%s\","
                + "\"node-name\":\"b0\"%s}' -device virtio-blk-pci,drive=b0,id=disk0\n";
        assertThat(lint("u.args", String.format(blockdev, "virtio-blk-vhost-user", "/run/vhost.sock", "")))
                .extracting(Finding::message).singleElement().asString()
                .contains("QEMU's virtio-blk-vhost-user driver refuses it");
        assertThat(lint("n.args", String.format(blockdev, "nvme-io_uring", "/dev/ng0n1",
                ",\"cache\":{\"direct\":false}"))).extracting(Finding::message).singleElement().asString()
                .contains("uses cache.direct=off", "QEMU's nvme-io_uring driver refuses it");
        assertThat(lint("i.args", String.format(blockdev, "io_uring", "/vm/a.img", "")))
                .noneMatch(f -> f.rule().equals("cache-mode-refused"));
    }

    @Test
    void otherDisksAreNotThisRulesBusiness() {
        String file = "<domain type='kvm'><name>f</name><devices><disk type='file' device='disk'>"
                + "<driver name='qemu' type='raw' cache='writeback'/><source file='/vm/a.img'/>"
                + "<target dev='vda' bus='virtio'/></disk></devices></domain>";
        assertThat(lint("f.xml", file)).noneMatch(f -> f.rule().equals("cache-mode-refused"));
    }
}
