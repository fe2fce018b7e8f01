package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fix --select X} (ruff's {@code check --select X --fix}) and {@code fix --ignore X} must
 * leave a suppression as used as a plain {@code fix} does: the later plain {@code lint} checks
 * every rule the configuration runs, so fix judges what suppressions hide with those (issue 20
 * review, finding 1).
 */
class FixSelectKeepsSuppressionsTest {

    @TempDir
    Path dir;

    /** One disk with double-caching and a suppressed unsafe-cache-persistent-disk. */
    private static final String SUPPRESSED = """
            <domain type='kvm'>
              <name>pg-replica</name>
              <devices>
                <!-- virtlint: ignore=unsafe-cache-persistent-disk reason="replica rebuilt from primary" -->
                <disk type='block' device='disk'>
                  <driver name='qemu' type='raw' cache='unsafe' io='threads'/>
                  <source dev='/dev/vg_db/pg-replica'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;

    private Path write(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, SUPPRESSED);
        return p;
    }

    @Test
    void fixWithSelectOrIgnoreLeavesTheSuppressedDiskAloneAsPlainFixDoes() throws IOException {
        String[][] narrowed = {{}, {"--select", "double-caching"}, {"--ignore", "unsafe-cache-persistent-disk"}};
        int n = 0;
        for (String[] options : narrowed) {
            Path f = write("a" + n++ + ".xml");
            String[] args = new String[options.length + 2];
            args[0] = "fix";
            System.arraycopy(options, 0, args, 1, options.length);
            args[args.length - 1] = f.toString();
            Cli.Run fixed = Cli.run(args);
            assertThat(fixed.err()).as(String.join(" ", options))
                    .contains(":6:45: not fixed: disk vda: its fix would take away the"
                            + " unsafe-cache-persistent-disk finding that a suppression hides");
            assertThat(fixed.out()).as(String.join(" ", options)).contains("0 changed, 1 unchanged")
                    .contains("1 left alone");
            assertThat(Files.readString(f)).isEqualTo(SUPPRESSED);
            Cli.Run linted = Cli.main("lint", "--format", "concise", f.toString());
            assertThat(linted.out()).doesNotContain("unused-suppression");
        }
    }

    @Test
    void lintWithSelectMarksFixableOnlyWhatPlainFixFixes() throws IOException {
        Path f = write("b.xml");
        Cli.Run narrowed = Cli.main("lint", "--format", "concise", "--select", "double-caching", f.toString());
        Cli.Run plain = Cli.main("lint", "--format", "concise", f.toString());
        assertThat(plain.out()).contains("warning[double-caching] disk vda").doesNotContain("[*]");
        assertThat(narrowed.out()).contains("warning[double-caching] disk vda").doesNotContain("[*]")
                .doesNotContain("fixable");
        // Through picocli (not the quick path) too.
        assertThat(Cli.run("lint", "--format", "concise", "--select", "double-caching", f.toString()).out())
                .doesNotContain("[*]");
    }
}
