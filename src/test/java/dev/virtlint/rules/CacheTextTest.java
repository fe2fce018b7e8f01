package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Messages and fix texts name a QEMU disk's cache settings as the file writes them, never by a
 * mode name that is written nowhere (such as {@code cache=custom}).
 */
class CacheTextTest {

    private static List<Finding> lint(String args) {
        Loader.Outcome o = Loader.load(new Input("run.args", null, Input.Kind.ARGS,
                args.getBytes(StandardCharsets.UTF_8)));
        assertThat(o.error()).isNull();
        ParsedFile file = o.file();
        return Linter.lint(file, Linter.Settings.defaults(), false);
    }

    private static Finding only(List<Finding> findings, String rule) {
        return findings.stream().filter(f -> f.rule().equals(rule)).findFirst().orElseThrow();
    }

    @Test
    void driveSwitchesAreNamedAsWrittenWithThePresetTheyAmountTo() {
        Finding f = only(lint("qemu-system-x86_64 -drive file=/srv/a.img,if=virtio,cache.direct=off,cache.no-flush=on\n"),
                "unsafe-cache-persistent-disk");
        assertThat(f.message()).contains("uses cache.direct=off,cache.no-flush=on (the switches of cache=unsafe) but");
        assertThat(named(f.fix())).isEqualTo("cache.direct=off,cache.no-flush=on -> cache=none,cache.direct=on,cache.no-flush=off");
    }

    @Test
    void aCombinationNoPresetGivesIsNeverCalledCustom() {
        List<Finding> findings = lint("qemu-system-x86_64 -drive file=/srv/b.img,if=none,id=d0,cache.writeback=off,"
                + "cache.no-flush=on -device virtio-blk-pci,drive=d0,id=vd0\n");
        assertThat(findings).isNotEmpty();
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.message()).doesNotContain("custom");
            assertThat(f.fix()).doesNotContain("custom");
        });
        assertThat(only(findings, "unsafe-cache-persistent-disk").message())
                .contains("uses cache.writeback=off,cache.no-flush=on but");
    }

    @Test
    void theDevicesWriteCacheIsNamedWhereItIsWritten() {
        Finding f = only(lint("qemu-system-x86_64 -drive file=/srv/c.img,if=none,id=d0,cache=unsafe"
                + " -device virtio-blk-pci,drive=d0,id=vd0,write-cache=off\n"), "unsafe-cache-persistent-disk");
        assertThat(f.message()).contains("uses cache=unsafe and write-cache=off on the device but");
        assertThat(named(f.fix())).isEqualTo("cache=unsafe and write-cache=off on the device -> cache=none and write-cache=on"
                + " on the device");
    }

    @Test
    void aWrittenPresetIsNotNamedTwice() {
        Finding f = only(lint("qemu-system-x86_64 -drive file=/srv/f.img,if=none,id=d0,cache=unsafe"
                + " -device virtio-blk-pci,drive=d0,id=vd0,write-cache=on\n"), "unsafe-cache-persistent-disk");
        assertThat(f.message()).contains("uses cache=unsafe and write-cache=on on the device but");
    }

    @Test
    void aBlockdevFixNamesTheNodeItEdits() {
        Finding f = only(lint("qemu-system-x86_64"
                + " -blockdev '{\"driver\":\"file\",\"filename\":\"/srv/d.raw\",\"node-name\":\"d-file\","
                + "\"cache\":{\"direct\":false,\"no-flush\":true}}'"
                + " -device '{\"driver\":\"virtio-blk-pci\",\"drive\":\"d-file\",\"id\":\"vd0\"}'\n"),
                "unsafe-cache-persistent-disk");
        assertThat(f.message()).contains("uses cache.direct=false,cache.no-flush=true on node d-file"
                + " (the switches of cache=unsafe) but");
        assertThat(named(f.fix())).isEqualTo("cache.direct=false,cache.no-flush=true on node d-file"
                + " -> cache.direct=true,cache.no-flush=false on node d-file");
    }

    @Test
    void aDetectZeroesFindingOnAQemuStringDescribesQemuNotLibvirt() {
        Finding f = only(lint("qemu-system-x86_64 -drive file=/srv/e.img,if=virtio,cache=none,detect-zeroes=unmap\n"),
                "detect-zeroes-unmap-without-discard");
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.message()).contains("QEMU refuses to open it").doesNotContain("libvirt");
    }

    /** The fix text without the note on an assumed O_DIRECT (AssumedHostFactsTest checks that note). */
    private static String named(String fix) {
        int note = fix.indexOf("; assumes O_DIRECT works on ");
        return note < 0 ? fix : fix.substring(0, note);
    }
}
