package dev.virtlint.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriteTest {

    @TempDir
    Path dir;

    private static final byte[] OLD = "old\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "new\n".getBytes(StandardCharsets.UTF_8);

    private Path file(String name, int mode) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, OLD);
        Files.setAttribute(f, "unix:mode", mode);
        return f;
    }

    private static int mode(Path f) throws IOException {
        return (Integer) Files.getAttribute(f, "unix:mode") & 07777;
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** Runs a command, returns its exit status and output. */
    static String[] run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String[] {String.valueOf(p.exitValue()), out};
    }

    /** Whether the Debian attr and acl tools are there; .ci/run installs them and requires them. */
    static boolean aclTools() throws IOException, InterruptedException {
        boolean present = run("sh", "-c", "command -v getfattr && command -v setfattr && command -v getfacl"
                + " && command -v setfacl")[0].equals("0");
        if (System.getenv("VIRTLINT_REQUIRE_TOOLS") != null) {
            assertThat(present).as("getfattr, setfattr (attr), getfacl, setfacl (acl) are installed").isTrue();
        }
        return present;
    }

    @Test
    void setuidSetgidAndStickyBitsAreKept() throws IOException {
        Path f = file("vm.xml", 07754);
        AtomicWrite.replace(f, OLD, NEW);
        assertThat(Files.readAllBytes(f)).isEqualTo(NEW);
        assertThat(Integer.toOctalString(mode(f))).isEqualTo("7754");
    }

    @Test
    void extendedAttributesAndTheAclAreKeptExactly() throws Exception {
        assumeThat(aclTools()).as("attr and acl tools installed").isTrue();
        Path f = file("vm.xml", 0640);
        String p = f.toString();
        assertThat(run("setfattr", "-n", "user.origin", "-v", "libvirt", p)[0]).isEqualTo("0");
        // What an SELinux label is stored as (the kernel keeps security.* for a process with CAP_SYS_ADMIN).
        assertThat(run("setfattr", "-n", "security.selinux", "-v", "system_u:object_r:virt_etc_t:s0", p)[0])
                .isEqualTo("0");
        assertThat(run("setfacl", "-m", "u:65534:r,g:65534:r", p)[0]).isEqualTo("0");
        String acl = run("getfacl", "-n", "--absolute-names", p)[1];
        String xattrs = run("getfattr", "-d", "-m", "-", "-e", "hex", "--absolute-names", p)[1];
        assertThat(acl).contains("user:65534:r--").contains("mask::r--");

        AtomicWrite.replace(f, OLD, NEW);

        assertThat(Files.readAllBytes(f)).isEqualTo(NEW);
        assertThat(run("getfacl", "-n", "--absolute-names", p)[1]).as("the ACL, and no group write through the mask")
                .isEqualTo(acl);
        assertThat(run("getfattr", "-d", "-m", "-", "-e", "hex", "--absolute-names", p)[1]).isEqualTo(xattrs);
        assertThat(mode(f)).isEqualTo(0640);
        assertThat(listing()).containsExactly(f);
    }

    /**
     * SIGTERM while a file with an extended attribute is written: the shutdown hook deletes the
     * temporary file, cp then made an empty one of that name, and the rename emptied the file.
     */
    @Test
    void aTemporaryFileRemovedByTheShutdownHookIsNeverRenamedIntoPlace() throws IOException {
        Path f = file("vm.xml", 0644);
        Files.getFileAttributeView(f, java.nio.file.attribute.UserDefinedFileAttributeView.class)
                .write("origin", java.nio.ByteBuffer.wrap("libvirt".getBytes(StandardCharsets.UTF_8)));
        AtomicWrite.beforeXattrCopy = temp -> {
            try {
                Files.delete(temp);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        try {
            assertThatThrownBy(() -> AtomicWrite.replace(f, OLD, NEW)).isInstanceOf(IOException.class);
        } finally {
            AtomicWrite.beforeXattrCopy = temp -> { };
        }
        assertThat(Files.readAllBytes(f)).isEqualTo(OLD);
        assertThat(listing()).containsExactly(f);
    }

    @Test
    void aFileWithAnotherHardLinkIsRefusedAndBothNamesKeepTheirContent() throws IOException {
        Path f = file("vm.xml", 0644);
        Path other = Files.createLink(dir.resolve("backup.xml"), f);
        assertThatThrownBy(() -> AtomicWrite.replace(f, OLD, NEW)).isInstanceOf(AtomicWrite.Refused.class)
                .hasMessageContaining("2 hard links");
        assertThat(Files.readAllBytes(f)).isEqualTo(OLD);
        assertThat(Files.isSameFile(f, other)).as("still one file").isTrue();
        assertThat(listing()).containsExactly(other, f);
    }

    @Test
    void aReadOnlyFileIsRefusedUnlessForcedAndKeepsItsMode() throws IOException {
        Path f = file("vm.xml", 0444);
        assertThatThrownBy(() -> AtomicWrite.replace(f, OLD, NEW, true, false))
                .isInstanceOf(AtomicWrite.Refused.class).hasMessageContaining("read-only (mode 0444)")
                .hasMessageContaining("--force");
        assertThat(Files.readAllBytes(f)).isEqualTo(OLD);
        AtomicWrite.replace(f, OLD, NEW, true, true);
        assertThat(Files.readAllBytes(f)).isEqualTo(NEW);
        assertThat(mode(f)).isEqualTo(0444);
    }

    @Test
    void aNameOfTheLongestLengthCanBeRewritten() throws IOException {
        // NAME_MAX is 255 bytes on Linux filesystems (limits.h); the temporary name must fit too.
        Path f = file("v".repeat(251) + ".xml", 0644);
        AtomicWrite.replace(f, OLD, NEW);
        assertThat(Files.readAllBytes(f)).isEqualTo(NEW);
        assertThat(listing()).containsExactly(f);
    }

    @Test
    void aChangeThatRestoresTheContentIsStillSeenBeforeTheRename() throws Exception {
        Path f = file("vm.xml", 0644);
        AtomicWrite.Snapshot read = AtomicWrite.Snapshot.read(f, dev.virtlint.lint.Loader.DEFAULT_INPUT_LIMIT);
        // Someone appends and takes it back: the bytes are as read, but the file was touched meanwhile.
        Thread.sleep(20);
        Files.write(f, "old\nappended\n".getBytes(StandardCharsets.UTF_8));
        Files.write(f, OLD);
        assertThatThrownBy(() -> AtomicWrite.replace(f, read, NEW, true, false))
                .isInstanceOf(AtomicWrite.ChangedOnDisk.class);
        assertThat(Files.readAllBytes(f)).isEqualTo(OLD);
        assertThat(listing()).containsExactly(f);
    }

    @Test
    void leftoversOfADeadVirtlintAreRemovedAndNothingElse() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        assumeThat(ProcessHandle.of(dead)).as("pid not reused yet").isEmpty();
        Path leftover = Files.writeString(dir.resolve(".virtlint-" + dead + "-k3.virtlint-tmp"), "half");
        Path live = Files.writeString(dir.resolve(".virtlint-" + ProcessHandle.current().pid()
                + "-k4.virtlint-tmp"), "mine");
        Path parent = Files.writeString(dir.resolve(".virtlint-" + ProcessHandle.current().parent().orElseThrow()
                .pid() + "-k5.virtlint-tmp"), "a running process's");
        Path lookalike = Files.writeString(dir.resolve(".virtlint-" + dead + "-k6.virtlint-tmp.bak"), "not ours");
        Path user = Files.writeString(dir.resolve(".vm.xml.virtlint-tmp"), "not ours");
        Path link = Files.createSymbolicLink(dir.resolve(".virtlint-" + dead + "-k7.virtlint-tmp"), user);

        List<String> said = new ArrayList<>(AtomicWrite.removeLeftovers(dir));

        assertThat(said).containsExactly(leftover + ": removed a temporary file left by virtlint process " + dead
                + ", which is no longer running");
        assertThat(listing()).containsExactlyInAnyOrder(live, parent, lookalike, user, link);
    }
}
