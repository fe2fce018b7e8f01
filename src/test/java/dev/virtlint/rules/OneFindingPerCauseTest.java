package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.advise.Advisor;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One cause, one finding (issue 18, section 4): on a disk without a cache mode, implicit-cache-mode
 * is not reported beside a finding that the missing mode causes, which names that cause itself.
 */
class OneFindingPerCauseTest {

    private static final String FEDORA = "<metadata><libosinfo:libosinfo xmlns:libosinfo="
            + "'http://libosinfo.org/xmlns/libvirt/domain/1.0'><libosinfo:os"
            + " id='http://fedoraproject.org/fedora/40'/></libosinfo:libosinfo></metadata>";

    private static String domain(String metadata, String comment, String driver) {
        return "<domain type='kvm'><name>web</name>" + metadata + "<memory unit='GiB'>4</memory>"
                + "<devices>" + comment + "<disk type='file' device='disk'>" + driver
                + "<source file='/var/lib/libvirt/images/web.qcow2'/><target dev='vda' bus='virtio'/>"
                + "</disk></devices></domain>";
    }

    private static Linter.Result run(String text, Linter.Settings settings) {
        Loader.Outcome o = Loader.load(new Input("web.xml", null, Input.Kind.XML,
                text.getBytes(StandardCharsets.UTF_8)));
        assertThat(o.error()).isNull();
        ParsedFile file = o.file();
        return Linter.run(file, settings, false);
    }

    private static List<String> rules(String text, Linter.Settings settings) {
        return run(text, settings).findings().stream().map(Finding::rule).toList();
    }

    @Test
    void aMissingModeIsReportedOnceByTheFindingItCauses() {
        String text = domain(FEDORA, "", "<driver name='qemu' type='qcow2'/>");
        List<Finding> findings = run(text, Linter.Settings.defaults()).findings();
        assertThat(findings).extracting(Finding::rule).containsExactly("double-caching");
        assertThat(findings.get(0).message())
                .contains("disk vda (/var/lib/libvirt/images/web.qcow2) gives no cache mode,"
                        + " so QEMU uses writeback: the host page cache keeps a second copy");
    }

    @Test
    void implicitCacheModeStaysWhenNothingElseIsCausedByTheMissingMode() {
        // The libguestfs school: a flushing guest may keep the host page cache, so no double-caching.
        Linter.Settings allow = new Linter.Settings(Set.of(), Set.of(), Advisor.Policy.ALLOW,
                HostFacts.defaults());
        assertThat(rules(domain(FEDORA, "", "<driver name='qemu' type='qcow2'/>"), allow))
                .containsExactly("implicit-cache-mode");
        // Only implicit-cache-mode selected: nothing restates it.
        Linter.Settings only = new Linter.Settings(Set.of("implicit-cache-mode"), Set.of(),
                Advisor.Policy.AVOID, HostFacts.defaults());
        assertThat(rules(domain(FEDORA, "", "<driver name='qemu' type='qcow2'/>"), only))
                .containsExactly("implicit-cache-mode");
        // An explicit mode: nothing is implicit, whatever else is reported.
        assertThat(rules(domain(FEDORA, "", "<driver name='qemu' type='qcow2' cache='writeback'/>"),
                Linter.Settings.defaults())).containsExactly("double-caching");
    }

    @Test
    void aSuppressedCauseRestatesNothingAndASuppressedImplicitStaysUsed() {
        String hideDouble = "<!-- virtlint: ignore=double-caching reason=\"memory is plenty\" -->";
        Linter.Result r = run(domain(FEDORA, hideDouble, "<driver name='qemu' type='qcow2'/>"),
                Linter.Settings.defaults());
        assertThat(r.findings()).extracting(Finding::rule).containsExactly("implicit-cache-mode");
        String hideImplicit = "<!-- virtlint: ignore=implicit-cache-mode reason=\"set by the"
                + " host's QEMU\" -->";
        r = run(domain(FEDORA, hideImplicit, "<driver name='qemu' type='qcow2'/>"),
                Linter.Settings.defaults());
        // The suppression hid implicit-cache-mode before the restating was looked at: still used.
        assertThat(r.findings()).extracting(Finding::rule).containsExactly("double-caching");
        assertThat(r.suppressed()).extracting(s -> s.finding().rule())
                .containsExactly("implicit-cache-mode");
    }

    @Test
    void everyRuleThatRestatesTheMissingModeSaysSo() {
        // A guest that does not flush, io='native' and no mode: each restating rule fires.
        String text = domain("<metadata><virtlint:virtlint"
                + " xmlns:virtlint='http://virtlint.dev/xmlns/domain/1.0'><virtlint:guest"
                + " flushes='no'/></virtlint:virtlint></metadata>", "", "<driver name='qemu' type='raw' io='native'/>");
        List<Finding> findings = run(text, Linter.Settings.defaults()).findings();
        assertThat(findings).extracting(Finding::rule)
                .containsExactlyInAnyOrderElementsOf(ImplicitCacheModeRule.RESTATED_BY);
        assertThat(findings).allSatisfy(f -> assertThat(f.message())
                .contains("no cache mode", "so QEMU uses writeback"));
    }
}
