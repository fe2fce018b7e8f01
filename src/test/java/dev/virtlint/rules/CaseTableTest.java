package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.advise.Advisor;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The same writable disk under every cache mode, guest flush behaviour and source filesystem gives
 * exactly the findings of the rule table in issue 3, and the advisor's table recommendation. The
 * expectations below are written from those tables, not from the rule classes.
 */
class CaseTableTest {

    private static final List<String> MODES = List.of("writeback", "none", "writethrough", "directsync", "unsafe");
    private static final List<String> FLUSHES = List.of("yes", "no", "cond");

    /**
     * A source path, the host it is linted against, whether O_DIRECT opens there (null: unknown)
     * and whether it bypasses a cache there: tmpfs from 6.6 opens it, but its files live in the
     * kernel's caches anyway (Documentation/filesystems/tmpfs.rst), so none gains nothing.
     */
    record Source(String label, String path, String kernel, Boolean directIo, boolean gains) {
    }

    private static final List<Source> SOURCES = List.of(
            new Source("ext4", "/srv/vm/disk.img", "5.15.0", true, true),
            new Source("tmpfs on 5.15", "/dev/shm/disk.img", "5.15.0", false, false),
            new Source("tmpfs on 6.8", "/dev/shm/disk.img", "6.8.0", true, false),
            new Source("tmpfs, kernel unknown", "/dev/shm/disk.img", null, null, false),
            new Source("ramfs", "/mnt/ram/disk.img", "6.8.0", false, false));

    @TestFactory
    Stream<DynamicTest> everyModeGuestAndFilesystem() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String mode : MODES) {
            for (String flushes : FLUSHES) {
                for (Source source : SOURCES) {
                    tests.add(DynamicTest.dynamicTest(mode + " / flushes=" + flushes + " / " + source.label(),
                            () -> check(mode, flushes, source)));
                }
            }
        }
        return tests.stream();
    }

    private static void check(String mode, String flushes, Source source) {
        String xml = """
                <domain type='kvm'>
                  <name>case</name>
                  <metadata>
                    <virtlint:virtlint xmlns:virtlint="http://virtlint.dev/xmlns/domain/1.0">
                      <virtlint:guest flushes="%s"/>
                    </virtlint:virtlint>
                  </metadata>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw' cache='%s'/>
                      <source file='%s'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>
                """.formatted(flushes, mode, source.path());
        var loaded = Loader.load(new Input("case.xml", null, Input.Kind.XML, xml.getBytes(StandardCharsets.UTF_8)));
        HostFacts host = new HostFacts(source.kernel(), List.of(
                new HostFacts.Mount("/", "ext4"), new HostFacts.Mount("/dev/shm", "tmpfs"),
                new HostFacts.Mount("/mnt/ram", "ramfs")));
        List<Finding> findings = Linter.lint(loaded.file(),
                new Linter.Settings(Set.of(), Set.of(), Advisor.Policy.AVOID, host));

        Set<String> actual = new TreeSet<>();
        for (Finding f : findings) {
            actual.add(f.rule() + ":" + f.severity().id());
            assertThat(f.recommended().cache().id()).as("recommendation").isEqualTo(recommended(flushes, source));
        }
        // writethrough-on-flushing-guest warns only where the simulator's figures for the disk
        // predict writes at least 1.5x as fast with the recommended mode (its page).
        double ratio = Linter.checks(loaded.file(), new Linter.Settings(Set.of(), Set.of(),
                Advisor.Policy.AVOID, host)).get(0).evidence().writeRatio();
        assertThat(actual).isEqualTo(expected(mode, flushes, source, ratio >= 1.5));
    }

    /** The advisor's table; O_DIRECT that may not work, or gains nothing, counts as not working. */
    private static String recommended(String flushes, Source source) {
        boolean direct = source.gains();
        if (flushes.equals("yes")) {
            return direct ? "none" : "writeback";
        }
        return direct ? "directsync" : "writethrough";
    }

    /**
     * The rule table of issue 3 for a writable, non-shareable, non-scratch disk with an explicit
     * mode; {@code fasterWrites}: the figures predict the recommended mode's writes at least 1.5x
     * as fast (issue 19).
     */
    private static Set<String> expected(String mode, String flushes, Source source,
                                        boolean fasterWrites) {
        boolean writeback = Set.of("writeback", "none", "unsafe").contains(mode);
        boolean direct = Set.of("none", "directsync").contains(mode);
        Set<String> out = new TreeSet<>();
        if (writeback && flushes.equals("no")) {
            out.add("flushless-guest-write-cache:" + (mode.equals("none") ? "warning" : "error"));
        }
        if (writeback && flushes.equals("cond")) {
            out.add("flushless-guest-write-cache:warning");
        }
        if (mode.equals("unsafe")) {
            out.add("unsafe-cache-persistent-disk:error");
        }
        if (!direct && source.gains()) {
            out.add("double-caching:warning");
        }
        if (direct && !Boolean.TRUE.equals(source.directIo())) {
            out.add("direct-io-unsupported-fs:" + (source.directIo() == null ? "warning" : "error"));
        }
        if (!writeback && flushes.equals("yes") && fasterWrites) {
            out.add("writethrough-on-flushing-guest:warning");
        }
        return out;
    }
}
