package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.Document;
import org.dom4j.io.SAXReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class CiFormatsTest {

    @TempDir
    Path dir;

    /** vda: cache='unsafe' (unsafe + double caching); vdb: writeback, with its double caching suppressed. */
    private static final String DOMAIN = """
            <domain type='kvm'>
              <name>db01</name>
              <metadata>
                <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
                  <libosinfo:os id="http://redhat.com/rhel/9.4"/>
                </libosinfo:libosinfo>
              </metadata>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw' cache='unsafe'/>
                  <source file='/srv/db01.raw'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <!-- virtlint: ignore=double-caching reason="benchmark box, RAM to spare" -->
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw' cache='writeback'/>
                  <source file='/srv/db01-bench.raw'/>
                  <target dev='vdb' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** A host profile that states the filesystem of /srv: O_DIRECT works there, fixes are safe. */
    private String host() throws IOException {
        return write("host.yaml",
                "kernel: \"6.8.0\"\nmounts:\n  - {path: /srv, fstype: xfs}\n").toString();
    }

    private static List<String> all(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void sarifCarriesRulesRegionsFixesEvidenceAndSuppressions() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        Cli.Run run = Cli.run("lint", "--format", "sarif", "--host", host(), f.toString());
        assertThat(run.exit()).isEqualTo(ExitCode.FINDINGS);
        String s = run.out();
        assertThat(s).contains("\"version\": \"2.1.0\"").contains("\"name\": \"virtlint\"")
                .contains("\"id\": \"unsafe-cache-persistent-disk\"").contains("\"name\": \"UnsafeCachePersistentDisk\"")
                .doesNotContain("\"helpUri\"").doesNotContain("virtlint.dev/rules")
                .contains("\"defaultConfiguration\": {\n");
        // The unsafe finding points at the value 'unsafe' on line 10: columns 45 to 51.
        assertThat(s).containsPattern("\"ruleId\": \"unsafe-cache-persistent-disk\",\\s+\"ruleIndex\": \\d+,\\s+\"level\": \"error\"")
                .containsPattern("\"startLine\": 10,\\s+\"startColumn\": 45,\\s+\"endLine\": 10,\\s+\"endColumn\": 51,"
                        + "\\s+\"snippet\": \\{\\s+\"text\": \"unsafe\"");
        assertThat(s).containsPattern("\"deletedRegion\": \\{\\s+\"startLine\": 10,\\s+\"startColumn\": 45,"
                + "\\s+\"endLine\": 10,\\s+\"endColumn\": 51\\s+},\\s+\"insertedContent\": \\{\\s+\"text\": \"none\"");
        assertThat(s).contains("\"evidence\": {").contains("\"guestFlushes\"");
        assertThat(s).containsPattern("\"suppressions\": \\[\\s+\\{\\s+\"kind\": \"inSource\",\\s+"
                + "\"justification\": \"benchmark box, RAM to spare\"");
        assertThat(all(Pattern.compile("\"virtlint/v1\": \"([0-9a-f]{32})\""), s)).hasSize(3).doesNotHaveDuplicates();
    }


    @Test
    void helpUriBaseLinksEveryRuleAndABadOneIsAUsageError() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        Cli.Run run = Cli.main("lint", "--format", "sarif", "--help-uri-base", "https://example.org/r/{id}.html",
                f.toString());
        assertThat(run.exit()).isEqualTo(ExitCode.FINDINGS);
        int rules = Cli.run("rules").out().strip().split("\n").length;
        assertThat(all(Pattern.compile("\"helpUri\": \"https://example\\.org/r/([a-z-]+)\\.html\""), run.out()))
                .hasSize(rules).contains("unsafe-cache-persistent-disk");
        Cli.Run bad = Cli.main("lint", "--format", "sarif", "--help-uri-base", "rules/", f.toString());
        assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("--help-uri-base rules/ is not an absolute URI");
        assertThat(bad.out()).isEmpty();
        // No slash and no {id}: the links would read .../rulesdouble-caching.
        Cli.Run unended = Cli.main("lint", "--format", "sarif", "--help-uri-base", "https://example.org/rules",
                f.toString());
        assertThat(unended.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(unended.err()).contains("end it with / or use {id}");
        assertThat(unended.out()).isEmpty();
    }

    /**
     * The GitLab Code Quality report of every sample, walked as {@code ./samples} (so every name
     * starts with ./), against the schema written from GitLab's documentation; a report with a
     * severity GitLab does not know fails it, so the check can fail.
     */
    @Test
    void gitlabCodeQualityOfTheSamplesFollowsGitlabsFormat() throws IOException {
        Cli.Run run = Cli.run("lint", "--format", "gitlab", "./samples");
        // samples/domains/two-domains-dumpxml.xml is refused on purpose: exit 3, and an issue of its own.
        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.INPUT);
        assertThat(run.out()).startsWith("[\n");
        com.networknt.schema.Schema schema = com.networknt.schema.SchemaRegistry
                .withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_7)
                .getSchema(Files.readString(Path.of("src/test/resources/dev/virtlint/report/gitlab-code-quality.schema.json")),
                        com.networknt.schema.InputFormat.JSON);
        assertThat(schema.validate(run.out(), com.networknt.schema.InputFormat.JSON)).isEmpty();
        String wrong = run.out().replaceFirst("\"severity\": \"[a-z]+\"", "\"severity\": \"warning\"");
        assertThat(schema.validate(wrong, com.networknt.schema.InputFormat.JSON)).isNotEmpty();
        String dotted = run.out().replaceFirst("\"path\": \"", "\"path\": \"./");
        assertThat(schema.validate(dotted, com.networknt.schema.InputFormat.JSON)).isNotEmpty();

        List<String> prints = all(Pattern.compile("\"fingerprint\": \"([0-9a-f]+)\""), run.out());
        assertThat(prints).hasSizeGreaterThan(100).doesNotHaveDuplicates();
        assertThat(run.out()).contains("\"path\": \"samples/domains/two-domains-dumpxml.xml\"")
                .contains("\"check_name\": \"input-error\"").contains("\"severity\": \"blocker\"")
                .contains("\"severity\": \"critical\"").contains("\"severity\": \"major\"");
    }

    /** lint --format gitlab run as a process in {@code cwd}, with CI_PROJECT_DIR set to {@code project} unless null. */
    private static String gitlab(Path cwd, Path project, String... paths) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.virtlint.cli.Main", "lint", "--format", "gitlab"));
        cmd.addAll(List.of(paths));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("CI_PROJECT_DIR");
        if (project != null) {
            pb.environment().put("CI_PROJECT_DIR", project.toString());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isEqualTo(ExitCode.FINDINGS);
        return out;
    }

    /**
     * GitLab links location.path in the repository: relative to CI_PROJECT_DIR when the job sets
     * it, else to the working directory, whether the file was named absolute, with ../ or from a
     * subdirectory; a file outside keeps the name it was given.
     */
    @Test
    void gitlabPathsAreRelativeToTheProjectDirectory() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Path sub = Files.createDirectories(repo.resolve("sub"));
        Files.createDirectories(repo.resolve("vms"));
        Files.writeString(repo.resolve("vms/a.xml"), DOMAIN);
        Files.writeString(repo.resolve("vms/b.xml"), DOMAIN);
        Files.writeString(sub.resolve("c.xml"), DOMAIN);
        Pattern path = Pattern.compile("\"path\": \"([^\"]*)\"");
        String absolute = repo.resolve("vms/b.xml").toString();

        String ci = gitlab(sub, repo, "../vms/a.xml", absolute, "./c.xml");
        assertThat(all(path, ci)).containsOnly("vms/a.xml", "vms/b.xml", "sub/c.xml");
        com.networknt.schema.Schema schema = com.networknt.schema.SchemaRegistry
                .withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_7)
                .getSchema(Files.readString(Path.of("src/test/resources/dev/virtlint/report/gitlab-code-quality.schema.json")),
                        com.networknt.schema.InputFormat.JSON);
        assertThat(schema.validate(ci, com.networknt.schema.InputFormat.JSON)).isEmpty();
        assertThat(all(Pattern.compile("\"fingerprint\": \"([0-9a-f]+)\""), ci)).doesNotHaveDuplicates();

        // No CI_PROJECT_DIR: the working directory is the project.
        assertThat(all(path, gitlab(repo, null, "sub/../vms/a.xml", absolute)))
                .containsOnly("vms/a.xml", "vms/b.xml");
        // Outside the working directory (and no CI_PROJECT_DIR): as given.
        assertThat(all(path, gitlab(sub, null, "../vms/a.xml", absolute, "c.xml")))
                .containsOnly("../vms/a.xml", absolute, "c.xml");
    }

    /** A file named twice, or named and met in a walk, is linted once, under its first name. */
    @Test
    void aFileGivenTwiceIsLintedOnce() throws Exception {
        Path f = write("db01.xml", DOMAIN);
        Files.createDirectories(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link.xml"), f);
        String again = dir + "/./sub/../db01.xml";
        Cli.Run text = Cli.run("lint", f.toString(), again, dir.resolve("link.xml").toString(), dir.toString());
        assertThat(text.out()).contains("in 1 file").doesNotContain(again).doesNotContain("link.xml");
        Cli.Run once = Cli.run("lint", f.toString());
        assertThat(text.out()).isEqualTo(once.out());
        String gitlab = Cli.run("lint", "--format", "gitlab", f.toString(), again).out();
        List<String> prints = all(Pattern.compile("\"fingerprint\": \"([0-9a-f]+)\""), gitlab);
        assertThat(prints).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void gitlabFingerprintsDoNotMoveWithLines() throws IOException {
        Pattern print = Pattern.compile("\"fingerprint\": \"([0-9a-f]{32})\"");
        String before = Cli.run("lint", "--format", "gitlab", write("a.xml", DOMAIN).toString()).out();
        String moved = DOMAIN.replace("  <devices>\n", "  <devices>\n" + "\n".repeat(20) + "    <!-- moved -->\n");
        String after = Cli.run("lint", "--format", "gitlab", write("a.xml", moved).toString()).out();
        assertThat(after).contains("\"begin\": 31").doesNotContain("\"begin\": 10");
        // The suppressed double caching of vdb is left out: two issues.
        assertThat(all(print, after)).hasSize(2).isEqualTo(all(print, before));
    }

    /**
     * Two disks called sda (libvirt's own test qemuxml2argvdata/disk-same-targets.xml has three):
     * each finding carries the fix of its own disk, whose edit is on the finding's line, not the fix
     * of the last disk of that name (the report once looked the fix up by the disk's name).
     */
    @Test
    @SuppressWarnings("unchecked")
    void sarifGivesEachFindingTheFixOfItsOwnDisk() throws IOException {
        String disk = """
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw' cache='unsafe'/>
                      <source file='/srv/%s.raw'/>
                      <target dev='sda' bus='%s'/>
                    </disk>
                """;
        String domain = DOMAIN.replaceAll("(?s)    <disk.*</disk>\n", disk.formatted("usb", "usb")
                + disk.formatted("scsi", "scsi"));
        String out = Cli.run("lint", "--format", "sarif", "--host", host(),
                write("same.xml", domain).toString()).out();
        Map<String, Object> sarif = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(out);
        List<Map<String, Object>> results = (List<Map<String, Object>>) ((List<Map<String, Object>>)
                sarif.get("runs")).get(0).get("results");
        List<Integer> lines = new ArrayList<>();
        for (Map<String, Object> r : results) {
            Object fixes = r.get("fixes");
            if (fixes == null) {
                continue;
            }
            Map<String, Object> change = ((List<Map<String, Object>>)
                    ((List<Map<String, Object>>) fixes).get(0).get("artifactChanges")).get(0);
            Map<String, Object> deleted = (Map<String, Object>) ((List<Map<String, Object>>)
                    change.get("replacements")).get(0).get("deletedRegion");
            Map<String, Object> region = (Map<String, Object>) ((Map<String, Object>)
                    ((List<Map<String, Object>>) r.get("locations")).get(0).get("physicalLocation"))
                    .get("region");
            assertThat(deleted.get("startLine")).as(r.get("message").toString())
                    .isEqualTo(region.get("startLine"));
            lines.add((Integer) region.get("startLine"));
        }
        assertThat(new java.util.HashSet<>(lines)).as("lines of findings with a fix, on both disks")
                .hasSize(2);
    }
    /**
     * Without a host profile the fix of vda turns O_DIRECT on where nothing says it works: SARIF
     * offers no replacements for it, and says in the result's properties that the fix is unsafe
     * and what it assumes; the fingerprints are those of the safe run (the clause is no part of
     * a finding's identity).
     */
    @Test
    @SuppressWarnings("unchecked")
    void sarifOffersOnlySafeFixesAndSaysWhatAnUnsafeOneAssumes() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        String assumed = Cli.run("lint", "--format", "sarif", f.toString()).out();
        String stated = Cli.run("lint", "--format", "sarif", "--host", host(), f.toString()).out();
        List<Map<String, Object>> results = (List<Map<String, Object>>) ((List<Map<String, Object>>)
                ((Map<String,
                        Object>) new Load(LoadSettings.builder().build()).loadFromString(assumed))
                        .get("runs")).get(0).get("results");
        List<Map<String, Object>> shown =
                results.stream().filter(r -> r.get("suppressions") == null).toList();
        assertThat(shown).hasSize(2).allSatisfy(r -> {
            assertThat(r).doesNotContainKey("fixes");
            Map<String, Object> props = (Map<String, Object>) r.get("properties");
            assertThat(props).containsEntry("fixSafety", "unsafe")
                    .containsEntry("assumptions",
                            List.of("assumes O_DIRECT works on /srv/db01.raw: no host profile"));
        });
        assertThat(stated).contains("\"fixes\"").contains("\"fixSafety\": \"safe\"")
                .doesNotContain("assumes O_DIRECT works on /srv");
        Pattern print = Pattern.compile("\"virtlint/v1\": \"([0-9a-f]{32})\"");
        assertThat(all(print, assumed)).isEqualTo(all(print, stated));
    }

    @Test
    void fingerprintsDoNotMoveWithLines() throws IOException {
        Pattern print = Pattern.compile("\"virtlint/v1\": \"([0-9a-f]{32})\"");
        String before = Cli.run("lint", "--format", "sarif", write("a.xml", DOMAIN).toString()).out();
        String moved = DOMAIN.replace("  <devices>\n", "  <devices>\n" + "\n".repeat(20) + "    <!-- moved -->\n");
        String after = Cli.run("lint", "--format", "sarif", write("a.xml", moved).toString()).out();
        assertThat(after).doesNotContain("\"startLine\": 10,");
        assertThat(all(print, after)).isEqualTo(all(print, before));
    }

    @Test
    void githubAnnotationsAreWorkflowCommands() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        Cli.Run run = Cli.run("lint", "--format", "github", f.toString());
        assertThat(run.exit()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out().lines()).hasSize(2);
        assertThat(run.out()).contains("::error file=" + f + ",line=10,col=45,endLine=10,endColumn=51,"
                + "title=virtlint unsafe-cache-persistent-disk::disk vda (/srv/db01.raw) uses cache='unsafe'");
        assertThat(run.out()).startsWith("::warning file=" + f + ",line=10,col=45,")
                .contains("(unsafe fix: cache='unsafe' -> cache='none'; assumes O_DIRECT works on"
                        + " /srv/db01.raw: no host profile)");
        Cli.Run stated = Cli.run("lint", "--format", "github", "--host", host(), f.toString());
        assertThat(stated.out()).contains("(fix: cache='unsafe' -> cache='none')")
                .doesNotContain("assumes");
        assertThat(dev.virtlint.report.GithubReport.property("a:b,c%\n")).isEqualTo("a%3Ab%2Cc%25%0A");
        assertThat(dev.virtlint.report.GithubReport.data("a:b,c%\r\n")).isEqualTo("a:b,c%25%0D%0A");
    }

    @Test
    void junitHasOneTestCasePerFileAndRule() throws Exception {
        Path bad = write("db01.xml", DOMAIN);
        Path clean = write("clean.xml", DOMAIN.replace("cache='unsafe'", "cache='none'").replace("cache='writeback'", "cache='none'")
                .replaceAll("    <!-- virtlint: .* -->\n", ""));
        Path out = dir.resolve("report.xml");
        Cli.Run run = Cli.run("lint", "--format", "junit", "--output", out.toString(), bad.toString(), clean.toString());
        assertThat(run.exit()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).isEmpty();
        Document doc = new SAXReader().read(new StringReader(Files.readString(out)));
        int rules = Cli.run("rules").out().strip().split("\n").length;
        assertThat(doc.selectNodes("//testcase")).hasSize(2 * rules);
        assertThat(doc.selectNodes("//testcase[failure]")).hasSize(2);
        assertThat(doc.valueOf("//testcase[@classname='" + bad + "' and @name='unsafe-cache-persistent-disk']/failure/@message"))
                .startsWith("1 finding: disk vda");
        assertThat(doc.selectNodes("//testcase[@classname='" + clean + "']/failure")).isEmpty();
        assertThat(doc.valueOf("/testsuites/@failures")).isEqualTo("2");
    }

    /** A file that is not a domain is one skipped test case, not a passing test per rule. */
    @Test
    void junitReportsAFileThatIsNotADomainAsSkipped() throws Exception {
        Path net = write("net.xml", "<network><name>x</name></network>\n");
        Path bad = write("db01.xml", DOMAIN);
        Cli.Run run = Cli.run("lint", "--format", "junit", net.toString(), bad.toString());
        assertThat(run.exit()).isEqualTo(ExitCode.FINDINGS);
        Document doc = new SAXReader().read(new StringReader(run.out()));
        int rules = Cli.run("rules").out().strip().split("\n").length;
        assertThat(doc.selectNodes("//testcase[@classname='" + net + "']")).hasSize(1);
        assertThat(doc.valueOf("//testcase[@classname='" + net + "']/@name")).isEqualTo("input");
        assertThat(doc.valueOf("//testcase[@classname='" + net + "']/skipped/@message"))
                .isEqualTo("not a domain: the root element is <network>");
        assertThat(doc.valueOf("/testsuites/testsuite/@skipped")).isEqualTo("1");
        assertThat(doc.valueOf("/testsuites/@tests")).isEqualTo(String.valueOf(rules + 1));
        assertThat(doc.selectNodes("//testcase[@classname='" + bad + "']")).hasSize(rules);
    }

    /** GitLab's test widget agrees with the job: what does not fail the exit code fails no test. */
    @Test
    void junitFailuresAgreeWithTheExitCode() throws Exception {
        Path bad = write("db01.xml", DOMAIN);
        Cli.Run errors = Cli.run("lint", "--format", "junit", "--fail-on", "error", bad.toString());
        assertThat(errors.exit()).isEqualTo(ExitCode.FINDINGS);
        Document doc = new SAXReader().read(new StringReader(errors.out()));
        assertThat(doc.valueOf("/testsuites/testsuite/@failures")).isEqualTo("1");
        assertThat(doc.valueOf("//testcase[@name='double-caching']/system-out")).contains("warning [double-caching]");
        assertThat(doc.selectNodes("//testcase[@name='double-caching']/failure")).isEmpty();

        Cli.Run never = Cli.run("lint", "--format", "junit", "--fail-on", "never", bad.toString());
        assertThat(never.exit()).isEqualTo(ExitCode.OK);
        Document passing = new SAXReader().read(new StringReader(never.out()));
        assertThat(passing.valueOf("/testsuites/@failures")).isEqualTo("0");
        assertThat(passing.selectNodes("//failure")).isEmpty();
        assertThat(passing.valueOf("//testcase[@name='unsafe-cache-persistent-disk']/system-out"))
                .contains("error [unsafe-cache-persistent-disk]");
    }

    @Test
    void writeBaselineRefusesAnInputOrADirectoryAndWritesAtomically() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        Cli.Run input = Cli.run("lint", "--write-baseline", f.toString(), f.toString());
        assertThat(input.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(input.err()).contains("--write-baseline " + f + " is one of the inputs");
        assertThat(Files.readString(f)).isEqualTo(DOMAIN);
        Cli.Run directory = Cli.run("lint", "--write-baseline", dir.toString(), f.toString());
        assertThat(directory.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(directory.err()).contains("is a directory");
        Cli.Run full = Cli.run("lint", "--write-baseline", "/dev/full", f.toString());
        assertThat(full.exit()).as(full.err()).isEqualTo(ExitCode.USAGE);
        assertThat(full.err()).contains("cannot write --write-baseline /dev/full");

        Path baseline = dir.resolve("baseline.txt");
        Cli.run("lint", "--write-baseline", baseline.toString(), f.toString());
        try (var list = Files.list(dir)) {
            assertThat(list).containsExactlyInAnyOrder(f, baseline);
        }
    }

    @Test
    void aBaselineHidesKnownFindingsWhereverTheyMoveButNotANewValue() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        Path baseline = dir.resolve("virtlint-baseline.txt");
        Cli.Run written = Cli.run("lint", "--write-baseline", baseline.toString(), f.toString());
        assertThat(written.exit()).isEqualTo(ExitCode.OK);
        assertThat(written.err()).contains("wrote 2 findings to " + baseline);
        assertThat(Files.readString(baseline)).contains("\tunsafe-cache-persistent-disk\tdb01\tvda\tunsafe\n");

        // 20 blank lines and a comment above the disk: the same findings, on other lines.
        String moved = DOMAIN.replace("  <devices>\n", "  <devices>\n" + "\n".repeat(20) + "    <!-- the database disk -->\n");
        Files.writeString(f, moved);
        assertThat(Cli.run("lint", f.toString()).out()).contains(":31:");
        Cli.Run quiet = Cli.run("lint", "--baseline", baseline.toString(), f.toString());
        assertThat(quiet.exit()).isEqualTo(ExitCode.OK);
        assertThat(quiet.out()).doesNotContain("[");

        // Another bad mode on the same disk is a new finding.
        Files.writeString(f, moved.replace("cache='unsafe'", "cache='writeback'"));
        Cli.Run fresh = Cli.run("lint", "--baseline", baseline.toString(), "--format", "github", f.toString());
        assertThat(fresh.out().lines()).singleElement().satisfies(l -> assertThat(l).contains("double-caching")
                .contains("cache='writeback'"));
        assertThat(fresh.exit()).isEqualTo(ExitCode.FINDINGS);
    }

    @Test
    void aBaselineThatIsNotOneIsAUsageError() throws IOException {
        Path f = write("db01.xml", DOMAIN);
        Path junk = write("junk.txt", "# header\nnot a fingerprint\n");
        Cli.Run run = Cli.run("lint", "--baseline", junk.toString(), f.toString());
        assertThat(run.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains(junk + ":2:1: not a baseline line");
        assertThat(Cli.run("lint", "--baseline", dir.resolve("missing").toString(), f.toString()).exit())
                .isEqualTo(ExitCode.USAGE);
    }
}
