package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The qcow2 L2 cache's loss (review-loss #1-#5): a note of its own for a qcow2 image not stated
 * preallocated whose QEMU caches stay dirty, never a part of the QEMU crash, host crash or power
 * loss figures; qcow2 on a block device gets it too, a stated preallocated image, a raw image or
 * a flushing guest does not.
 */
class Qcow2MetadataNoteTest {

    @TempDir
    Path dir;

    private static final String NOTE = "note: qcow2 metadata, not in the figures: ";

    private Path domain(String name, String flushes, String disk) throws IOException {
        Path p = dir.resolve(name + ".xml");
        Files.writeString(p, """
                <domain type='kvm'>
                  <name>%s</name>
                  <metadata>
                    <virtlint:virtlint xmlns:virtlint="http://virtlint.dev/xmlns/domain/1.0">
                      <virtlint:guest flushes="%s"/>
                    </virtlint:virtlint>
                  </metadata>
                  <memory unit='GiB'>4</memory>
                  <devices>
                %s
                  </devices>
                </domain>
                """.formatted(name, flushes, disk));
        return p;
    }

    private static String file(String format, String path) {
        return """
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='%s' cache='writeback'/>
                      <source file='%s'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>""".formatted(format, path);
    }

    private static List<String> notes(String out) {
        return out.lines().map(String::strip).filter(l -> l.startsWith(NOTE)).toList();
    }

    @Test
    void aSparseQcow2FileUnderWritebackWithAGuestThatDoesNotFlushGetsTheNoteNotAFigure() throws IOException {
        Path f = domain("fill", "no", file("qcow2", "/var/lib/libvirt/images/fill.qcow2"));
        String text = Cli.run("lint", f.toString()).out();
        List<String> notes = notes(text);
        assertThat(notes).as(text).hasSize(1);
        // The bounds, from the closed forms: (64 KiB / 8) x 64 KiB and (64 KiB x 8 / 16) x 64 KiB.
        long inOrder = (65536L / 8) * 65536L;
        long scattered = (65536L * 8 / 16) * 65536L;
        assertThat(inOrder).isEqualTo(512L << 20);
        assertThat(scattered).isEqualTo(2L << 30);
        assertThat(notes.get(0)).contains("up to 512 MiB while the image is filled in order")
                .contains("up to about 2 GiB when allocation is scattered")
                .contains("writes into allocated clusters lose nothing")
                .contains("preallocation=metadata");
        // No figure line names the L2 cache, and the QEMU crash loses nothing in the figures.
        assertThat(text.lines().filter(l -> l.strip().startsWith("predicted")).toList())
                .allSatisfy(l -> assertThat(l).doesNotContain("L2").doesNotContain("qcow2"));
        String json = Cli.run("lint", "--format", "json", f.toString()).out();
        assertThat(json).contains("\"qemuCrash\": {\n");
        assertThat(json.replaceAll("\\s+", "")).contains("\"qemuCrash\":{\"p50\":0,\"p95\":0,\"max\":0}")
                .doesNotContain("\"qemuCrash\":{\"p50\":268");
        assertThat(json).contains("qcow2 metadata, not in the figures");
        // The figures are those of the same raw image.
        String raw = Cli.run("lint", domain("fillraw", "no", file("raw", "/var/lib/libvirt/images/fill.raw"))
                .toString()).out();
        assertThat(notes(raw)).isEmpty();
        String figures = text.lines().filter(l -> l.strip().startsWith("predicted")).findFirst().orElseThrow();
        String rawFigures = raw.lines().filter(l -> l.strip().startsWith("predicted")).findFirst().orElseThrow();
        assertThat(figures).isEqualTo(rawFigures);
    }

    @Test
    void qcow2OnABlockDeviceAllocatesClustersToo() throws IOException {
        String lv = """
                    <disk type='block' device='disk'>
                      <driver name='qemu' type='qcow2' cache='none'/>
                      <source dev='/dev/vg0/thin-qcow2'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>""";
        Path f = domain("lv", "no", lv);
        assertThat(notes(Cli.run("lint", f.toString()).out())).hasSize(1);
        // simulate's table of the same disk says it too: the LV's space is allocated, its qcow2
        // clusters are not.
        assertThat(Cli.run("simulate", f + ":vda").out()).contains("qcow2 metadata, not in the figures");
    }

    @Test
    void noBoundExceedsTheDiskItself() throws IOException {
        String path = "/var/lib/libvirt/images/small.qcow2";
        Path profile = dir.resolve("sized.yaml");
        // 300 MiB: below the 512 MiB and 2 GiB bounds, so both are the disk's size.
        Files.writeString(profile, "images:\n  - {path: " + path + ", size: 314572800}\n");
        Path f = domain("small", "no", file("qcow2", path));
        List<String> notes = notes(Cli.run("lint", "--host", profile.toString(), f.toString()).out());
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0)).contains("up to 300 MiB while the image is filled in order")
                .contains("up to about 300 MiB when allocation is scattered (alloc_refcount_block flushes it), no"
                        + " more than the disk holds")
                .doesNotContain("512 MiB").doesNotContain("2 GiB");
        assertThat(Cli.run("simulate", "--host", profile.toString(), f + ":vda").out())
                .contains("up to 300 MiB while").doesNotContain("512 MiB");
    }

    @Test
    void aFlushingGuestOrAStatedPreallocatedImageGetsNoNote() throws IOException {
        String path = "/var/lib/libvirt/images/db.qcow2";
        assertThat(notes(Cli.run("lint", domain("flushing", "yes", file("qcow2", path)).toString()).out())).isEmpty();
        Path profile = dir.resolve("host.yaml");
        Files.writeString(profile, "images:\n  - {path: " + path + ", allocation: preallocated}\n");
        Path f = domain("db", "no", file("qcow2", path));
        assertThat(notes(Cli.run("lint", "--host", profile.toString(), f.toString()).out())).isEmpty();
        Files.writeString(profile, "images:\n  - {path: " + path + ", allocation: sparse}\n");
        assertThat(notes(Cli.run("lint", "--host", profile.toString(), f.toString()).out())).hasSize(1);
    }

    @Test
    void simulateSaysItToo() {
        Cli.Run not = Cli.run("simulate", "--flushes", "no", "--format", "qcow2");
        assertThat(not.out()).contains("qcow2 metadata, not in the figures");
        assertThat(not.out()).doesNotContain("510 MB").doesNotContain("~510");
        Cli.Run pre = Cli.run("simulate", "--flushes", "no", "--format", "qcow2", "--preallocated");
        assertThat(pre.out()).doesNotContain("qcow2 metadata");
        Cli.Run flushing = Cli.run("simulate", "--flushes", "yes", "--format", "qcow2");
        assertThat(flushing.out()).doesNotContain("qcow2 metadata");
    }
}
