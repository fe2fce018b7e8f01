package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.report.EvidenceReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class HtmlReportTest {

    @TempDir
    Path dir;

    /**
     * vda: cache='unsafe' on a persistent disk (findings with figures); vdb: a network disk with no
     * cache mode (a finding without figures); vdc: an image on /dev/shm (everything lost in every
     * mode, speed not modelled); vdd: clean.
     */
    private static final String DOMAIN = """
            <domain type='kvm'>
              <name>db01</name>
              <memory unit='GiB'>8</memory>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw' cache='unsafe'/>
                  <source file='/srv/db01.raw'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <disk type='network' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source protocol='gluster' name='vol/db01-work.qcow2'>
                    <host name='gluster01.example.net' port='24007'/>
                  </source>
                  <target dev='vdb' bus='virtio'/>
                </disk>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw' cache='none' io='native'/>
                  <source file='/dev/shm/db01-tmp.img'/>
                  <target dev='vdc' bus='virtio'/>
                </disk>
                <disk type='block' device='disk'>
                  <driver name='qemu' type='raw' cache='none' io='native'/>
                  <source dev='/dev/vg/db01-data'/>
                  <target dev='vdd' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** Each disk section of the page, by the disk's target. */
    private static Map<String, String> diskSections(String page) {
        Map<String, String> sections = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("<section class=\"disk\" data-disk=\"([^\"]*)\" data-index=\"\\d+\">(.*?)\n</section>",
                Pattern.DOTALL).matcher(page);
        while (m.find()) {
            sections.put(m.group(1), m.group(2));
        }
        return sections;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> jsonFindings(String json) {
        Map<String, Object> root = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(json);
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object f : (List<Object>) root.get("files")) {
            all.addAll((List<Map<String, Object>>) ((Map<String, Object>) f).get("findings"));
        }
        return all;
    }

    @Test
    void everyDiskWithAFindingHasAFigureAndOnlyThose() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        Cli.Run run = Cli.run("lint", "--format", "html", "--fail-on", "never", f.toString());
        assertThat(run.exit()).isZero();
        Map<String, String> sections = diskSections(run.out());
        List<String> withFindings = jsonFindings(Cli.run("lint", "--format", "json", f.toString()).out())
                .stream().map(x -> (String) x.get("disk")).distinct().toList();
        assertThat(withFindings).contains("vda", "vdb", "vdc").doesNotContain("vdd");
        assertThat(sections.keySet()).containsExactlyElementsOf(withFindings);
        // Every disk is listed, the clean one too.
        assertThat(run.out()).contains("<tr><td>vdd</td><td>/dev/vg/db01-data</td><td>none</td><td>none</td></tr>");
        for (String section : sections.values()) {
            assertThat(Pattern.compile("<svg class=\"chart").matcher(section).results().count())
                    .as(section).isEqualTo(1);
        }
        // The chart of a disk with figures plots the five modes.
        assertThat(Pattern.compile("<g class=\"mode[^\"]*\" data-mode=").matcher(sections.get("vda"))
                .results().count()).isEqualTo(5);
    }

    @Test
    void chartMarksTheCurrentModeAndTheRecommendationOfTheFindings() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        String page = Cli.run("lint", "--format", "html", f.toString()).out();
        String recommended = jsonFindings(Cli.run("lint", "--format", "json", f.toString()).out()).stream()
                .filter(x -> "vda".equals(x.get("disk")) && x.get("recommended") != null)
                .map(x -> (String) ((Map<String, Object>) x.get("recommended")).get("cache"))
                .findFirst().orElseThrow();
        assertThat(recommended).isNotEqualTo("unsafe");
        String vda = diskSections(page).get("vda");
        assertThat(vda).contains("<g class=\"mode current\" data-mode=\"unsafe\">")
                .contains("<g class=\"mode recommended\" data-mode=\"" + recommended + "\">")
                .contains("unsafe (current)").contains(recommended + " (recommended)");
        assertThat(Pattern.compile("<g class=\"mode current").matcher(vda).results().count()).isEqualTo(1);
        // The table says it in text too.
        assertThat(vda).contains("<tr class=\"current\"><th scope=\"row\">unsafe</th><td>current</td>")
                .contains("<tr class=\"recommended\"><th scope=\"row\">" + recommended
                        + "</th><td>recommended</td>");
    }

    @Test
    @SuppressWarnings("unchecked")
    void tableHoldsSimulatesFiguresForTheDisk() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        String vda = diskSections(Cli.run("lint", "--format", "html", f.toString()).out()).get("vda");
        Map<String, Object> sim = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Cli.run("simulate", "--format", "json", f + ":vda").out());
        double currentWrite = 0;
        for (Object o : (List<Object>) sim.get("modes")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (m.get("cache").equals(sim.get("current"))) {
                currentWrite = ((Number) m.get("writeMBps")).doubleValue();
            }
        }
        for (Object o : (List<Object>) sim.get("modes")) {
            Map<String, Object> m = (Map<String, Object>) o;
            Map<String, Object> loss = (Map<String, Object>) m.get("loss");
            StringBuilder row = new StringBuilder("<th scope=\"row\">" + m.get("cache") + "</th><td>[a-z, ]*</td>");
            for (String kind : List.of("qemuCrash", "hostCrash", "powerLoss")) {
                long p95 = ((Number) ((Map<String, Object>) loss.get(kind)).get("p95")).longValue();
                row.append("<td>").append(Pattern.quote(EvidenceReport.bytes(p95))).append("</td>");
            }
            row.append("<td>").append(Pattern.quote(EvidenceReport.ratio(
                    ((Number) m.get("writeMBps")).doubleValue() / currentWrite))).append("</td>");
            assertThat(vda).containsPattern(row.toString());
        }
    }

    @Test
    void whereTheSimulatorGivesNoFiguresTheChartSaysSo() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        Map<String, String> sections = diskSections(Cli.run("lint", "--format", "html", f.toString()).out());
        String network = sections.get("vdb");
        assertThat(network).contains("<svg class=\"chart none\"").contains("no simulator figures")
                .doesNotContain("data-mode=").doesNotContain("<table class=\"figures\"");
        String inRam = sections.get("vdc");
        assertThat(inRam).contains("<svg class=\"chart none\"")
                .contains("loses everything written to this disk in every cache mode")
                .contains("<td>everything</td>").contains("<td>not modelled</td>")
                .doesNotContain("data-mode=");
    }

    /** Why a disk has no chart comes from its own findings: what libvirt or QEMU refused. */
    @Test
    void theReasonForNoChartNamesWhatWasRefused() throws IOException {
        String typos = Cli.run("lint", "--format", "html", "--fail-on", "never",
                "samples/invalid-setting/ansible-template-typos.xml").out();
        // vdc has cache='none', io='default' and bus='virtoi': its cache setting is not refused.
        String vdc = diskSections(typos).get("vdc");
        assertThat(vdc).contains("<svg class=\"chart none\"")
                .contains("libvirt refuses io=&#39;default&#39;, bus=&#39;virtoi&#39;, see invalid-setting")
                .doesNotContain("cache-mode-refused").doesNotContain("refuses its cache setting");
        // sda: device='cd-rom', refused, not taken for the read-only CD-ROM it was meant to be.
        assertThat(diskSections(typos).get("sda")).contains("libvirt refuses device=&#39;cd-rom&#39;, see invalid-setting")
                .doesNotContain("(read-only)");
        String args = Cli.run("lint", "--format", "html", "--fail-on", "never",
                "samples/invalid-setting/launch-typos.args").out();
        assertThat(diskSections(args).get("data")).contains("QEMU refuses discard=yes, write-cache=yes")
                .doesNotContain("cache-mode-refused");
        String vdpa = Cli.run("lint", "--format", "html", "--fail-on", "never",
                "samples/cache-mode-refused/vdpa-writeback.xml").out();
        assertThat(diskSections(vdpa).get("vda")).contains("refuses its cache setting, see cache-mode-refused");
    }

    /**
     * The chart's modes keep simulate's conditions: a sparse qcow2 image of a guest that does not
     * flush loses qcow2 L2 entries on a QEMU crash in every mode with a write cache, which the
     * evidence (about the disk as it is and as recommended) does not say for the others.
     */
    @Test
    void theChartSaysWhatSimulateSaysOfQcow2MetadataInTheOtherModes() throws IOException {
        String path = "/var/lib/libvirt/images/fill.qcow2";
        Path f = write("fill.xml", """
                <domain type='kvm'>
                  <name>fill</name>
                  <metadata>
                    <virtlint:virtlint xmlns:virtlint="http://virtlint.dev/xmlns/domain/1.0">
                      <virtlint:guest flushes="no"/>
                    </virtlint:virtlint>
                  </metadata>
                  <memory unit='GiB'>4</memory>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='qcow2' cache='writethrough'/>
                      <source file='%s'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>
                """.formatted(path));
        String all = "qcow2 metadata, not in the figures: in the modes that keep a write cache for this guest";
        assertThat(Cli.run("simulate", f + ":vda").out()).contains(all);
        String vda = diskSections(Cli.run("lint", "--format", "html", "--fail-on", "never", f.toString()).out())
                .get("vda");
        assertThat(vda).as("a finding with figures").contains("<table class=\"figures\"");
        String notes = vda.substring(vda.indexOf("<ul class=\"notes\">"));
        assertThat(notes).contains(all);
        // Stated preallocated, its L2 entries exist: simulate says nothing of them, nor does the page.
        Path profile = write("host.yaml", "images:\n  - {path: " + path + ", allocation: preallocated}\n");
        assertThat(Cli.run("simulate", "--host", profile.toString(), f + ":vda").out()).doesNotContain("qcow2 metadata");
        assertThat(Cli.run("lint", "--format", "html", "--fail-on", "never", "--host", profile.toString(),
                f.toString()).out()).doesNotContain("qcow2 metadata");
    }

    @Test
    void pageFetchesNothingAndItsPolicyAllowsOnlyItsStyle() throws Exception {
        Path f = write("db01.xml", DOMAIN);
        String page = Cli.run("lint", "--format", "html", f.toString()).out();
        assertThat(page).doesNotContainPattern("(?i)https?:").doesNotContainPattern("(?i)<script")
                .doesNotContainPattern("(?i)<link").doesNotContainPattern("(?i)<img")
                .doesNotContainPattern("(?i)url\\(").doesNotContainPattern("(?i)@import")
                .doesNotContainPattern("(?i) src=").doesNotContainPattern("(?i) style=");
        Matcher policy = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">")
                .matcher(page);
        assertThat(policy.find()).isTrue();
        assertThat(policy.group(1)).startsWith("default-src 'none';");
        Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(page);
        assertThat(style.find()).isTrue();
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(style.group(1).getBytes(StandardCharsets.UTF_8)));
        assertThat(policy.group(1)).contains("style-src 'sha256-" + hash + "'");
        assertThat(style.find()).as("one style element").isFalse();
    }

    @Test
    void fileNamesAndDomainNamesAreEscaped() throws IOException {
        String hostile = DOMAIN.replace("<name>db01</name>", "<name>&lt;script&gt;x&lt;/script&gt;</name>")
                .replace("/srv/db01.raw", "/srv/&quot;&gt;&lt;b&gt;.raw");
        Path f = write("a<i>&'\".xml", hostile);
        String page = Cli.run("lint", "--format", "html", f.toString()).out();
        assertThat(page).doesNotContain("<script>").doesNotContain("<i>").doesNotContain("<b>")
                .doesNotContain("\"><b>")
                .contains("a&lt;i&gt;&amp;&#39;&quot;.xml").contains("&lt;script&gt;x&lt;/script&gt;")
                .contains("/srv/&quot;&gt;&lt;b&gt;.raw");
    }

    @Test
    void quickPathWritesTheSamePageAsPicocli() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        Cli.Run quick = Cli.main("lint", "--format", "html", f.toString());
        Cli.Run full = Cli.run("lint", "--format", "html", f.toString());
        assertThat(quick.out()).isEqualTo(full.out()).contains("<svg class=\"chart\"");
        assertThat(quick.exit()).isEqualTo(full.exit()).isEqualTo(ExitCode.FINDINGS);
    }

    @Test
    void speedsAreMegabytesPerSecondOnlyOnAMeasuredScale() throws IOException {
        StringBuilder costs = new StringBuilder("memory: 64GiB\ncosts:\n");
        for (String name : dev.virtlint.facts.HostFacts.COST_NAMES) {
            costs.append("  ").append(name).append(": ").append(name.equals("sync-contention") ? "1.0" : "50")
                    .append('\n');
        }
        Path profile = write("bench.yaml", costs.toString());
        String measured = Cli.run("simulate", "--format", "html", "--flushes", "yes", "--host", profile.toString())
                .out();
        String assumed = Cli.run("simulate", "--format", "html", "--flushes", "yes").out();
        assertThat(measured).contains("write MB/s at the scale measured on " + profile)
                .contains("<th scope=\"col\">writes MB/s</th>").containsPattern("<td>[\\d.]+ MB/s</td>");
        assertThat(assumed).contains("write speed relative to the current mode, writeback")
                .contains("<th scope=\"col\">writes (relative)</th>").doesNotContainPattern("<td>[\\d.]+ MB/s</td>")
                .contains("speeds are ratios to the current mode");
    }

    @Test
    void simulateWritesOneDisksWhatIfAsAPage() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        Cli.Run run = Cli.run("simulate", "--format", "html", f + ":vda");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("<!DOCTYPE html>").contains("Content-Security-Policy")
                .contains("<g class=\"mode current\" data-mode=\"unsafe\">")
                .contains("simulated: disk vda (/srv/db01.raw) of domain db01")
                .doesNotContainPattern("(?i)https?:");
        assertThat(Pattern.compile("<svg class=\"chart\"").matcher(run.out()).results().count()).isEqualTo(1);
        assertThat(Pattern.compile("<g class=\"mode[^\"]*\" data-mode=").matcher(run.out()).results().count())
                .isEqualTo(5);
        // The image format still combines with the output format.
        assertThat(Cli.run("simulate", "--format", "qcow2,html", "--flushes", "yes").out())
                .contains("qcow2, sparse").contains("<svg class=\"chart\"");
        assertThat(Cli.run("simulate", "--format", "pdf", "--flushes", "yes").err())
                .contains("--format takes text, json, html, raw or qcow2, not 'pdf'");
    }
}
