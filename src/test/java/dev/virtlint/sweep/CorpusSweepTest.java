package dev.virtlint.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep on a small folder written here: what it reports about the two XML readers. */
class CorpusSweepTest {

    @Test
    void reportsHowManyFilesTheStrictReaderReadAlikeWithTheJdkParser(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("plain.xml"), """
                <domain type='kvm'>
                  <name>a</name>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw' cache='none'/>
                      <source file='/var/lib/libvirt/images/a.img'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>
                """);
        Files.writeString(dir.resolve("cdata.xml"), "<domain type='kvm'><name><![CDATA[b]]></name></domain>\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok = new CorpusSweep(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("strict XML reader: 1 of 2 xml files read by it, 0 read differently from the JDK's parser");
        assertThat(ok).as(out).isTrue();
    }
}
