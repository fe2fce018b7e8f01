package dev.virtlint.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.rules.FixPlan;
import dev.virtlint.advise.Recommendation;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Setting;
import dev.virtlint.model.Span;
import dev.virtlint.rules.Edit;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Severity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixerTest {

    /** A guest that flushes, so the advisor says cache='none' where O_DIRECT works. */
    private static final String OS = """
              <metadata>
                <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
                  <libosinfo:os id="http://redhat.com/rhel/9.4"/>
                </libosinfo:libosinfo>
              </metadata>
            """;

    private static ParsedFile load(String name, String text) {
        Input.Kind kind = name.endsWith(".args") ? Input.Kind.ARGS : Input.Kind.XML;
        Loader.Outcome o = Loader.load(new Input(name, null, kind, text.getBytes(StandardCharsets.UTF_8)));
        assertThat(o.error()).isNull();
        return o.file();
    }

    private static FixPlan plan(String name, String text) {
        ParsedFile file = load(name, text);
        // The edits are under test, not their safety: unsafe fixes are planned too.
        return Fixer.plan(file, Linter.lint(file, Linter.Settings.defaults(), false), true);
    }

    private static String qemuDomain(String args) {
        return "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n  <name>q</name>\n" + OS
                + "  <devices/>\n  <qemu:commandline>\n" + args + "  </qemu:commandline>\n</domain>\n";
    }

    private static String vdpaDomain(String os, String driver) {
        return "<domain type='kvm'>\n  <name>v</name>\n" + os + "  <devices>\n"
                + "    <disk type='vhostvdpa' device='disk'>\n      " + driver + "\n"
                + "      <source dev='/dev/vhost-vdpa-0'/>\n      <target dev='vda' bus='virtio'/>\n"
                + "    </disk>\n  </devices>\n</domain>\n";
    }

    @Test
    void aVhostVdpaDiskIsFixedToAModeLibvirtAcceptsWhateverThePolicy() {
        String before = vdpaDomain(OS, "<driver name='qemu' type='raw' cache='writeback'/>");
        assertThat(plan("v.xml", before).text()).isEqualTo(before.replace("cache='writeback'", "cache='none'"));
        // The libguestfs school would pick writeback for a flushing guest; libvirt refuses it here.
        ParsedFile file = load("v.xml", before);
        Linter.Settings allow = new Linter.Settings(java.util.Set.of(), java.util.Set.of(),
                dev.virtlint.advise.Advisor.Policy.ALLOW, dev.virtlint.facts.HostFacts.defaults());
        List<Finding> findings = Linter.lint(file, allow, false);
        assertThat(findings).extracting(Finding::rule).containsExactly("cache-mode-refused");
        assertThat(Fixer.plan(file, findings, true).text()).contains("cache='none'");

        String flushless = OS.replace("http://redhat.com/rhel/9.4", "http://centos.org/centos/5.5");
        String noMode = vdpaDomain(flushless, "<driver name='qemu' type='raw'/>");
        assertThat(plan("v.xml", noMode).text())
                .isEqualTo(noMode.replace("type='raw'/>", "type='raw' cache='directsync'/>"));
    }

    @Test
    void cdromsWithoutReadonlyAreNeverRewritten() {
        String before = "<domain type='kvm'>\n  <name>c</name>\n" + OS + "  <devices>\n"
                + "    <disk type='file' device='cdrom'>\n      <driver name='qemu' type='raw' cache='unsafe'/>\n"
                + "      <source file='/iso/a.iso'/>\n      <target dev='sda' bus='sata'/>\n    </disk>\n"
                + "    <disk type='file' device='cdrom'>\n      <source file='/iso/b.iso'/>\n"
                + "      <target dev='sdb' bus='sata'/>\n    </disk>\n  </devices>\n</domain>\n";
        FixPlan plan = plan("c.xml", before);
        assertThat(plan.text()).isEqualTo(before);
        assertThat(plan.fixed()).isEmpty();
        String args = "qemu-system-x86_64 -drive file=/iso/a.iso,media=cdrom,cache=unsafe -cdrom /iso/b.iso\n";
        assertThat(plan("c.args", args).text()).isEqualTo(args);
    }

    @Test
    void qemuArgValueIsChangedInPlaceKeepingEntitiesAndDoubledCommas() {
        String before = qemuDomain("""
                    <qemu:arg value='-drive'/>
                    <qemu:arg value='file=/srv/a,,b&amp;c.img,if=virtio,format=raw,cache=unsafe,aio=threads'/>
                """);
        FixPlan plan = plan("q.xml", before);
        assertThat(plan.text()).isEqualTo(before.replace("cache=unsafe", "cache=none"));
        assertThat(plan.fixed()).singleElement().satisfies(d -> assertThat(d.rules())
                .contains("unsafe-cache-persistent-disk", "double-caching"));
    }

    @Test
    void qemuArgWithoutCacheGetsTheOptionAppendedInsideTheQuotes() {
        String before = qemuDomain("""
                    <qemu:arg value='-drive'/>
                    <qemu:arg value="file=/srv/x&quot;y.img,if=virtio,format=raw"/>
                """);
        assertThat(plan("q.xml", before).text())
                .isEqualTo(before.replace("format=raw\"/>", "format=raw,cache=none\"/>"));
    }

    @Test
    void shellWordsKeepTheirQuotingAndAnUnquotedDriveGetsTheOptionAtItsEnd() {
        String before = """
                #!/bin/sh
                exec qemu-system-x86_64 -m 2G \\
                    -drive 'file=/srv/vm/a b.qcow2,if=virtio,format=qcow2,cache=writeback' \\
                    -drive file=/srv/vm/c.qcow2,if=virtio,format=qcow2 \\
                    -nographic
                """;
        String after = plan("run.args", before).text();
        assertThat(after).isEqualTo(before
                .replace("cache=writeback'", "cache=none'")
                .replace("format=qcow2 \\", "format=qcow2,cache=none \\"));
    }

    @Test
    void anOptionWrittenWithEscapesIsRefusedNotGuessed() {
        String before = """
                qemu-system-x86_64 -drive file=/srv/vm/c.qcow2,if=virtio,cache=writ\\eback
                """;
        FixPlan plan = plan("run.args", before);
        assertThat(plan.changed()).isFalse();
        assertThat(plan.refused()).singleElement().satisfies(r -> assertThat(r.reason()).contains("not written as a plain value"));
    }

    @Test
    void aBlockdevFixEditsTheNodeThatOpensTheImageAndNothingElse() {
        String before = """
                qemu-system-x86_64 \\
                -blockdev driver=file,node-name=s0,filename=/srv/a.raw,cache.direct=off,cache.no-flush=on \\
                -blockdev driver=raw,node-name=f0,file=s0,cache.direct=off,cache.no-flush=on \\
                -device virtio-blk-pci,drive=f0,id=disk0
                """;
        FixPlan plan = plan("run.args", before);
        assertThat(plan.refused()).isEmpty();
        // The format node's switches change nothing in QEMU (DriveParser.fromBlockdev), so they stay.
        assertThat(plan.text()).isEqualTo(before.replace("filename=/srv/a.raw,cache.direct=off,cache.no-flush=on",
                "filename=/srv/a.raw,cache.direct=on,cache.no-flush=off"));
    }

    @Test
    void aBlockdevSwitchThatIsNotWrittenWhereItActsIsRefused() {
        String before = """
                qemu-system-x86_64 \\
                -blockdev '{"driver":"file","node-name":"s0","filename":"/srv/a.raw"}' \\
                -blockdev '{"driver":"qcow2","node-name":"f0","file":"s0","cache":{"direct":true}}' \\
                -device '{"driver":"virtio-blk-pci","drive":"f0","id":"disk0"}'
                """;
        FixPlan plan = plan("run.args", before);
        assertThat(plan.text()).isEqualTo(before);
        assertThat(plan.refused()).singleElement().satisfies(r -> assertThat(r.reason())
                .contains("add cache.direct=on (\"direct\":true under \"cache\" in JSON) there by hand"));
    }

    @Test
    void cacheSwitchesAreSetWithTheModeAndDeviceWriteCacheFollows() {
        String before = """
                qemu-system-x86_64 \\
                -drive file=/srv/a.raw,if=none,id=d0,format=raw,cache.writeback=on,cache.direct=off,cache.no-flush=on \\
                -device virtio-blk-pci,drive=d0,id=disk0,write-cache=on
                """;
        // All three switches are there, so no cache= is added; none keeps the guest's write cache on.
        assertThat(plan("run.args", before).text()).isEqualTo(before
                .replace("cache.direct=off", "cache.direct=on").replace("cache.no-flush=on", "cache.no-flush=off"));
    }

    @Test
    void aMissingDriverElementIsAddedAsTheFirstChildInTheDocumentsStyle() {
        String before = "<domain type=\"kvm\">\r\n  <name>d</name>\r\n" + OS.replace("\n", "\r\n")
                + "  <devices>\r\n    <disk type=\"file\" device=\"disk\">\r\n"
                + "      <source file=\"/var/lib/libvirt/images/d.img\"/>\r\n"
                + "      <target dev=\"vda\" bus=\"virtio\"/>\r\n    </disk>\r\n  </devices>\r\n</domain>";
        String after = plan("d.xml", before).text();
        assertThat(after).isEqualTo(before.replace("<source", "<driver cache=\"none\"/>\r\n      <source"));
    }

    @Test
    void twoFixesThatDisagreeLeaveTheDiskAlone() {
        String text = """
                <domain type='kvm'>
                  <name>d</name>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw' cache='unsafe'/>
                      <source file='/srv/d.img'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>
                """;
        ParsedFile file = load("d.xml", text);
        Span driver = file.disks().get(0).setting(Setting.DRIVER).orElseThrow().span();
        Recommendation none = new Recommendation(CacheMode.Preset.NONE, null, "because");
        Finding advised = new Finding("unsafe-cache-persistent-disk", Severity.ERROR, "m", driver, file.disks().get(0), none,
                "cache='unsafe' -> cache='none'");
        Finding custom = new Finding("site-writeback", Severity.WARNING, "m", driver, file.disks().get(0), none,
                "cache='unsafe' -> cache='writeback'", List.of(new Edit(driver, "cache", "writeback")));
        FixPlan plan = Fixer.plan(file, List.of(advised, custom));
        assertThat(plan.changed()).isFalse();
        assertThat(plan.refused()).singleElement().satisfies(r -> assertThat(r.reason()).contains("disagree about cache"));

        Finding agreeing = new Finding("site-none", Severity.WARNING, "m", driver, file.disks().get(0), none,
                "cache='unsafe' -> cache='none'", List.of(new Edit(driver, "cache", "none")));
        assertThat(Fixer.plan(file, List.of(advised, agreeing)).text())
                .isEqualTo(text.replace("cache='unsafe'", "cache='none'"));
    }

    @Test
    void optionsAreRemovedWithTheirCommaAndBooleansKeepTheirSpelling() throws Exception {
        String text = "qemu-system-x86_64 -drive discard=ignore,file=/srv/a.raw,detect-zeroes=on,if=virtio\n";
        ParsedFile file = load("a.args", text);
        TextEdits edits = new TextEdits();
        var options = new java.util.LinkedHashMap<String, String>();
        options.put("discard", null);
        options.put("detect-zeroes", null);
        QemuOptionEdits.SHELL_WORDS.apply(text, file.disks().get(0), options, edits);
        assertThat(edits.apply(text)).isEqualTo("qemu-system-x86_64 -drive file=/srv/a.raw,if=virtio\n");

        assertThat(QemuOptionEdits.spelled("on", "false")).isEqualTo("true");
        assertThat(QemuOptionEdits.spelled("off", "yes")).isEqualTo("no");
        assertThat(QemuOptionEdits.spelled("off", "on")).isEqualTo("off");
        assertThat(QemuOptionEdits.spelled("none", "unsafe")).isEqualTo("none");
    }

    @Test
    void aDriveEndingWithASeparatorGetsTheNewOptionAfterItWithoutASecondComma() {
        // QEMU reads "if=virtio," as "if=virtio"; ",," would make the value "virtio,cache=none".
        String args = "qemu-system-x86_64 -drive file=/var/lib/a.img,if=virtio,\n";
        assertThat(plan("a.args", args).text())
                .isEqualTo("qemu-system-x86_64 -drive file=/var/lib/a.img,if=virtio,cache=none\n");
        String arg = qemuDomain("""
                    <qemu:arg value='-drive'/>
                    <qemu:arg value='file=/var/lib/a.img,if=virtio,'/>
                    <qemu:arg value='-drive'/>
                    <qemu:arg value='file=/var/lib/b.img,if=virtio&#44;'/>
                """);
        assertThat(plan("q.xml", arg).text())
                .isEqualTo(arg.replace("if=virtio,'", "if=virtio,cache=none'")
                .replace("if=virtio&#44;'", "if=virtio&#44;cache=none'"));
        // A doubled comma at the end is part of the value, not a separator.
        String escaped = "qemu-system-x86_64 -drive if=virtio,file=/var/lib/c.img,,\n";
        assertThat(plan("c.args", escaped).text())
                .isEqualTo("qemu-system-x86_64 -drive if=virtio,file=/var/lib/c.img,,"
                        + ",cache=none\n");
        assertThat(QemuOptionEdits.endsWithSeparator("a=b,,,")).isTrue();
        assertThat(QemuOptionEdits.endsWithSeparator("a=b,flag,")).isTrue();
        assertThat(QemuOptionEdits.endsWithSeparator("a=b,,")).isFalse();
        assertThat(QemuOptionEdits.endsWithSeparator("a=b")).isFalse();
    }

    @Test
    void disksThatShareANameAreFixedByWhereTheFindingPoints() {
        // Two commands (install, run) each name their disk virtio0: told apart by place, not refused.
        String before = "#!/bin/sh\nif [ \"$1\" = install ]; then\n"
                + "  qemu-system-x86_64 -drive file=/vm/a.qcow2,if=virtio,format=qcow2,cache=unsafe\nelse\n"
                + "  qemu-system-x86_64 -drive file=/vm/a.qcow2,if=virtio,format=qcow2,cache=writeback\nfi\n";
        Loader.Outcome o = Loader.load(new Input("run.sh", null, Input.Kind.SHELL,
                before.getBytes(StandardCharsets.UTF_8)));
        FixPlan plan = Fixer.plan(o.file(), Linter.lint(o.file(), Linter.Settings.defaults(),
                false),
                true);
        assertThat(plan.refused()).isEmpty();
        assertThat(plan.fixed()).extracting(FixPlan.DiskFix::index).containsExactly(0, 1);
        assertThat(plan.text()).isEqualTo(before.replace("cache=unsafe", "cache=none")
                .replace("cache=writeback", "cache=none"));
        FileFix.Attempt a = FileFix.attempt(new Input("run.sh", null, Input.Kind.SHELL, null),
                before.getBytes(StandardCharsets.UTF_8), Linter.Settings.defaults(), true);
        assertThat(a.status()).isEqualTo(FileFix.Status.CHANGED);
    }

    @Test
    void aFixInABashArrayEditsTheElementKeepingItsQuotes() {
        String before = "#!/bin/bash\nargs=(\n  -m 2G\n"
                + "  -drive 'id=hd,if=none,file=/vm/hd.img,format=raw'\n  -device virtio-blk-pci,drive=hd\n)\n"
                + "qemu-system-x86_64 \"${args[@]}\"\n";
        Loader.Outcome o = Loader.load(new Input("a.sh", null, Input.Kind.SHELL,
                before.getBytes(StandardCharsets.UTF_8)));
        FixPlan plan = Fixer.plan(o.file(), Linter.lint(o.file(), Linter.Settings.defaults(),
                false),
                true);
        assertThat(plan.text()).isEqualTo(before.replace("format=raw'", "format=raw,cache=none'"));
    }

    @Test
    void anOptionAppendedToAWordWhoseLastPartIsQuotedGoesAfterTheQuote() {
        String before = "#!/bin/bash\nREPO_PATH=.\nargs=(\n"
                + "  -drive id=hd,if=none,format=qcow2,file=\"$REPO_PATH/hd.qcow2\"\n  -device virtio-blk-pci,drive=hd\n)\n"
                + "qemu-system-x86_64 \"${args[@]}\" -drive \"file=/vm/b.img,if=virtio\"\n";
        Loader.Outcome o = Loader.load(new Input("a.sh", null, Input.Kind.SHELL,
                before.getBytes(StandardCharsets.UTF_8)));
        FixPlan plan = Fixer.plan(o.file(), Linter.lint(o.file(), Linter.Settings.defaults(),
                false),
                true);
        assertThat(plan.text()).isEqualTo(before.replace("hd.qcow2\"", "hd.qcow2\",cache=none")
                .replace("if=virtio\"", "if=virtio,cache=none\""));
    }
}
