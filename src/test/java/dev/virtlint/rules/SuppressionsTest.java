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
                .stream().map(f -> f.rule() + "@" + f.disk()).toList();
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
}
