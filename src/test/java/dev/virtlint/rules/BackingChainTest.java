package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.advise.Advisor;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * QEMU opens every backing file with the top image's cache.direct (block.c bdrv_backing_options:
 * "The cache mode is inherited unmodified for backing files"), so O_DIRECT advice must hold for
 * every layer of the chain a domain states in {@code <backingStore>}, not only for the top image.
 */
class BackingChainTest {

    /** / on xfs; /tank/templates on OpenZFS 0.7, which has no direct_IO (refuses O_DIRECT). */
    private static final HostFacts HOST = new HostFacts("5.15.160", null, "0.7.13", null,
            List.of(new HostFacts.Mount("/", "xfs"), new HostFacts.Mount("/tank/templates", "zfs")),
            List.of(), List.of(), List.of(), java.util.Map.of(), java.util.Map.of(), null);

    private static String domain(String cache, String base) {
        return "<domain type='kvm'><name>clone</name><metadata><libosinfo:libosinfo"
                + " xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'><libosinfo:os"
                + " id='http://redhat.com/rhel/9.4'/></libosinfo:libosinfo></metadata><devices>"
                + "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='" + cache
                + "'/><source file='/var/lib/libvirt/images/clone.qcow2'/><backingStore type='file'>"
                + "<format type='qcow2'/><source file='" + base + "'/><backingStore/></backingStore>"
                + "<target dev='vda' bus='virtio'/></disk></devices></domain>";
    }

    private static List<Finding> lint(String text) {
        var file = Loader.load(new Input("clone.xml", null, Input.Kind.XML,
                text.getBytes(StandardCharsets.UTF_8))).file();
        return Linter.lint(file, new Linter.Settings(Set.of(), Set.of(), Advisor.Policy.AVOID, HOST),
                false);
    }

    @Test
    void aBaseImageThatRefusesODirectKeepsWritebackAndFailsNone() {
        assertThat(lint(domain("writeback", "/tank/templates/base.qcow2"))).isEmpty();
        List<Finding> none = lint(domain("none", "/tank/templates/base.qcow2"));
        assertThat(none).extracting(Finding::rule).containsExactly("direct-io-unsupported-fs");
        assertThat(none.get(0).severity()).isEqualTo(Severity.ERROR);
        assertThat(none.get(0).message()).contains("and its backing files",
                "/tank/templates/base.qcow2 is on zfs");
        assertThat(none.get(0).fix()).isEqualTo("cache='none' -> cache='writeback'");
    }

    @Test
    void aBaseImageOnTheSameStatedFilesystemLeavesTheFixSafe() {
        List<Finding> f = lint(domain("writeback", "/var/lib/libvirt/images/base.qcow2"));
        assertThat(f).extracting(Finding::rule).containsExactly("double-caching");
        assertThat(f.get(0).fixAssumptions()).isEmpty();
    }

    @Test
    void aBaseImageNoProfileCanPlaceMakesTheFixUnsafe() {
        List<Finding> f = lint(domain("writeback", "base.qcow2"));
        assertThat(f).extracting(Finding::rule).containsExactly("double-caching");
        assertThat(f.get(0).fixAssumptions()).singleElement().asString()
                .contains("assumes O_DIRECT works on the backing file base.qcow2");
    }
}
