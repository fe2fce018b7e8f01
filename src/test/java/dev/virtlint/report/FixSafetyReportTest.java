package dev.virtlint.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.advise.Advisor;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.rules.Catalogue;
import dev.virtlint.rules.DiskCheck;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.FixPlan;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Rule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * How each format shows a fix's kind, what an unsafe fix assumes, a large slowdown, and a clause a
 * rule's detection rests on; and that none of it moves a fingerprint.
 */
class FixSafetyReportTest {

    /** cache='unsafe' on /srv for a RHEL 9 guest: the fix to none makes writes much slower. */
    private static final String DOMAIN = """
            <domain type='kvm'>
              <name>db01</name>
              <metadata>
                <os:libosinfo xmlns:os="http://libosinfo.org/xmlns/libvirt/domain/1.0">
                  <os:os id="http://redhat.com/rhel/9.4"/>
                </os:libosinfo>
              </metadata>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw' cache='unsafe'/>
                  <source file='/srv/db01.raw'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;

    private static final HostFacts STATED =
            new HostFacts("6.8.0", List.of(new HostFacts.Mount("/", "xfs")));

    private static final Rule UNSAFE = Catalogue.byId("unsafe-cache-persistent-disk").orElseThrow();

    private static ParsedFile file() {
        byte[] bytes = DOMAIN.getBytes(StandardCharsets.UTF_8);
        return Loader.load(new Input("db01.xml", null, Input.Kind.XML, bytes)).file();
    }

    private static Linter.Settings on(HostFacts host) {
        return new Linter.Settings(Set.of(UNSAFE.id()), Set.of(), Advisor.Policy.AVOID, host);
    }

    /** The file linted with figures, its fix planned as lint plans it. */
    private static RunResult run(HostFacts host) {
        ParsedFile f = file();
        List<Finding> found = Linter.lint(f, on(host), true);
        FixPlan plan = dev.virtlint.rewrite.Fixer.plan(f, found);
        return new RunResult(List.of(new Checked(f, found, List.of(), plan)), List.of());
    }

    private static RunResult only(ParsedFile f, Finding finding) {
        FixPlan none = FixPlan.none(f.source().text());
        return new RunResult(List.of(new Checked(f, List.of(finding), List.of(), none)), List.of());
    }

    private static String render(Format format, RunResult run) {
        return format.report().render(run, List.of(UNSAFE), ReportSettings.plain("test"));
    }

    @Test
    void aSafeFixThatSlowsWritesMoreThanTwiceSaysSoInTextAndJson() {
        RunResult stated = run(STATED);
        Finding f = stated.findings().get(0);
        assertThat(f.safety()).isEqualTo("safe");
        double writes = f.evidence().writeRatio();
        assertThat(writes).as("the simulator's figure").isLessThan(dev.virtlint.rules.Finding.SLOWER);
        String ratio = EvidenceReport.ratio(writes);
        // Text: the speed line shows the ratio among the figures, and the fix line, which the
        // user acts on, says it too (issue 18: `cache='unsafe' -> cache='none' (writes 0.27x)`).
        assertThat(render(Format.text, stated))
                .contains(": " + ratio + " writes, ")
                .contains("\n  fix: cache='unsafe' -> cache='none' (writes " + ratio + ")\n")
                .contains("; 1 disk fixable by fix\n");
        Map<String, Object> json = json(stated);
        assertThat(json).containsEntry("fixSafety", "safe").containsEntry("fixable", true)
                .containsEntry("fixAssumptions", List.of()).containsEntry("assumptions", List.of());
        assertThat((Double) json.get("fixWriteRatio")).isLessThan(dev.virtlint.rules.Finding.SLOWER);
    }

    @Test
    void anUnsafeFixSaysWhatItAssumesInEveryFormat() {
        RunResult assumed = run(HostFacts.defaults());
        String clause = "assumes O_DIRECT works on /srv/db01.raw: no host profile";
        Finding f = assumed.findings().get(0);
        assertThat(f.fixAssumptions()).containsExactly(clause);
        String slower = " (writes " + EvidenceReport.ratio(f.evidence().writeRatio()) + ")";
        assertThat(render(Format.text, assumed))
                .contains("\n  fix (unsafe: " + clause + "): cache='unsafe' -> cache='none'" + slower
                        + "\n")
                .contains("; 1 unsafe fix not applied by fix (fix --unsafe-fixes applies it)\n");
        assertThat(json(assumed)).containsEntry("fixSafety", "unsafe")
                .containsEntry("fixable", false)
                .containsEntry("fixAssumptions", List.of(clause))
                .containsEntry("assumptions", List.of(clause));
        assertThat(render(Format.github, assumed))
                .contains("(unsafe fix: cache='unsafe' -> cache='none'" + slower + "; " + clause
                        + ")");
        assertThat(render(Format.junit, assumed))
                .contains("(unsafe fix: cache='unsafe' -&gt; cache='none'" + slower + "; " + clause
                        + ")");
        assertThat(render(Format.sarif, assumed)).doesNotContain("\"fixes\"")
                .contains("\"fixSafety\": \"unsafe\"").contains("\"" + clause + "\"");
    }

    @Test
    void aClauseTheDetectionRestsOnIsShownAndMovesNoFingerprint() {
        ParsedFile f = file();
        DiskCheck check = Linter.checks(f, on(STATED)).get(0);
        String clause = "assumes the guest's filesystem mounts with barriers";
        String message = "disk vda uses cache='unsafe'";
        Finding plain = check.finding(UNSAFE, message, check.cacheSpan());
        Finding noted = check.finding(UNSAFE, message, check.cacheSpan(), clause);
        assertThat(noted.assumptions()).containsExactly(clause);
        assertThat(noted.safety()).as("the fix still rests on stated facts").isEqualTo("safe");
        RunResult withClause = only(f, noted);
        assertThat(render(Format.text, withClause))
                .contains("  fix: cache='unsafe' -> cache='none'\n  " + clause + "\n");
        assertThat(render(Format.github, withClause))
                .contains("(fix: cache='unsafe' -> cache='none'; " + clause + ")");
        assertThat(render(Format.junit, withClause)).contains("; " + clause + ")");
        assertThat(render(Format.sarif, withClause)).contains("\"" + clause + "\"");
        assertThat(json(withClause)).containsEntry("assumptions", List.of(clause))
                .containsEntry("fixAssumptions", List.of());
        assertThat(Baseline.render(withClause).text())
                .isEqualTo(Baseline.render(only(f, plain)).text());
        assertThat(new Fingerprints().next(f, noted)).isEqualTo(new Fingerprints().next(f, plain));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(RunResult run) {
        Map<String, Object> root = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(render(Format.json, run));
        Map<String, Object> file = ((List<Map<String, Object>>) root.get("files")).get(0);
        return ((List<Map<String, Object>>) file.get("findings")).get(0);
    }
}
