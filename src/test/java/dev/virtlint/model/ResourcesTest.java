package dev.virtlint.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shipped files are read from our own jar or class directory, and the same as the class loader gives. */
class ResourcesTest {

    @Test
    void readsWhatTheClassLoaderWouldByAbsoluteAndRelativeName() throws IOException {
        String absolute = "/dev/virtlint/rules/data/guest-os.tsv";
        assertThat(read(Resources.open(Resources.class, absolute))).isEqualTo(read(Resources.class.getResourceAsStream(absolute)))
                .contains("\t");
        // Relative to the anchor's package, as Class.getResourceAsStream resolves it.
        assertThat(read(Resources.open(dev.virtlint.sim.Workload.class, "qemu-img-bench.tsv")))
                .isEqualTo(read(dev.virtlint.sim.Workload.class.getResourceAsStream("qemu-img-bench.tsv")));
        assertThat(Resources.open(Resources.class, "/dev/virtlint/no-such-file")).isNull();
    }

    @Test
    void readsFromAJar(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("x.jar");
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("dev/virtlint/a.txt"));
            zip.write("from the jar".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Object origin = Resources.originAt(jar);
        assertThat(origin).isInstanceOf(ZipFile.class);
        assertThat(read(Resources.openIn(origin, "dev/virtlint/a.txt"))).isEqualTo("from the jar");
        assertThat(Resources.openIn(origin, "dev/virtlint/b.txt")).isNull();
        ((ZipFile) origin).close();
    }

    @Test
    void readsFromAClassDirectory(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("dev/virtlint"));
        Files.writeString(dir.resolve("dev/virtlint/a.txt"), "from the directory");
        Object origin = Resources.originAt(dir);
        assertThat(read(Resources.openIn(origin, "dev/virtlint/a.txt"))).isEqualTo("from the directory");
        assertThat(Resources.openIn(origin, "dev/virtlint")).as("a directory is not a file").isNull();
        assertThat(Resources.openIn(Resources.originAt(dir.resolve("missing")), "dev/virtlint/a.txt")).isNull();
    }

    private static String read(InputStream in) throws IOException {
        assertThat(in).isNotNull();
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
