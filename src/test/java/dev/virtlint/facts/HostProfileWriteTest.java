package dev.virtlint.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.parse.Yaml;
import dev.virtlint.parse.Yaml.YamlException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code probe} writes ({@link HostProfile#write}) reads back ({@link HostProfile#from}) as
 * the same facts: a key renamed on one side only, or a value written in a form the reader takes
 * otherwise, fails here.
 */
class HostProfileWriteTest {

    /** A host with every fact, and values that need quoting. */
    private static ProbedHost everything() {
        Map<String, Long> sysctl = new LinkedHashMap<>();
        for (int i = 0; i < HostProfile.SYSCTLS.size(); i++) {
            // Values inside the kernel's ranges, different for each name.
            String name = HostProfile.SYSCTLS.get(i);
            sysctl.put(name, name.endsWith("bytes") ? 8192L * (i + 1) : 10L + i);
        }
        Map<String, Double> costs = new LinkedHashMap<>();
        for (int i = 0; i < HostFacts.COST_NAMES.size(); i++) {
            costs.put(HostFacts.COST_NAMES.get(i), i % 2 == 0 ? 100.0 + i : 1.5 + i);
        }
        return new ProbedHost("6.8.0-45-generic", "8.2.2", "2.2.2-0ubuntu9", 16L << 30, (9L << 30) + 12345,
                List.of(new HostFacts.Mount("/", "ext4", "rw,relatime,errors=remount-ro"),
                        new HostFacts.Mount("/srv/vm \"images\\", "xfs"),
                        new HostFacts.Mount("/tank/vm", "zfs", "rw,xattr,noacl")),
                List.of(new HostFacts.Storage("/srv/vm \"images\\/nocow", true, null, null, "raid1",
                                null, null, "write through"),
                        new HostFacts.Storage("/tank/vm", null, "disabled", "always", null, null,
                                null,
                                "write back"),
                        new HostFacts.Storage("/mnt/nfs", false, null, null, null, "rw,async", "no",
                                null)),
                List.of(new HostFacts.Image("/srv/vm \"images\\/a.qcow2", "sparse"),
                        new HostFacts.Image("/tank/vm/b.raw", "preallocated", 10_737_418_240L),
                        new HostFacts.Image("/tank/vm/fd.img", null, 1_474_560L)),
                List.of(new HostFacts.DirectIoProbe("/srv/fuse", false),
                        new HostFacts.DirectIoProbe("/tmp", true)),
                sysctl, List.of("measured somewhere", "  row mode 1.0 2.0"), costs);
    }

    private static HostFacts readBack(ProbedHost host) throws YamlException {
        return HostProfile.from(Yaml.parse(HostProfile.write(host), "host.yaml"), "host.yaml");
    }

    @Test
    void everyFactWrittenReadsBackEqual() throws YamlException {
        ProbedHost host = everything();
        HostFacts read = readBack(host);
        assertThat(read.kernel()).contains(host.kernel());
        assertThat(read.qemu()).contains(host.qemu());
        assertThat(read.memoryBytes()).contains(host.memoryBytes());
        // MemAvailable is a moving snapshot: written rounded down to 256 MiB.
        assertThat(read.memoryAvailableBytes()).contains(9L << 30);
        for (HostFacts.Mount m : host.mounts()) {
            assertThat(read.mountOf(m.path())).contains(m);
        }
        assertThat(read.openzfs()).contains(host.openzfs());
        assertThat(read.storage()).containsExactlyInAnyOrderElementsOf(host.storage());
        assertThat(read.images()).containsExactlyElementsOf(host.images());
        for (HostFacts.DirectIoProbe p : host.odirect()) {
            assertThat(read.directIo(p.path() + "/x.img").supported()).contains(p.supported());
        }
        assertThat(read.sysctl()).isEqualTo(host.sysctl());
        assertThat(read.costs()).isEqualTo(host.costs());
    }

    @Test
    void unknownFactsAreLeftOutAndReadBackUnknown() throws YamlException {
        ProbedHost host = new ProbedHost(null, null, null, List.of(), List.of(), Map.of(),
                List.of(), Map.of());
        HostFacts read = readBack(host);
        assertThat(read.kernel()).isEmpty();
        assertThat(read.qemu()).isEmpty();
        assertThat(read.memoryBytes()).isEmpty();
        assertThat(read.sysctl()).isEmpty();
        assertThat(read.costs()).isEmpty();
        assertThat(HostProfile.write(host).lines().filter(l -> !l.startsWith("#"))).isEmpty();
    }

    @Test
    void memoryThatIsNotWholeKibReadsBackToTheByte() throws YamlException {
        ProbedHost host = new ProbedHost(null, null, 1000L, List.of(), List.of(), Map.of(),
                List.of(), Map.of());
        assertThat(readBack(host).memoryBytes()).contains(1000L);
    }

    /**
     * The layout probe has always written (virtlint 1.x): a header comment, one line per scalar,
     * flow maps for mounts and O_DIRECT probes, vm.-prefixed sysctls, cost notes as comments.
     */
    @Test
    void theLayoutIsTheOneProbeHasAlwaysWritten() {
        ProbedHost host = new ProbedHost("6.1.0", "7.2.0", 2048L * 1024,
                List.of(new HostFacts.Mount("/", "ext4")),
                List.of(new HostFacts.DirectIoProbe("/tmp", true)), Map.of("dirty_ratio", 20L),
                List.of("note"), Map.of("flush-us", 850.0, "sync-contention", 0.25));
        String costs = host.costs().entrySet().stream().map(e -> "  " + e.getKey() + ": "
                + (e.getKey().equals("flush-us") ? "850" : "0.25") + "\n")
                .reduce("", String::concat);
        assertThat(HostProfile.write(host)).isEqualTo("""
                # Host profile written by virtlint probe. \
                Use it with --host FILE or hosts: in .virtlint.yaml.
                kernel: "6.1.0"
                qemu: "7.2.0"
                memory: 2048KiB
                mounts:
                  - {path: "/", fstype: "ext4"}
                odirect:
                  - {path: "/tmp", supported: true}
                sysctl:
                  vm.dirty_ratio: 20
                # note
                costs:
                """ + costs);
    }
}
