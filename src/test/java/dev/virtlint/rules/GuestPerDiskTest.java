package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.facts.Flushes;
import dev.virtlint.facts.GuestFact;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guest is resolved per disk, for the disk's bus: rows of the guest table that apply to one
 * bus, QEMU's own writethrough for virtio-blk drivers without flush (info, not error), and metadata and
 * configuration that win on every bus.
 */
class GuestPerDiskTest {

    private static final String RULE = "flushless-guest-write-cache";

    private static String domain(String os, String metadata, String disks) {
        return "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
                + "  <name>guest</name>\n  <metadata>\n"
                + "    <libosinfo:libosinfo"
                + " xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
                + "      <libosinfo:os id='" + os + "'/>\n    </libosinfo:libosinfo>\n"
                + metadata + "  </metadata>\n  <devices>\n" + disks + "  </devices>\n</domain>\n";
    }

    private static String disk(String cache, String dev, String bus) {
        return "    <disk type='file' device='disk'>\n"
                + "      <driver name='qemu' type='raw' cache='" + cache + "'/>\n"
                + "      <source file='/srv/vm/" + dev + ".img'/>\n"
                + "      <target dev='" + dev + "'" + (bus == null ? "" : " bus='" + bus + "'")
                + "/>\n"
                + "    </disk>\n";
    }

    private static ParsedFile parse(String xml) {
        return Loader.load(new Input("guest.xml", null, Input.Kind.XML,
                xml.getBytes(StandardCharsets.UTF_8))).file();
    }

    /** The flushless finding per disk target, "severity: message"; disks without one are absent. */
    private static Map<String, String> findings(String xml, Linter.Settings settings) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Finding f : Linter.lint(parse(xml), settings, false)) {
            if (f.rule().equals(RULE)) {
                out.put(f.disk().target(), f.severity().id() + ": " + f.message());
            }
        }
        return out;
    }

    @Test
    void windows7DependsOnTheBusOfEachDisk() {
        String xml = domain("http://microsoft.com/win/7", "", disk("none", "sda", "sata")
                + disk("none", "vda", "virtio") + disk("none", "sdb", "scsi")
                + disk("none", "hdc", null));
        Map<String, String> found = findings(xml, Linter.Settings.defaults());
        assertThat(found.keySet()).containsExactly("sda", "vda", "sdb", "hdc");
        // QEMU's scsi-hd advertises DPOFUA only with dpofua=on (hw/scsi/scsi-disk.c).
        assertThat(found.get("sdb")).startsWith("warning").contains("DPOFUA");
        assertThat(found.get("sda")).startsWith("warning").contains("IDE/SATA")
                .doesNotContain("viostor");
        // libvirt makes an hd* target without bus= an IDE disk.
        assertThat(found.get("hdc")).contains("IDE/SATA").doesNotContain("viostor");
        assertThat(found.get("vda")).startsWith("warning").contains("viostor");
    }

    @Test
    void anOldGuestOnVirtioBlkIsInfoBecauseQemuWritesThrough() {
        // Debian 5: Linux 2.6.26, before virtio_blk's flush support (f1b0ef062602, 2.6.32).
        String xml = domain("http://debian.org/debian/5", "", disk("writeback", "vda", "virtio")
                + disk("writeback", "hda", "ide") + disk("none", "sda", "scsi")
                + disk("unsafe", "vdb", "virtio"));
        Map<String, String> found = findings(xml, Linter.Settings.defaults());
        assertThat(found.get("vda")).startsWith("info").contains("writethrough all the same");
        assertThat(found.get("hda")).startsWith("error").doesNotContain("writethrough");
        assertThat(found.get("sda")).startsWith("warning");
        // cache.no-flush=on drops the flushes QEMU's writethrough adds.
        assertThat(found.get("vdb")).startsWith("error").contains("cache.no-flush=on drops");
        // RHEL 5's backport kernel: no changelog says what its driver negotiates.
        Map<String, String> centos = findings(domain("http://centos.org/centos/5.5", "",
                disk("writeback", "vda", "virtio")), Linter.Settings.defaults());
        assertThat(centos.get("vda")).startsWith("error").contains("whether it does is not known");
    }

    @Test
    void theInfoFindingsFiguresShowWhatQemuDoes() {
        // No loss predicted and the fix's mode already in effect: QEMU writes through.
        String xml = domain("http://debian.org/debian/5", "", disk("none", "vda", "virtio"));
        Finding f = Linter.lint(parse(xml), Linter.Settings.defaults(), true).stream()
                .filter(x -> x.rule().equals(RULE)).findFirst().orElseThrow();
        assertThat(f.evidence().current().loss().powerLoss().p95()).isZero();
        assertThat(f.evidence().current().cache()).isEqualTo(f.evidence().recommended().cache());
    }

    @Test
    void aQemuVirtioBlkDriveOfAnOldGuestIsInfoToo() {
        String args = "  <qemu:commandline>\n"
                + "    <qemu:arg value='-drive'/>\n"
                + "    <qemu:arg value='file=/srv/vm/a.img,if=virtio,cache=writeback'/>\n"
                + "    <qemu:arg value='-drive'/>\n"
                + "    <qemu:arg value='file=/srv/vm/b.img,if=none,id=b,cache=writeback'/>\n"
                + "    <qemu:arg value='-device'/>\n"
                + "    <qemu:arg value='virtio-blk-pci,drive=b'/>\n"
                + "    <qemu:arg value='-drive'/>\n"
                + "    <qemu:arg value='file=/srv/vm/c.img,if=ide,cache=writeback'/>\n"
                + "  </qemu:commandline>\n";
        String xml = domain("http://ubuntu.com/ubuntu/8.04", "", "").replace("</domain>",
                args + "</domain>");
        List<String> severities = Linter.lint(parse(xml), Linter.Settings.defaults(), false)
                .stream().filter(f -> f.rule().equals(RULE)).map(f -> f.severity().id()).toList();
        assertThat(severities).containsExactlyInAnyOrder("info", "info", "error");
    }

    @Test
    void aDriveWithoutIfHasAnUnknownBusUnlessTheMachineDefaultsToIde() {
        // QEMU takes the machine's block_default_type: IF_VIRTIO on arm virt, IF_IDE on x86 pc.
        List<String> buses = new java.util.ArrayList<>();
        for (String line : List.of("qemu-system-aarch64 -M virt -drive file=/srv/a.img",
                "qemu-system-x86_64 -M pc -drive file=/srv/a.img")) {
            ParsedFile file = Loader.load(new Input("vm.args", null, Input.Kind.ARGS,
                    line.getBytes(StandardCharsets.UTF_8))).file();
            buses.add(Linter.bus(file.disks().get(0)));
        }
        assertThat(buses).containsExactly(null, "ide");
    }

    @Test
    void writethroughCostsNothingWhereQemuWritesThroughAnyway() {
        // Ubuntu 9.10 flushes (ext4), but its virtio-blk driver negotiates no flush feature.
        String xml = domain("http://ubuntu.com/ubuntu/9.10", "", disk("directsync", "vda", "virtio")
                + disk("directsync", "hda", "ide"));
        // A read-mostly guest, for which the simulator predicts none far faster than directsync
        // (the rule is silent where it predicts no meaningful gain).
        Linter.Settings d = Linter.Settings.defaults();
        Linter.Settings readMostly = new Linter.Settings(d.select(), d.ignore(), d.policy(), d.host(),
                d.rules(), d.severities(), d.disabled(), d.scratch(), d.guests(),
                name -> dev.virtlint.sim.Workload.READ_MOSTLY);
        List<String> disks = Linter.lint(parse(xml), readMostly, false).stream()
                .filter(f -> f.rule().equals("writethrough-on-flushing-guest"))
                .map(f -> f.disk().target()).toList();
        assertThat(disks).containsExactly("hda");
    }

    @Test
    void metadataAndConfigurationWinOnEveryBus() {
        String disks = disk("writeback", "vda", "virtio") + disk("writeback", "hda", "ide");
        String note = "    <virtlint:virtlint"
                + " xmlns:virtlint='http://virtlint.dev/xmlns/domain/1.0'>\n"
                + "      <virtlint:guest flushes='no'/>\n    </virtlint:virtlint>\n";
        Map<String, String> byMetadata = findings(domain("http://centos.org/centos/5.5", note,
                disks), Linter.Settings.defaults());
        assertThat(byMetadata.values()).allSatisfy(m -> assertThat(m).startsWith("error")
                .contains("virtlint metadata"));
        // The metadata speaks of the filesystem: Debian 5's driver still negotiates no flush.
        Map<String, String> debian = findings(domain("http://debian.org/debian/5", note, disks),
                Linter.Settings.defaults());
        assertThat(debian.get("vda")).startsWith("info").contains("writethrough all the same");
        assertThat(debian.get("hda")).startsWith("error");

        Linter.Settings d = Linter.Settings.defaults();
        GuestFact fact = new GuestFact(Flushes.NO, "the appliance mounts ext3 with barrier=0",
                "config");
        Linter.Settings configured = new Linter.Settings(d.select(), d.ignore(), d.policy(),
                d.host(), d.rules(), d.severities(), d.disabled(), d.scratch(),
                (name, bus) -> name.equals("guest") ? fact : null, d.workloads());
        Map<String, String> byConfig = findings(domain("http://ubuntu.com/ubuntu/22.04", "", disks),
                configured);
        assertThat(byConfig).containsOnlyKeys("vda", "hda");
        assertThat(byConfig.values()).allSatisfy(m -> assertThat(m).startsWith("error")
                .contains("barrier=0"));
        // Ubuntu 22.04's driver negotiates flush (its row says so): no clause about QEMU's
        // writethrough, which only an unknown driver gets.
        assertThat(byConfig.get("vda")).doesNotContain("safe but slow")
                .doesNotContain("writes this disk through");
    }
}
