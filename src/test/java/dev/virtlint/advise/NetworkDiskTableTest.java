package dev.virtlint.advise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Linter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A writable network disk of every driver under every cache mode and guest flush behaviour gives
 * the findings and the advice of the table below, written from QEMU's block drivers and Ceph's
 * documentation (see {@link NetworkDriver}), not from the rule classes: no host page cache, so no
 * double-caching and no simulator figures; writeback for a guest that flushes, writethrough for
 * one that may not; on rbd, cache.direct is librbd's cache switch.
 */
class NetworkDiskTableTest {

    private static final List<String> MODES = List.of("", "writeback", "none", "writethrough",
            "directsync", "unsafe");
    private static final List<String> FLUSHES = List.of("yes", "no", "cond");
    private static final List<String> PROTOCOLS = List.of("rbd", "iscsi", "nbd", "gluster", "nfs",
            "ssh", "http");

    @TestFactory
    Stream<DynamicTest> everyDriverModeAndGuest() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String protocol : PROTOCOLS) {
            for (String mode : MODES) {
                for (String flushes : FLUSHES) {
                    tests.add(DynamicTest.dynamicTest(protocol + " / " + name(mode) + " / flushes="
                            + flushes, () -> check(protocol, mode, flushes)));
                }
            }
        }
        return tests.stream();
    }

    /**
     * Shareable network disks: only a driver that keeps data in QEMU (librbd's cache, libgfapi's
     * client-side translators) lets the guests see different data; the advice is the shareable
     * one, none for a guest that flushes.
     */
    @TestFactory
    Stream<DynamicTest> shareableDisksOfEveryDriver() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String protocol : PROTOCOLS) {
            for (String mode : MODES) {
                tests.add(DynamicTest.dynamicTest(protocol + " / " + name(mode) + " / shareable",
                        () -> checkShareable(protocol, mode)));
            }
        }
        return tests.stream();
    }

    private static String name(String mode) {
        return mode.isEmpty() ? "no mode" : mode;
    }

    private static void checkShareable(String protocol, String mode) {
        List<Finding> findings = lint(protocol, mode, "yes", "<shareable/>");
        Set<String> actual = new TreeSet<>();
        for (Finding f : findings) {
            actual.add(f.rule() + ":" + f.severity().id());
            assertThat(f.recommended().cache().id()).as("recommendation").isEqualTo("none");
        }
        Set<String> expected = new TreeSet<>();
        boolean clientCache = protocol.equals("rbd") || protocol.equals("gluster");
        if (!protocol.equals("http")) {
            if (clientCache && Set.of("writeback", "writethrough", "unsafe").contains(mode)) {
                expected.add("host-cache-on-shareable-disk:error");
            }
            if (mode.equals("unsafe")) {
                expected.add("unsafe-cache-persistent-disk:error");
            }
            if (Set.of("writethrough", "directsync").contains(mode)) {
                expected.add("writethrough-on-flushing-guest:warning");
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    private static List<Finding> lint(String protocol, String mode, String flushes, String extra) {
        String cache = mode.isEmpty() ? "" : " cache='" + mode + "'";
        String xml = """
                <domain type='kvm'>
                  <name>net</name>
                  <metadata>
                    <virtlint:virtlint xmlns:virtlint="http://virtlint.dev/xmlns/domain/1.0">
                      <virtlint:guest flushes="%s"/>
                    </virtlint:virtlint>
                  </metadata>
                  <devices>
                    <disk type='network' device='disk'>
                      <driver name='qemu' type='raw'%s/>
                      <source protocol='%s' name='pool/image'>
                        <host name='storage.example.net'/>
                      </source>
                      <target dev='vda' bus='virtio'/>
                      %s
                    </disk>
                  </devices>
                </domain>
                """.formatted(flushes, cache, protocol, extra);
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        var loaded = Loader.load(new Input("net.xml", null, Input.Kind.XML, bytes));
        HostFacts unknownHost = new HostFacts(null, List.of());
        return Linter.lint(loaded.file(),
                new Linter.Settings(Set.of(), Set.of(), Advisor.Policy.AVOID, unknownHost));
    }

    private static void check(String protocol, String mode, String flushes) {
        List<Finding> findings = lint(protocol, mode, flushes, "");
        Set<String> actual = new TreeSet<>();
        for (Finding f : findings) {
            actual.add(f.rule() + ":" + f.severity().id());
            assertThat(f.recommended().cache().id()).as("recommendation")
                    .isEqualTo(flushes.equals("yes") ? "writeback" : "writethrough");
            assertThat(f.evidence()).as("no host page cache figures for a network disk").isNull();
        }
        assertThat(actual).isEqualTo(expected(protocol, mode, flushes));
    }

    private static Set<String> expected(String protocol, String mode, String flushes) {
        Set<String> out = new TreeSet<>();
        if (protocol.equals("http")) {
            return out;
        }
        boolean rbd = protocol.equals("rbd");
        boolean writeback = Set.of("", "writeback", "none", "unsafe").contains(mode);
        boolean direct = Set.of("none", "directsync").contains(mode);
        if (rbd && direct) {
            out.add("rbd-cache-disabled:warning");
        }
        boolean flushless = writeback && !flushes.equals("yes") && !(rbd && mode.equals("none"));
        if (flushless) {
            boolean error = flushes.equals("no") && !mode.equals("none")
                    && (!rbd || mode.equals("unsafe"));
            out.add("flushless-guest-write-cache:" + (error ? "error" : "warning"));
        }
        // One cause, one finding: a finding the missing mode causes says so itself.
        if (mode.isEmpty() && !flushless) {
            out.add("implicit-cache-mode:info");
        }
        if (mode.equals("unsafe")) {
            out.add("unsafe-cache-persistent-disk:error");
        }
        if (!writeback && flushes.equals("yes")) {
            out.add("writethrough-on-flushing-guest:warning");
        }
        return out;
    }
}
