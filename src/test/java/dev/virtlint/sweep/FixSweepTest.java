package dev.virtlint.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixSweepTest {

    @TempDir
    Path dir;

    private static final String DOMAIN = """
            <domain type='kvm'>
              <name>d</name>
              <devices>
                <disk type='file' device='disk'>
                  <source file='/var/lib/libvirt/images/d.img'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw' cache='unsafe'/>
                  <source file='/var/lib/libvirt/images/e.img'/>
                  <target dev='vdb' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;

    @Test
    void aCorpusIsFixedInACopyAndOnlyTheSettingLinesChange() throws IOException {
        Path a = dir.resolve("corpus/a.xml");
        Files.createDirectories(a.getParent());
        Files.writeString(a, DOMAIN);
        Path clean = dir.resolve("corpus/clean.args");
        Files.writeString(clean, "qemu-system-x86_64 -drive file=/srv/x.raw,if=virtio,cache=none\n");
        Map<Path, Loader.Outcome> loaded = new HashMap<>();
        loaded.put(a, Loader.load(Input.file(a.toString(), a, Input.Kind.XML)));
        loaded.put(clean, Loader.load(Input.file(clean.toString(), clean, Input.Kind.ARGS)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FixSweep sweep = new FixSweep(dir.resolve("corpus"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        sweep.run(List.of(a, clean), loaded);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(sweep.failures()).isEmpty();
        assertThat(out).contains("round trip: 2 files printed back byte-identical, 0 differ")
                .contains("fix over a copy: 1 files changed, 1 unchanged, 0 skipped, 0 failed; 2 disks fixed, 2 lines changed");
        assertThat(Files.readString(a)).as("the corpus itself is not touched").isEqualTo(DOMAIN);
    }

    @Test
    void aChangeBeyondTheSettingsIsCaught() throws IOException {
        Path a = dir.resolve("a.xml");
        Files.writeString(a, DOMAIN);
        Path good = dir.resolve("good.xml");
        Files.writeString(good, DOMAIN.replace("cache='unsafe'", "cache='none'")
                .replace("      <source file='/var/lib/libvirt/images/d.img'/>",
                        "      <driver cache='none'/>\n      <source file='/var/lib/libvirt/images/d.img'/>"));
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, DOMAIN.replace("type='raw' cache='unsafe'", "type=\"raw\" cache='none'")
                .replace("  <name>d</name>\n", ""));
        FixSweep sweep = new FixSweep(dir, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(sweep.checkLines(a, good)).isEqualTo(2);
        assertThat(sweep.failures()).isEmpty();
        sweep.checkLines(a, bad);
        assertThat(sweep.failures()).hasSize(2);
        assertThat(sweep.failures().get(0)).contains("was removed: <name>d</name>");
        assertThat(sweep.failures().get(1)).contains("changed beyond its settings");
    }

    @Test
    void aBlockdevSwitchChangedInItsJsonIsASettingAndNothingElseIs() throws IOException {
        String args = "-blockdev '{\"driver\":\"file\",\"filename\":\"/a.raw\",\"node-name\":\"s\","
                + "\"cache\":{\"direct\":false,\"no-flush\":true}}' \\\n"
                + "-device '{\"driver\":\"virtio-blk-pci\",\"drive\":\"s\",\"id\":\"d\",\"write-cache\":\"off\"}'\n";
        Path a = dir.resolve("a.args");
        Files.writeString(a, args);
        Path good = dir.resolve("good.args");
        Files.writeString(good, args.replace("\"direct\":false,\"no-flush\":true", "\"direct\":true,\"no-flush\":false")
                .replace("\"write-cache\":\"off\"", "\"write-cache\":\"on\""));
        Path bad = dir.resolve("bad.args");
        Files.writeString(bad, args.replace("\"/a.raw\"", "\"/b.raw\""));
        FixSweep sweep = new FixSweep(dir, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(sweep.checkLines(a, good)).isEqualTo(2);
        assertThat(sweep.failures()).isEmpty();
        sweep.checkLines(a, bad);
        assertThat(sweep.failures()).singleElement().satisfies(f -> assertThat(f).contains("changed beyond its settings"));
    }
}
