package dev.virtlint.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.advise.Advisor;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.InputError;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Position;
import dev.virtlint.rules.Catalogue;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.FixPlan;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Rule;
import dev.virtlint.rules.Severity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Document;

/** What the CI formats (JUnit, SARIF, GitLab) make of file names and of the failure threshold. */
class CiReportTest {

    /** vda: cache='unsafe' (an error, and double caching, a warning). */
    private static final String DOMAIN = """
            <domain type='kvm'>
              <name>db01</name>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw' cache='unsafe'/>
                  <source file='/srv/db01.raw'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;

    private static final List<Rule> RULES = List.of(Catalogue.byId("unsafe-cache-persistent-disk").orElseThrow(),
            Catalogue.byId("double-caching").orElseThrow());

    private static Checked checked(String name, String text) {
        ParsedFile f = Loader.load(new Input(name, null, Input.Kind.XML, text.getBytes(StandardCharsets.UTF_8))).file();
        Linter.Settings on = new Linter.Settings(Set.of(RULES.get(0).id(), RULES.get(1).id()), Set.of(),
                Advisor.Policy.AVOID, dev.virtlint.facts.HostFacts.defaults());
        List<Finding> found = Linter.lint(f, on, false);
        return new Checked(f, found, List.of(), FixPlan.none(f.source().text()));
    }

    private static String render(Format format, Severity failOn, String helpUriBase, Checked... files) {
        return render(format, failOn, helpUriBase, List.of(), files);
    }

    private static String render(Format format, Severity failOn, String helpUriBase, List<InputError> errors,
                                 Checked... files) {
        ReportSettings settings = new ReportSettings("test", failOn, false,
                new ReportSettings.Display(false, false, false, false, helpUriBase));
        return format.report().render(new RunResult(List.of(files), errors), RULES, settings);
    }

    /** Parsed by the JDK's validating-grade parser, which rejects any character XML 1.0 does not allow. */
    private static Document strict(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String xpath(Document doc, String expression) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(expression, doc);
    }

    @Test
    void junitIsWellFormedXmlWhateverTheNamesHold() throws Exception {
        // U+FFFE and U+FFFF are not XML characters, nor are C0 controls but tab, LF and CR, nor a lone
        // surrogate; U+1F600 (a surrogate pair) is, and so are tab and CR, which must survive an attribute.
        String name = "vms/db\uFFFE\uFFFF\u0001\u001b\uD800x\uDFFF\uD83D\uDE00\t\r.xml";
        String shown = "vms/db\uFFFD\uFFFD\uFFFD\uFFFD\uFFFDx\uFFFD\uD83D\uDE00\t\r.xml";
        InputError error = new InputError("bad\uFFFE.xml", new Position(1, 1), "cannot parse \u0000here", false);
        String xml = render(Format.junit, Severity.WARNING, null, List.of(error), checked(name, DOMAIN));
        Document doc = strict(xml);
        assertThat(xpath(doc, "count(//testcase)")).isEqualTo("3");
        assertThat(xpath(doc, "//testcase[@name='double-caching']/@classname")).isEqualTo(shown);
        assertThat(xpath(doc, "//testcase[@name='input']/@classname")).isEqualTo("bad\uFFFD.xml");
        assertThat(xpath(doc, "//testcase[@name='input']/error")).isEqualTo("bad\uFFFD.xml:1:1: cannot parse \uFFFDhere");
        assertThat(xpath(doc, "//testcase[@name='unsafe-cache-persistent-disk']/failure")).startsWith(shown + ":5:");
    }

    @Test
    void junitFailsOnlyWhatTheThresholdFails() throws Exception {
        Checked c = checked("db01.xml", DOMAIN);
        Document warning = strict(render(Format.junit, Severity.WARNING, null, c));
        assertThat(xpath(warning, "/testsuites/testsuite/@failures")).isEqualTo("2");
        assertThat(xpath(warning, "count(//system-out)")).isEqualTo("0");

        Document error = strict(render(Format.junit, Severity.ERROR, null, c));
        assertThat(xpath(error, "/testsuites/@failures")).isEqualTo("1");
        assertThat(xpath(error, "/testsuites/testsuite/@failures")).isEqualTo("1");
        assertThat(xpath(error, "/testsuites/testsuite/@tests")).isEqualTo("2");
        assertThat(xpath(error, "//testcase[@name='unsafe-cache-persistent-disk']/failure/@message"))
                .startsWith("1 finding: disk vda");
        assertThat(xpath(error, "count(//testcase[@name='double-caching']/failure)")).isEqualTo("0");
        assertThat(xpath(error, "//testcase[@name='double-caching']/system-out"))
                .startsWith("db01.xml:5:").contains("warning [double-caching]");

        Document never = strict(render(Format.junit, null, null, c));
        assertThat(xpath(never, "/testsuites/@failures")).isEqualTo("0");
        assertThat(xpath(never, "count(//failure)")).isEqualTo("0");
        assertThat(xpath(never, "count(//system-out)")).isEqualTo("2");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sarifRule(String sarif, int i) {
        Map<String, Object> root = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(sarif);
        Map<String, Object> run = ((List<Map<String, Object>>) root.get("runs")).get(0);
        Map<String, Object> driver = (Map<String, Object>) ((Map<String, Object>) run.get("tool")).get("driver");
        return ((List<Map<String, Object>>) driver.get("rules")).get(i);
    }

    @Test
    void gitlabPathIsRelativeToTheProjectDirectoryWhereTheFileIsInIt() {
        Path cwd = Path.of("/builds/ops/vms/sub");
        assertThat(ReportPath.inProject("/builds/ops/vms/db01.xml", cwd, "/builds/ops/vms")).isEqualTo("db01.xml");
        assertThat(ReportPath.inProject("../db01.xml", cwd, "/builds/ops/vms")).isEqualTo("db01.xml");
        assertThat(ReportPath.inProject(".//a/../db01.xml", cwd, "/builds/ops/vms")).isEqualTo("sub/db01.xml");
        assertThat(ReportPath.inProject("../db01.xml", cwd, null)).isEqualTo("../db01.xml");
        assertThat(ReportPath.inProject("../db01.xml", cwd, "")).isEqualTo("../db01.xml");
        assertThat(ReportPath.inProject("/builds/ops/vms/sub/db01.xml", cwd, null)).isEqualTo("db01.xml");
        // A relative CI_PROJECT_DIR is the working directory's.
        assertThat(ReportPath.inProject("db01.xml", cwd, "..")).isEqualTo("sub/db01.xml");
        // Outside: as given, without ./.
        assertThat(ReportPath.inProject("/etc/libvirt/qemu/db01.xml", cwd, "/builds/ops/vms"))
                .isEqualTo("/etc/libvirt/qemu/db01.xml");
        assertThat(ReportPath.inProject("/builds/ops/vmsx/db01.xml", cwd, "/builds/ops/vms"))
                .isEqualTo("/builds/ops/vmsx/db01.xml");
        assertThat(ReportPath.inProject("-", cwd, "/builds/ops/vms")).isEqualTo("-");
        assertThat(ReportPath.inProject("--drive[1]", cwd, "/builds/ops/vms")).isEqualTo("--drive[1]");
        assertThat(ReportPath.inProject("a\u0000b.xml", cwd, null)).isEqualTo("a\u0000b.xml");
        // The report reads CI_PROJECT_DIR through the environment it is given.
        Checked c = checked("/builds/ops/vms/db01.xml", DOMAIN);
        String out = new GitlabReport(name -> name.equals("CI_PROJECT_DIR") ? "/builds/ops" : null, cwd)
                .render(new RunResult(List.of(c), List.of()), RULES, new ReportSettings("test", Severity.WARNING, false,
                        new ReportSettings.Display(false, false, false, false, null)));
        assertThat(out).contains("\"path\": \"vms/db01.xml\"").doesNotContain("\"path\": \"/");
    }

    @Test
    void sarifLinksARulePageOnlyWhereOneIsPublished() {
        Checked c = checked("db01.xml", DOMAIN);
        assertThat(sarifRule(render(Format.sarif, Severity.WARNING, null, c), 0))
                .doesNotContainKey("helpUri").containsKey("help");
        assertThat(sarifRule(render(Format.sarif, Severity.WARNING, "https://example.org/virtlint/rules/", c), 1))
                .containsEntry("helpUri", "https://example.org/virtlint/rules/double-caching");
        assertThat(sarifRule(render(Format.sarif, Severity.WARNING,
                "https://git.example/virtlint/blob/v1/rules/{id}.md", c), 0))
                .containsEntry("helpUri", "https://git.example/virtlint/blob/v1/rules/unsafe-cache-persistent-disk.md");
        assertThat(HelpUri.problem("https://example.org/rules/")).isNull();
        assertThat(HelpUri.problem("rules/")).contains("not an absolute URI");
        assertThat(HelpUri.problem("https://example.org/a b/")).contains("not a valid URI");
        assertThat(HelpUri.problem("https://example.org/rules")).contains("end it with / or use {id}");
        assertThat(HelpUri.problem("https://example.org/rules/{id}.md")).isNull();
        assertThat(HelpUri.problem("https://example.org/rule?id=")).isNull();
        assertThat(HelpUri.problem("https://example.org/rules#")).isNull();
    }

    @Test
    void sarifUrisKeepBackslashesAsWrittenAndDropALeadingDotSlash() {
        assertThat(SarifReport.uri("vms\\db01.xml")).isEqualTo("vms%5Cdb01.xml");
        assertThat(SarifReport.uri("C:\\vms\\db 01.xml")).isEqualTo("C%3A%5Cvms%5Cdb%2001.xml");
        assertThat(SarifReport.uri("./vms/db01.xml")).isEqualTo("vms/db01.xml");
        assertThat(SarifReport.uri("././db01.xml")).isEqualTo("db01.xml");
        assertThat(SarifReport.uri("../vms/./db01.xml")).isEqualTo("../vms/./db01.xml");
        assertThat(SarifReport.uri("vms/é.xml")).isEqualTo("vms/%C3%A9.xml");
        String sarif = render(Format.sarif, Severity.WARNING, null, checked("./vms\\db01.xml", DOMAIN));
        assertThat(sarif).contains("\"uri\": \"vms%5Cdb01.xml\"").doesNotContain("vms/db01.xml");
        assertThat(ReportPath.relative("./")).isEqualTo("./");
        assertThat(ReportPath.relative(".//a.xml")).isEqualTo("a.xml");
    }

    @Test
    @SuppressWarnings("unchecked")
    void gitlabNamesTheFileAsInTheRepositoryAndTellsFilesApart() {
        String json = render(Format.gitlab, Severity.WARNING, null,
                checked("./prod/db01.xml", DOMAIN), checked("staging/db01.xml", DOMAIN));
        List<Map<String, Object>> issues = (List<Map<String, Object>>) new Load(LoadSettings.builder().build())
                .loadFromString(json);
        assertThat(issues).hasSize(4);
        assertThat(issues).extracting(i -> ((Map<String, Object>) i.get("location")).get("path"))
                .containsExactly("prod/db01.xml", "prod/db01.xml", "staging/db01.xml", "staging/db01.xml");
        assertThat(issues).extracting(i -> i.get("fingerprint")).doesNotHaveDuplicates();
        assertThat(issues).extracting(i -> i.get("severity")).containsExactlyInAnyOrder("critical", "major",
                "critical", "major");
        assertThat(issues.get(0)).containsEntry("check_name", "double-caching").containsEntry("location",
                Map.of("path", "prod/db01.xml", "lines", Map.of("begin", 5)));
    }
}
