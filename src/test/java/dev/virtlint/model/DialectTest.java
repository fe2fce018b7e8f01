package dev.virtlint.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dialect's table of names agrees with the readers: each setting's name, as the dialect
 * gives it, is the name written just before the value the reader recorded for that setting.
 */
class DialectTest {

    private static Disk only(String name, Input.Kind kind, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Loader.Outcome o = Loader.load(new Input(name, null, kind, bytes));
        assertThat(o.error()).as("load error").isNull();
        assertThat(o.file().disks()).hasSize(1);
        return o.file().disks().get(0);
    }

    /** The settings whose value in {@code text} is not preceded by the dialect's name for them. */
    private static List<String> misnamed(Disk disk, String text, String quote) {
        List<String> wrong = new ArrayList<>();
        for (Setting s : Setting.values()) {
            String name = disk.dialect().name(s);
            if (name == null || disk.setting(s).isEmpty()) {
                continue;
            }
            int at = disk.setting(s).get().span().start();
            int nameStart = at - quote.length() - 1 - name.length();
            boolean whole = nameStart == 0 || (nameStart > 0
                    && " ,\n".indexOf(text.charAt(nameStart - 1)) >= 0);
            if (!whole || !text.substring(0, at).endsWith(name + "=" + quote)) {
                wrong.add(s + " is named " + name + " but written as ..."
                        + text.substring(Math.max(0, at - 20), at));
            }
        }
        return wrong;
    }

    @Test
    void libvirtNamesAreTheAttributesTheXmlReaderRecords() {
        String xml = """
                <domain type='kvm'><name>t</name><devices>
                  <disk type='file' device='disk'>
                    <driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'
                            detect_zeroes='unmap'/>
                    <source file='/a.img'/>
                    <target dev='vda' bus='virtio'/>
                  </disk>
                </devices></domain>
                """;
        Disk disk = only("t.xml", Input.Kind.XML, xml);
        assertThat(misnamed(disk, xml, "'")).isEmpty();
        for (Setting s : List.of(Setting.CACHE, Setting.IO, Setting.DISCARD, Setting.DETECT_ZEROES,
                Setting.FORMAT, Setting.SOURCE, Setting.TARGET, Setting.BUS)) {
            assertThat(disk.dialect().name(s)).as(s.name()).isNotNull();
            assertThat(disk.setting(s)).as(s.name()).isPresent();
        }
        assertThat(disk.dialect().render("cache", "none")).isEqualTo("cache='none'");
    }

    @Test
    void qemuNamesAreTheOptionsTheQemuReaderRecords() {
        String args = "qemu-system-x86_64 -drive file=/a.img,if=none,id=d0,format=qcow2,cache=none,"
                + "aio=native,discard=unmap,detect-zeroes=unmap,cache.direct=on,cache.no-flush=off,"
                + "cache.writeback=on,readonly=off,snapshot=off"
                + " -device virtio-blk-pci,drive=d0,write-cache=on\n";
        Disk disk = only("t.args", Input.Kind.ARGS, args);
        assertThat(misnamed(disk, args, "")).isEmpty();
        List<Setting> unrecorded = new ArrayList<>();
        for (Setting s : Setting.values()) {
            String name = disk.dialect().name(s);
            if (name != null) {
                // The reverse lookup, which the QEMU editor uses, gives the setting back.
                assertThat(disk.dialect().setting(name)).as(name).isEqualTo(s);
                if (disk.setting(s).isEmpty()) {
                    unrecorded.add(s);
                }
            }
        }
        // Every setting the table names for QEMU is written above and the reader records each:
        // a setting it stops recording, or a new row the drive above does not write, fails here.
        assertThat(unrecorded).as("settings of the table the drive does not record").isEmpty();
        assertThat(disk.dialect().render("cache", "none")).isEqualTo("cache=none");
    }
}
