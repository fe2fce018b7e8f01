package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.parse.Yaml;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A rule file is read into what it says, or refused at the position of its first mistake. */
class RuleReaderTest {

    private static DeclarativeRule rule(String yaml) throws YamlException {
        return RuleReader.from(Yaml.parse(yaml, "r.rule.yaml"), "r.rule.yaml", true);
    }

    private static RuleDefinition definition(String yaml) throws YamlException {
        return RuleReader.definition(Yaml.parse(yaml, "r.rule.yaml"), "r.rule.yaml");
    }

    @Test
    void aFixSetsItsAttributesInTheOrderTheFileWritesThem() throws YamlException {
        // The fix's text and its edits follow set:'s order; an unordered map (Map.copyOf) gave
        // another order on each JVM run, so the same rule fixed the same file differently.
        List<String> names = List.of("io", "cache", "discard", "copy_on_read", "detect_zeroes",
                "error_policy", "rerror_policy", "queues");
        StringBuilder set = new StringBuilder();
        for (String n : names) {
            set.append(set.length() == 0 ? "" : ", ").append(n).append(": x");
        }
        RuleDefinition d = definition("id: ordered\nseverity: info\nsummary: s\nselect: driver\n"
                + "message: m\nfix: {set: {" + set + "}}\n");
        assertThat(List.copyOf(d.fix().set().keySet())).isEqualTo(names);
    }

    @Test
    void aDefinitionHoldsWhatTheFileSaysAndTheDefaultsOfWhatItLeavesOut() throws YamlException {
        RuleDefinition least = definition("""
                id: least
                severity: info
                summary: Least
                select: "driver"
                message: "  {disk} has a driver  "
                """);
        assertThat(least.meta()).isEqualTo(new RuleMeta("least", "Least", Severity.INFO, "custom"));
        assertThat(least.file()).isEqualTo("r.rule.yaml");
        assertThat(least.writableOnly()).isFalse();
        assertThat(least.select()).isEqualTo("driver");
        assertThat(least.message()).isEqualTo("{disk} has a driver");
        assertThat(least.qemu())
                .isEqualTo(new RuleDefinition.Said(Severity.INFO, "{disk} has a driver"));
        assertThat(least.prefixes()).isEmpty();
        assertThat(least.fix()).isNull();

        RuleDefinition most = definition("""
                id: most
                severity: warning
                category: speed
                summary: Most
                disks: writable
                namespaces: {b: "urn:b", a: "urn:a"}
                select: "a:x/@y"
                message: "{value}"
                qemu: {message: "QEMU {value}"}
                fix:
                  element: ".."
                  set: {io: threads}
                  remove: [name]
                """);
        assertThat(most.meta().category()).isEqualTo("speed");
        assertThat(most.writableOnly()).isTrue();
        assertThat(most.prefixes())
                .containsExactly(Map.entry("b", "urn:b"), Map.entry("a", "urn:a"));
        assertThat(most.qemu())
                .isEqualTo(new RuleDefinition.Said(Severity.WARNING, "QEMU {value}"));
        assertThat(most.fix()).isEqualTo(new RuleDefinition.Fix("..", Map.of("io", "threads"),
                List.of("name"), false));
    }

    @Test
    void ofTwoMistakesTheOneBeforeTheXPathsIsReported() {
        String badSelectAndMessage = "id: x\nseverity: info\nsummary: s\nselect: [a]\n"
                + "message: \"{nope}\"\n";
        assertThatThrownBy(() -> definition(badSelectAndMessage))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(at(e))
                        .isEqualTo(dev.virtlint.At.of(badSelectAndMessage, "\"{nope}")));
        String badSelectAndElement = "id: x\nseverity: info\nsummary: s\nselect: [a]\nmessage: m\n"
                + "fix: {element: [b], set: {io: threads}}\n";
        assertThatThrownBy(() -> definition(badSelectAndElement))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(at(e))
                        .isEqualTo(dev.virtlint.At.of(badSelectAndElement, "[a]")));
    }

    private static String at(YamlException e) {
        return e.line() + ":" + e.column();
    }

    @Test
    void ruleFileMistakesAreReportedWithTheirPosition() {
        assertThatThrownBy(() -> rule("id: x\nseverity: loud\nsummary: s\nselect: a\nmessage: m\n"))
                .hasMessage("rule x: severity must be error, warning or info, found 'loud'");
        assertThatThrownBy(() -> rule("id: x\nseverity: info\nsummary: s\nselect: a\nmessage: \"{nope}\"\n"))
                .hasMessageStartingWith("rule x: unknown placeholder {nope}");
        assertThatThrownBy(() -> rule("id: x\nseverity: info\nsummary: s\nselect: \"foo:bar\"\nmessage: m\n"))
                .isInstanceOfSatisfying(YamlException.class, e -> {
                    assertThat(e.line() + ":" + e.column()).isEqualTo(
                            dev.virtlint.At.of("id: x\nseverity: info\nsummary: s\nselect: \"foo:bar\"\nmessage: m\n", "\""));
                    assertThat(e.getMessage()).startsWith("rule x: invalid XPath 'foo:bar'");
                });
        assertThatThrownBy(() -> rule("id: Bad_Id\nseverity: info\nsummary: s\nselect: a\nmessage: m\n"))
                .hasMessageContaining("must be kebab-case");
        assertThatThrownBy(() -> rule("id: x\nseverity: info\nsummary: s\nselect: a\nmessage: m\nfix: {}\n"))
                .hasMessage("rule x: a fix needs set: or remove:");
    }

    @Test
    void aRuleMayNotCallDocumentOrAnyFunctionOutsideXPath10EvenOnABranchNotTaken() {
        for (String select : List.of("false() and document('file:///etc/passwd')", "evaluate('driver')",
                "driver[ends-with(@cache, 'back')]")) {
            String rule = """
                    id: reads-files
                    severity: warning
                    summary: Reads files
                    select: "%s"
                    message: "{disk}"
                    """.formatted(select);
            assertThatThrownBy(() -> RuleReader.from(Yaml.parse(rule, "r.rule.yaml"), "r.rule.yaml", true))
                    .isInstanceOfSatisfying(YamlException.class, e -> {
                        assertThat(e.format()).startsWith("r.rule.yaml:" + dev.virtlint.At.of(rule, "\"")
                                + ": error: rule reads-files: invalid XPath");
                        assertThat(e.getMessage()).contains("() is not allowed; rules may call only the XPath 1.0");
                    });
        }
    }

}
