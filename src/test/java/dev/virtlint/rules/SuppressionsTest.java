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

class SuppressionsTest {

    private static final String TWO_UNSAFE_DISKS = """
            <domain type='kvm'>
              <name>s</name>
              <devices>
                %s
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw' cache='unsafe'/>
                  <source file='/srv/a.img'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw' cache='unsafe'/>
                  <source file='/srv/b.img'/>
                  <target dev='vdb' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;

    private static List<String> lint(String xml, Set<String> select) {
        var file = Loader.load(new Input("s.xml", null, Input.Kind.XML, xml.getBytes(StandardCharsets.UTF_8))).file();
        return Linter.lint(file, new Linter.Settings(select, Set.of(), Advisor.Policy.AVOID, HostFacts.defaults()))
                .stream().map(f -> f.rule() + "@" + f.target()).toList();
    }

    @Test
    void aCommentCoversOnlyTheElementItPrecedes() {
        String xml = TWO_UNSAFE_DISKS.formatted(
                "<!-- virtlint: ignore=unsafe-cache-persistent-disk,double-caching reason=\"scratch\" -->");
        assertThat(lint(xml, Set.of())).containsExactly("double-caching@vdb", "unsafe-cache-persistent-disk@vdb");
    }

    @Test
    void aCommentBeforeTheDomainCoversTheFile() {
        String xml = "<!-- virtlint: ignore=unsafe-cache-persistent-disk reason=\"lab host\" -->\n"
                + TWO_UNSAFE_DISKS.formatted("");
        assertThat(lint(xml, Set.of())).containsExactly("double-caching@vda", "double-caching@vdb");
    }

    @Test
    void aSuppressionOfARuleThatDidNotRunIsNotReported() {
        String xml = TWO_UNSAFE_DISKS.formatted("<!-- virtlint: ignore=double-caching reason=\"x\" -->");
        assertThat(lint(xml, Set.of("unsafe-cache-persistent-disk", "unused-suppression")))
                .containsExactly("unsafe-cache-persistent-disk@vda", "unsafe-cache-persistent-disk@vdb");
    }

    @Test
    void anOrdinaryCommentIsNotASuppression() {
        String xml = TWO_UNSAFE_DISKS.formatted("<!-- virtlint would say: ignore=double-caching -->");
        assertThat(lint(xml, Set.of())).hasSize(4);
    }

    /**
     * Issue 15: each finding was compared with every suppression of the file, so a comment before
     * each of N disks cost N * N comparisons; the index compares a finding with the few around it.
     */
    @Test
    void aCommentBeforeEachDiskIsMatchedWithoutTryingEverySuppression() {
        StringBuilder xml = new StringBuilder("<domain type='kvm'>\n  <name>s</name>\n  <devices>\n");
        int disks = 300;
        for (int i = 0; i < disks; i++) {
            xml.append(i % 2 == 0 ? "    <!-- virtlint: ignore=unsafe-cache-persistent-disk reason=\"scratch\" -->\n"
                    : "    <!-- virtlint: ignore=native-aio-without-direct-io reason=\"x\" -->\n");
            xml.append("    <disk type='file' device='disk'>\n      <driver name='qemu' type='raw' cache='unsafe'/>\n")
                    .append("      <source file='/srv/d").append(i).append(".img'/>\n      <target dev='vd").append(i)
                    .append("' bus='virtio'/>\n    </disk>\n");
        }
        xml.append("  </devices>\n</domain>\n");
        var file = Loader.load(new Input("s.xml", null, Input.Kind.XML,
                xml.toString().getBytes(StandardCharsets.UTF_8))).file();
        var settings = new Linter.Settings(Set.of(), Set.of(), Advisor.Policy.AVOID, HostFacts.defaults());
        List<Finding> findings = Linter.lint(file, settings);
        // Odd disks keep their unsafe-cache finding; even ones lost it to their comment.
        assertThat(findings.stream().filter(f -> f.rule().equals("unsafe-cache-persistent-disk")).map(Finding::target))
                .hasSize(disks / 2).allMatch(d -> Integer.parseInt(d.substring(2)) % 2 == 1);
        List<Suppressions.Suppression> suppressions = Suppressions.of(file, file.domain().annotations());
        assertThat(suppressions).hasSize(disks);
        Suppressions.Index index = new Suppressions.Index(suppressions);
        for (Finding f : findings) {
            List<Integer> covering = index.covering(f);
            for (int i = 0; i < suppressions.size(); i++) {
                assertThat(covering.contains(i)).isEqualTo(suppressions.get(i).covers(f));
            }
        }
        // Each lookup tries the comment before the finding's disk (and for the comments' own
        // findings, the one before), not all 300.
        assertThat(index.compared()).isLessThanOrEqualTo((long) findings.size() * suppressions.size() * 2 / disks);
    }
}
