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

    private static final List<String> MODES = List.of("", "writeback", "none", "writethrough", "directsync",
            "unsafe");
    private static final List<String> FLUSHES = List.of("yes", "no", "cond");
    private static final List<String> PROTOCOLS = List.of("rbd", "iscsi", "nbd", "gluster", "nfs", "ssh", "http");

    @TestFactory
    Stream<DynamicTest> everyDriverModeAndGuest() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String protocol : PROTOCOLS) {
            for (String mode : MODES) {
                for (String flushes : FLUSHES) {
                    tests.add(DynamicTest.dynamicTest(protocol + " / " + (mode.isEmpty() ? "no mode" : mode)
                            + " / flushes=" + flushes, () -> check(protocol, mode, flushes)));
                }
            }
        }
        return tests.stream();
    }

    private static void check(String protocol, String mode, String flushes) {
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
                    </disk>
                  </devices>
                </domain>
                """.formatted(flushes, cache, protocol);
        var loaded = Loader.load(new Input("net.xml", null, Input.Kind.XML, xml.getBytes(StandardCharsets.UTF_8)));
        List<Finding> findings = Linter.lint(loaded.file(),
                new Linter.Settings(Set.of(), Set.of(), Advisor.Policy.AVOID, new HostFacts(null, List.of())));
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
        if (mode.isEmpty()) {
            out.add("implicit-cache-mode:info");
        }
        if (rbd && direct) {
            out.add("rbd-cache-disabled:warning");
        }
        if (writeback && !flushes.equals("yes") && !(rbd && mode.equals("none"))) {
            boolean error = flushes.equals("no") && !mode.equals("none") && (!rbd || mode.equals("unsafe"));
            out.add("flushless-guest-write-cache:" + (error ? "error" : "warning"));
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
