package dev.virtlint.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.lint.Input;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchTest {

    @TempDir
    Path dir;

    private static final String DOMAIN = """
            <domain type='kvm'>
              <name>NAME</name>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2' cache='unsafe'/>
                  <source file='/var/lib/libvirt/images/NAME.qcow2'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;

    @Test
    void aFailureInTheMiddleOfABatchFailsThatFileAloneAndTheOthersAreFixed() throws IOException {
        List<Batch.Item> items = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            Path p = dir.resolve(name + ".xml");
            Files.writeString(p, DOMAIN.replace("NAME", name));
            items.add(new Batch.Item(Input.file(p.toString(), p, Input.Kind.XML), dir));
        }
        // The domain names no guest OS, so its fixes are unsafe (applied too): the batch is under
        // test.
        for (int jobs : new int[] {1, 2}) {
            List<FileFix.Result> results = Batch.run(items, input -> {
                if (input.name().endsWith("b.xml")) {
                    throw new IllegalStateException("injected");
                }
                return Linter.Settings.defaults();
            }, new FileFix.Mode(false, Severity.WARNING, false,
                    dev.virtlint.lint.Loader.DEFAULT_INPUT_LIMIT,
                    true), jobs, dir);
            assertThat(results).extracting(FileFix.Result::status).containsExactly(FileFix.Status.CHANGED,
                    FileFix.Status.FAILED, FileFix.Status.CHANGED);
            assertThat(results).extracting(Batch::internal).containsExactly(false, true, false);
            assertThat(results.get(1).notes()).singleElement().asString()
                    .endsWith("b.xml: internal error: java.lang.IllegalStateException: injected");
        }
    }
}
