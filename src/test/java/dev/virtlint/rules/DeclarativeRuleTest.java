package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.parse.Yaml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rules written as data see every disk the same way, whatever source it comes from. */
class DeclarativeRuleTest {

    private static final Rule DETECT_ZEROES = Catalogue.byId("detect-zeroes-unmap-without-discard").orElseThrow();

    private static ParsedFile load(String text, Input.Kind kind) {
        ParsedFile f = Loader.load(new Input("t", null, kind, text.getBytes(StandardCharsets.UTF_8))).file();
        assertThat(f).isNotNull();
        return f;
    }

    private static List<Finding> lint(ParsedFile file, Rule rule) {
        List<Rule> rules = new ArrayList<>(Catalogue.rules());
        if (!rules.contains(rule)) {
            rules.add(rule);
        }
        Linter.Settings base = Linter.Settings.defaults();
        Linter.Settings only = new Linter.Settings(Set.of(rule.id()), Set.of(), base.policy(), base.host(),
                rules, java.util.Map.of(), Set.of(), (n, p) -> false, (n, b) -> null, n -> null);
        return Linter.lint(file, only);
    }

    private static String at(ParsedFile file, Finding f) {
        return file.source().text().substring(f.span().start(), f.span().end());
    }

    @Test
    void pointsAtTheAttributeInDomainXml() {
        ParsedFile file = load("""
                <domain type='kvm'><name>t</name><devices>
                  <disk type='file' device='disk'>
                    <driver name='qemu' type='raw' discard="ignore" detect_zeroes="unmap"/>
                    <source file='/srv/t.img'/><target dev='vda' bus='virtio'/>
                  </disk>
                </devices></domain>
                """, Input.Kind.XML);
        List<Finding> found = lint(file, DETECT_ZEROES);
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(at(file, f)).isEqualTo("unmap");
            assertThat(file.source().positionOf(f.span().start()).toString())
                    .isEqualTo(dev.virtlint.At.of(file.source().text(), "unmap"));
            assertThat(f.message()).startsWith("disk vda (/srv/t.img) sets detect_zeroes='unmap' but");
            assertThat(f.fix()).isEqualTo("discard='ignore' -> discard='unmap'");
            assertThat(f.edits()).singleElement().satisfies(e -> {
                assertThat(file.source().text().substring(e.owner().start(), e.owner().end())).startsWith("<driver ");
                assertThat(e.name()).isEqualTo("discard");
                assertThat(e.value()).isEqualTo("unmap");
            });
        });
    }

    @Test
    void aQemuBlockGivesQemuStringsTheirOwnSeverityAndMessage() throws YamlException {
        DeclarativeRule rule = RuleReader.from(Yaml.parse("""
                id: no-unsafe
                severity: warning
                summary: No unsafe
                select: "driver/@cache[. = 'unsafe']"
                message: "{disk}: libvirt says {setting}"
                qemu:
                  severity: error
                  message: "{disk}: QEMU says {setting}"
                """, "r.rule.yaml"), "r.rule.yaml", true);
        ParsedFile xml = load("""
                <domain type='kvm'><name>t</name><devices>
                  <disk type='file' device='disk'>
                    <driver name='qemu' type='raw' cache='unsafe'/>
                    <source file='/srv/t.img'/><target dev='vda' bus='virtio'/>
                  </disk>
                </devices></domain>
                """, Input.Kind.XML);
        assertThat(lint(xml, rule)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message()).isEqualTo("disk vda (/srv/t.img): libvirt says cache='unsafe'");
        });
        ParsedFile args = load("qemu-system-x86_64 -drive file=/srv/q.img,if=virtio,cache=unsafe\n", Input.Kind.ARGS);
        assertThat(lint(args, rule)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).isEqualTo("disk virtio0 (/srv/q.img): QEMU says cache=unsafe");
        });
        assertThatThrownBy(() -> RuleReader.from(Yaml.parse("""
                id: no-unsafe
                severity: warning
                summary: No unsafe
                select: "true()"
                message: "m"
                qemu: {severity: fatal}
                """, "r.rule.yaml"), "r.rule.yaml", true)).hasMessageContaining("severity must be error, warning or info");
    }

    @Test
    void aQemuCacheSettingIsRenderedAsWrittenNotAsAModeName() throws YamlException {
        DeclarativeRule rule = rule("""
                id: any-cache
                severity: info
                summary: Any cache
                select: "driver/@cache"
                message: "{disk} uses {setting}"
                """);
        ParsedFile args = load("qemu-system-x86_64 -drive file=/srv/w.img,if=virtio,cache.writeback=off,"
                + "cache.no-flush=on\n", Input.Kind.ARGS);
        assertThat(lint(args, rule)).singleElement().satisfies(f -> assertThat(f.message())
                .isEqualTo("disk virtio0 (/srv/w.img) uses cache.writeback=off,cache.no-flush=on"));
    }

    @Test
    void pointsAtTheOptionInAQemuCommandlineArg() {
        ParsedFile file = load("""
                <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
                  <name>t</name><devices/>
                  <qemu:commandline>
                    <qemu:arg value='-drive'/>
                    <qemu:arg value='file=/srv/a,,b.img,if=virtio,detect-zeroes=unmap'/>
                  </qemu:commandline>
                </domain>
                """, Input.Kind.XML);
        List<Finding> found = lint(file, DETECT_ZEROES);
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(at(file, f)).isEqualTo("unmap");
            assertThat(file.source().positionOf(f.span().start()).toString())
                    .isEqualTo(dev.virtlint.At.of(file.source().text(), "unmap"));
            assertThat(f.message()).startsWith("disk virtio0 (/srv/a,b.img) sets detect-zeroes=unmap but");
            assertThat(f.fix()).isEqualTo("add discard=unmap");
            assertThat(f.edits()).singleElement().satisfies(e -> assertThat(e.name()).isEqualTo("discard"));
        });
    }

    @Test
    void coversArgsFilesAndBlockdevJson() {
        ParsedFile args = load("""
                qemu-system-x86_64 \\
                  -blockdev '{"driver":"file","filename":"/srv/b.img","node-name":"f0","discard":"ignore","detect-zeroes":"unmap"}' \\
                  -device virtio-blk-pci,drive=f0,id=disk0 \\
                  -drive file=/srv/c.img,if=virtio,detect-zeroes=unmap,discard=unmap
                """, Input.Kind.ARGS);
        List<Finding> found = lint(args, DETECT_ZEROES);
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(at(args, f)).isEqualTo("unmap");
            assertThat(f.message()).contains("/srv/b.img");
        });
    }

    @Test
    void readOnlyDisksAreSkippedWhenTheRuleSaysWritable() {
        ParsedFile file = load("""
                <domain type='kvm'><name>t</name><devices>
                  <disk type='file' device='cdrom'>
                    <driver name='qemu' type='raw' detect_zeroes='unmap'/>
                    <source file='/srv/t.iso'/><target dev='hdc' bus='ide'/><readonly/>
                  </disk>
                </devices></domain>
                """, Input.Kind.XML);
        assertThat(lint(file, DETECT_ZEROES)).isEmpty();
    }

    private static DeclarativeRule rule(String yaml) throws YamlException {
        return RuleReader.from(Yaml.parse(yaml, "r.rule.yaml"), "r.rule.yaml", true);
    }

    @Test
    void templatesFillDomainValueAndAttributesAndTheViewMirrorsLibvirt() throws YamlException {
        DeclarativeRule r = rule("""
                id: shared-raw
                severity: info
                summary: Shareable
                select: "self::disk[shareable]/source/@file"
                message: "{domain}/{target}: {value} of type {@file} is shared ({source}){@missing}"
                """);
        ParsedFile args = load("qemu-system-x86_64 -name vm1 -drive file=/srv/s.img,if=virtio,format=raw\n",
                Input.Kind.ARGS);
        assertThat(lint(args, r)).isEmpty();
        ParsedFile xml = load("""
                <domain type='kvm'><name>vm1</name><devices>
                  <disk type='file' device='disk'>
                    <driver name='qemu' type='raw' cache='none'/>
                    <source file='/srv/s.img'/><target dev='vda' bus='virtio'/><shareable/>
                  </disk>
                </devices></domain>
                """, Input.Kind.XML);
        assertThat(lint(xml, r)).singleElement().satisfies(f -> {
            assertThat(f.message()).isEqualTo("vm1/vda: /srv/s.img of type /srv/s.img is shared (/srv/s.img)");
            assertThat(f.fix()).isNull();
        });
    }

    @Test
    void aBooleanSelectPointsAtTheDisk() throws YamlException {
        DeclarativeRule r = rule("""
                id: no-target-bus
                severity: warning
                summary: No bus
                select: "not(target/@bus)"
                message: "{disk} names no bus"
                """);
        ParsedFile xml = load("""
                <domain type='kvm'><name>t</name><devices>
                  <disk type='file' device='disk'><source file='/srv/t.img'/><target dev='vda'/></disk>
                </devices></domain>
                """, Input.Kind.XML);
        assertThat(lint(xml, r)).singleElement()
                .satisfies(f -> assertThat(at(xml, f)).isEqualTo("<disk type='file' device='disk'>"));
    }

    @Test
    void aRuleOverTheXPathBudgetIsAnErrorNamingItAndOtherDisksAndRulesGoOn() throws Exception {
        DeclarativeRule slow = RuleReader.from(Yaml.parse("""
                id: slow-rule
                severity: warning
                summary: Quadratic three times over
                select: "driver[count(//node()[count(//node()[count(//node()) > 0]) > 0]) > 0]"
                message: "{disk}"
                """, "slow.rule.yaml"), "slow.rule.yaml", true);
        StringBuilder xml = new StringBuilder("<domain type='kvm'><name>t</name><devices>\n");
        for (int i = 0; i < 40; i++) {
            xml.append("<disk type='file' device='disk'><driver name='qemu' type='raw' detect_zeroes='unmap'/>")
                    .append("<source file='/srv/").append(i).append(".img'/><target dev='vd")
                    .append((char) ('a' + i % 26)).append(i).append("' bus='virtio'/></disk>\n");
        }
        ParsedFile file = load(xml.append("</devices></domain>\n").toString(), Input.Kind.XML);
        List<Rule> rules = new ArrayList<>(Catalogue.rules());
        rules.add(slow);
        Linter.Settings base = Linter.Settings.defaults();
        Linter.Settings both = new Linter.Settings(Set.of(slow.id(), DETECT_ZEROES.id()), Set.of(), base.policy(),
                base.host(), rules, java.util.Map.of(), Set.of(), (n, p) -> false, (n, b) -> null,
                n -> null);
        long start = System.nanoTime();
        List<Finding> found = Linter.lint(file, both);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(20_000);
        assertThat(found.stream().filter(f -> f.rule().equals("slow-rule"))).hasSize(40).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).startsWith("rule slow-rule (slow.rule.yaml) stopped on disk vd")
                    .contains("visited more than 100000 nodes");
        });
        assertThat(found.stream().filter(f -> f.rule().equals(DETECT_ZEROES.id()))).hasSize(40);
    }

    /** A rule that sets discard='unmap' where detect_zeroes asks for it, its fix marked or not. */
    private static String discardRule(String safety) {
        return "id: discard-for-zeroes\nseverity: warning\nsummary: Discard\n"
                + "select: \"driver/@detect_zeroes[. = 'unmap'][not(../@discard = 'unmap')]\"\n"
                + "message: \"{disk} needs discard\"\nfix:\n  set: {discard: unmap}\n"
                + (safety == null ? "" : "  safety: " + safety + "\n");
    }

    @Test
    void aRuleFilesFixIsSafeUnlessTheFileSaysUnsafe() throws YamlException {
        ParsedFile xml = load("""
                <domain type='kvm'><name>t</name><devices>
                  <disk type='file' device='disk'>
                    <driver name='qemu' type='raw' cache='none' detect_zeroes='unmap'/>
                    <source file='/srv/t.img'/><target dev='vda' bus='virtio'/>
                  </disk>
                </devices></domain>
                """, Input.Kind.XML);
        for (String safety : new String[] {null, "safe"}) {
            assertThat(lint(xml, rule(discardRule(safety))))
                    .filteredOn(f -> f.rule().equals("discard-for-zeroes"))
                    .singleElement().satisfies(f -> {
                        assertThat(f.safety()).isEqualTo("safe");
                        assertThat(f.fixable()).isTrue();
                    });
        }
        assertThat(lint(xml,
                rule(discardRule("unsafe")))).filteredOn(f -> f.rule().equals("discard-for-zeroes"))
                .singleElement().satisfies(f -> {
                    assertThat(f.safety()).isEqualTo("unsafe");
                    assertThat(f.fixAssumptions()).containsExactly("assumes the fix of rule"
                            + " discard-for-zeroes suits this disk: its rule file says safety: unsafe");
                    assertThat(f.fixable()).isFalse();
                });
        assertThatThrownBy(() -> rule(discardRule("maybe"))).hasMessage(
                "rule discard-for-zeroes: safety must be safe or unsafe, found 'maybe'");
    }
}
