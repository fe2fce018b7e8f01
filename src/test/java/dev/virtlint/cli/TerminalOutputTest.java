package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What people read on a terminal: the concise format, colour, and the display options. */
class TerminalOutputTest {

    @TempDir
    Path dir;

    private static final String ESC = "\u001b[";

    /** Two findings (unsafe-cache-persistent-disk, double-caching) on one disk, indented with tabs. */
    private static final String UNSAFE = """
            <domain type='kvm'>
            \t<name>db</name>
            \t<devices>
            \t\t<disk type='block' device='disk'>
            \t\t\t<driver name='qemu' type='raw' cache='unsafe'/>
            \t\t\t<source dev='/dev/vg/db'/>
            \t\t\t<target dev='vdb' bus='virtio'/>
            \t\t</disk>
            \t</devices>
            </domain>
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static Cli.Run main(Terminal terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                terminal, null);
        return new Cli.Run(exit, out.toString(), err.toString());
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void conciseIsOneGreppableLinePerFindingThenTheSummary() throws IOException {
        Path f = write("db.xml", UNSAFE);
        Cli.Run r = Cli.main("lint", "--format", "concise", f.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.FINDINGS);
        String[] lines = r.out().split("\n");
        assertThat(lines).hasSize(3);
        Pattern line = Pattern.compile(Pattern.quote(f.toString())
                + ":5:\\d+: (error|warning|info)\\[([a-z-]+)\\] (\\[\\*\\] )?disk vdb .+");
        assertThat(lines[0]).matches(line);
        assertThat(lines[1]).matches(line);
        assertThat(r.out()).contains("error[unsafe-cache-persistent-disk] [*] disk vdb")
                .contains("warning[double-caching] [*] disk vdb");
        // The summary is the text format's.
        assertThat(lines[2]).isEqualTo(Cli.main("lint", f.toString()).out().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(r.out()).doesNotContain("predicted").doesNotContain("fix: ");
    }

    @Test
    void theTextFormatPrintsADisksEvidenceOnceUnderItsFirstFinding() throws IOException {
        Cli.Run r = Cli.main("lint", write("db.xml", UNSAFE).toString());
        assertThat(count(r.out(), "[unsafe-cache-persistent-disk]")).isEqualTo(1);
        assertThat(count(r.out(), "[double-caching]")).isEqualTo(1);
        assertThat(count(r.out(), "predicted on host crash")).isEqualTo(1);
        assertThat(count(r.out(), "speed with cache='none'")).isEqualTo(1);
    }

    @Test
    void colourFollowsTheTerminalAndTheColourVariables() {
        assertThat(new Terminal(Map.of(), true, false).colour()).isTrue();
        assertThat(new Terminal(Map.of(), false, true).colour()).isFalse();
        assertThat(new Terminal(Map.of("NO_COLOR", "1"), true, false).colour()).isFalse();
        assertThat(new Terminal(Map.of("NO_COLOR", "0"), true, false).colour()).isFalse();
        assertThat(new Terminal(Map.of("NO_COLOR", ""), true, false).colour()).isTrue();
        assertThat(new Terminal(Map.of("FORCE_COLOR", "1"), false, false).colour()).isTrue();
        assertThat(new Terminal(Map.of("FORCE_COLOR", "0"), false, false).colour()).isTrue();
        assertThat(new Terminal(Map.of("FORCE_COLOR", ""), false, false).colour()).isFalse();
        assertThat(new Terminal(Map.of("FORCE_COLOR", "1", "NO_COLOR", "1"), false, false).colour()).isTrue();
        assertThat(Terminal.NONE.colour()).isFalse();
        // TERM=dumb takes no escape sequences: no colour unless forced.
        assertThat(new Terminal(Map.of("TERM", "dumb"), true, false).colour()).isFalse();
        assertThat(new Terminal(Map.of("TERM", "xterm-256color"), true, false).colour()).isTrue();
        assertThat(new Terminal(Map.of("TERM", "dumb", "FORCE_COLOR", "1"), false, false).colour()).isTrue();
        // Surefire's standard output is no terminal: on Java 22 to 24 System.console() is not
        // null all the same, and only Console.isTerminal() says so.
        assertThat(Terminal.consoleIsTerminal()).isFalse();
        try {
            System.setProperty(Terminal.STDOUT_PROPERTY, "false");
            assertThat(Terminal.current().stdout()).isFalse();
        } finally {
            System.clearProperty(Terminal.STDOUT_PROPERTY);
        }
        // What the launcher passes when a stream is a terminal (surefire's are not).
        assertThat(Terminal.current().stdout()).isFalse();
        assertThat(Terminal.current().stderr()).isFalse();
        try {
            System.setProperty(Terminal.STDOUT_PROPERTY, "true");
            System.setProperty(Terminal.STDERR_PROPERTY, "true");
            assertThat(Terminal.current().stdout()).isTrue();
            assertThat(Terminal.current().progress()).isTrue();
        } finally {
            System.clearProperty(Terminal.STDOUT_PROPERTY);
            System.clearProperty(Terminal.STDERR_PROPERTY);
        }
    }

    @Test
    void aTerminalGetsColouredSeverityRuleAndPathAPipeOrAFileNone() throws IOException {
        Path f = write("db.xml", UNSAFE);
        Terminal tty = new Terminal(Map.of(), true, false);
        for (String format : new String[] {"text", "concise"}) {
            Cli.Run coloured = main(tty, "lint", "--format", format, f.toString());
            assertThat(coloured.out()).as(format).contains(ESC + "1;31merror" + ESC + "0m")
                    .contains(ESC + "33mwarning" + ESC + "0m")
                    .contains(ESC + "36munsafe-cache-persistent-disk" + ESC + "0m")
                    .contains(ESC + "1m" + f + ESC + "0m:5:");
            Cli.Run piped = main(Terminal.NONE, "lint", "--format", format, f.toString());
            assertThat(piped.out()).as(format).doesNotContain(ESC);
            // Without colour codes the coloured report is the plain one.
            assertThat(coloured.out().replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(piped.out());
            Path report = dir.resolve(format + ".txt");
            main(tty, "lint", "--format", format, "-o", report.toString(), f.toString());
            assertThat(Files.readString(report)).as(format).doesNotContain(ESC).isEqualTo(piped.out());
        }
        assertThat(main(tty, "lint", "--format", "json", f.toString()).out()).doesNotContain(ESC);
        assertThat(main(new Terminal(Map.of("NO_COLOR", "1"), true, false), "lint", f.toString()).out())
                .doesNotContain(ESC);
        assertThat(main(new Terminal(Map.of("FORCE_COLOR", "1"), false, false), "lint", f.toString()).out())
                .contains(ESC);
        // picocli's path (an option QuickArgs leaves to it) colours alike.
        assertThat(main(tty, "lint", "--fail-on", "error", "--fail-on", "error", f.toString()).exit())
                .isEqualTo(ExitCode.USAGE);
        assertThat(main(tty, "lint", "--config=" + write("c.yaml", "{}\n"), "--jobs", "1", "--", f.toString())
                .out()).contains(ESC);
    }

    @Test
    void quietPrintsTheFindingsWithoutTheSummary() throws IOException {
        Path f = write("db.xml", UNSAFE);
        Cli.Run full = Cli.main("lint", "--format", "concise", f.toString());
        Cli.Run quiet = Cli.main("lint", "--format", "concise", "-q", f.toString());
        assertThat(quiet.exit()).isEqualTo(ExitCode.FINDINGS);
        assertThat(full.out()).contains("2 findings");
        assertThat(quiet.out()).doesNotContain("2 findings").hasLineCount(2);
        assertThat(full.out()).startsWith(quiet.out());
        assertThat(Cli.run("lint", "--quiet", write("good.xml", UNSAFE.replace("unsafe", "none")).toString()).out())
                .isEmpty();
    }

    @Test
    void statisticsCountFindingsPerRuleWithAFixableMarkerAndTheRulesSummary() throws IOException {
        write("a.xml", UNSAFE);
        write("b.xml", UNSAFE.replace("<name>db</name>", "<name>db2</name>"));
        write("c.xml", UNSAFE.replace("cache='unsafe'", "cache='writeback'"));
        Cli.Run r = Cli.main("lint", "--statistics", dir.toString());
        assertThat(r.out()).doesNotContain("disk vdb");
        Matcher m = Pattern.compile("(?m)^ *(\\d+)  ([a-z-]+) +(\\[\\*\\]|   ) (.+)$").matcher(r.out());
        Map<String, String> counts = new java.util.HashMap<>();
        while (m.find()) {
            counts.put(m.group(2), m.group(1) + " " + m.group(3) + " " + m.group(4));
        }
        assertThat(counts).containsEntry("double-caching",
                "3 [*] The host page cache holds a second copy of what the guest caches");
        assertThat(counts.get("unsafe-cache-persistent-disk")).startsWith("2 [*] ");
        assertThat(r.out().lines().toList()).first().asString().contains("double-caching");
        assertThat(r.out()).contains("findings (");
        assertThat(Cli.main("lint", "--statistics", "-q", dir.toString()).out()).doesNotContain("findings (");
    }

    @Test
    void showSourcePrintsTheLineAndACaretUnderTheColumnKeepingTabs() throws IOException {
        Path f = write("db.xml", UNSAFE);
        for (String format : new String[] {"text", "concise"}) {
            String out = Cli.main("lint", "--format", format, "--show-source", f.toString()).out();
            String line = "\t\t\t<driver name='qemu' type='raw' cache='unsafe'/>";
            // The findings are at the attribute's value (column 42).
            int column = line.indexOf("unsafe");
            assertThat(out).contains("db.xml:5:" + (column + 1) + ": ");
            String caret = "\t\t\t" + " ".repeat(column - 3) + "^";
            assertThat(out).as(format).contains("  5 | " + line + "\n" + "    | " + caret + "\n");
            assertThat(count(out, "  5 | ")).as(format).isEqualTo(2);
        }
        assertThat(Cli.main("lint", f.toString()).out()).doesNotContain(" | ");
    }

    /**
     * The caret lands under the finding on a line with wide, combining and astral characters
     * before it (review finding 9): by columns, not UTF-16 units, tabs kept.
     */
    @Test
    void showSourcesCaretCountsDisplayColumnsNotUtf16Units() throws IOException {
        // CJK (2 columns each, 1 unit), e + a combining acute (1 column, 2 units), an emoji
        // (2 columns, 2 units).
        String before = "<!-- \u6570\u636e\u5e93 e\u0301 \ud83d\ude42 --><driver name='qemu' type='raw' cache='";
        Path f = write("wide.xml", UNSAFE.replace("\t\t\t<driver name='qemu' type='raw' cache='", "\t\t\t" + before));
        String out = Cli.main("lint", "--format", "concise", "--show-source", "--select", "double-caching",
                f.toString()).out();
        int columns = before.length() + 3 - 1;
        assertThat(out).contains("  5 | \t\t\t" + before + "unsafe'/>\n" + "    | \t\t\t" + " ".repeat(columns) + "^\n");
    }

    @Test
    void verboseListsTheFilesSkippedWhichOtherwiseAreOnlyCounted() throws IOException {
        write("a.xml", UNSAFE);
        write("net.xml", "<network><name>default</name></network>\n");
        Cli.Run plain = Cli.main("lint", dir.toString());
        assertThat(plain.out()).contains("skipped 1 not a domain").doesNotContain("net.xml");
        Cli.Run verbose = Cli.main("lint", "--verbose", dir.toString());
        // On standard error, so that each line of a concise report on standard output is a finding.
        assertThat(verbose.err()).containsPattern("(?m)^" + Pattern.quote(dir.resolve("net.xml").toString())
                + ": skipped: .+$");
        assertThat(verbose.out()).contains("skipped 1 not a domain").doesNotContain("net.xml");
        Cli.Run concise = Cli.run("lint", "-v", "--format", "concise", dir.toString());
        assertThat(concise.err()).contains("net.xml: skipped: ");
        assertThat(concise.out().lines().toList()).allMatch(l -> l.matches(".+:\\d+:\\d+: .+") || l.contains(" in 1 file"));
    }

    /** Review finding 7: nothing a user asks for is dropped without a word. */
    @Test
    void displayOptionsAFormatIgnoresAndPathsExcludedWholeAreSaidOnStandardError() throws IOException {
        Path f = write("db.xml", UNSAFE);
        Cli.Run json = Cli.main("lint", "--format", "json", "--statistics", "--show-source", f.toString());
        assertThat(json.err()).containsOnlyOnce("virtlint: warning: --statistics, --show-source have no effect"
                + " with --format json (only text and concise use them)");
        assertThat(json.exit()).isEqualTo(ExitCode.FINDINGS);
        assertThat(Cli.run("lint", "--format", "sarif", "-q", f.toString()).err())
                .containsOnlyOnce("virtlint: warning: --quiet has no effect with --format sarif");
        assertThat(Cli.main("lint", "--format", "concise", "-q", "--statistics", f.toString()).err()).isEmpty();
        assertThat(Cli.main("lint", "--format", "json", f.toString()).err()).isEmpty();

        Files.createDirectories(dir.resolve("b"));
        write("b/x.xml", UNSAFE);
        write(".virtlint.yaml", "extend-exclude: [\"b/**\"]\nforce-exclude: true\n");
        for (Cli.Run r : new Cli.Run[] {Cli.main("lint", dir.resolve("b").toString()),
                Cli.run("lint", dir.resolve("b/x.xml").toString())}) {
            assertThat(r.exit()).isEqualTo(ExitCode.OK);
            assertThat(r.err()).contains("virtlint: warning: no file to lint under the given path(s)");
        }
        assertThat(Cli.run("fix", dir.resolve("b").toString()).err())
                .contains("virtlint: warning: no file to fix under the given path(s)");
        assertThat(Cli.main("lint", f.toString()).err()).isEmpty();
    }

    @Test
    void everyNameTheUserTypesGetsADidYouMean() throws IOException {
        Path f = write("db.xml", UNSAFE);
        assertThat(Cli.run("lnt", f.toString()).err()).contains("did you mean 'virtlint lint'?");
        assertThat(Cli.run("lint", "--show-sorce", f.toString()).err())
                .contains("Unknown option: '--show-sorce'; did you mean '--show-source'?");
        assertThat(Cli.run("lint", "--frmat", "json", f.toString()).err())
                .contains("Unknown option: '--frmat'; did you mean '--format'?");
        assertThat(Cli.run("fix", "--unsafe-fix", f.toString()).err()).contains("did you mean '--unsafe-fixes'?");
        assertThat(Cli.run("lint", "--format", "jsno", f.toString()).err()).contains("did you mean 'json'?");
        assertThat(Cli.run("lint", "--fail-on", "warn", f.toString()).err()).contains("did you mean 'warning'?");
        for (String option : new String[] {"--select", "--ignore"}) {
            Cli.Run quick = Cli.main("lint", option, "doubel-caching", f.toString());
            assertThat(quick.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(quick.err()).startsWith("virtlint: unknown rule 'doubel-caching'; did you mean"
                    + " 'double-caching'? (virtlint rules lists them)\n");
            assertThat(Cli.run("lint", option, "doubel-caching", f.toString())).isEqualTo(quick);
        }
        Cli.Run explain = Cli.run("explain", "implicit-cache-mod");
        assertThat(explain.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(explain.err()).contains("unknown rule 'implicit-cache-mod'; did you mean 'implicit-cache-mode'?");
        Path config = write(".virtlint.yaml", "rules:\n  doubel-caching: off\n");
        assertThat(Cli.run("lint", "--config", config.toString(), f.toString()).err())
                .contains(":2:3: error: unknown rule 'doubel-caching'; did you mean 'double-caching'?");
        // The broken configuration would be discovered for db.xml, and is reported first.
        Files.delete(config);
        Path host = write("host.yaml", "sysctls:\n  vm.dirty_ratio: 20\n");
        assertThat(Cli.run("lint", "--host", host.toString(), f.toString()).err())
                .contains("host.yaml:1:1: error: unknown key 'sysctls'; did you mean 'sysctl'?");
    }

    @Test
    void theHelpListsEachCommandWithAWholeSentence() {
        String help = Cli.run("--help").out();
        String list = help.substring(help.indexOf("Commands:\n") + "Commands:\n".length(), help.indexOf("\n\n"));
        // A wrapped summary continues on lines indented further than the command names.
        String[] commands = list.replaceAll("\n {4,}", " ").split("\n");
        assertThat(commands).hasSizeGreaterThanOrEqualTo(7);
        for (String command : commands) {
            assertThat(command).as(command).matches("  [a-z]+ +[A-Z].*\\.");
        }
        assertThat(help).contains("simulate  Predict loss and speed under every cache mode");
    }

    /**
     * Each command's own help says each sentence once (the header that virtlint --help lists is
     * not repeated by the description), and its description is whole sentences, one paragraph
     * an element, which picocli wraps, never hard-wrapped mid-sentence (review finding 6).
     */
    @Test
    void eachCommandsHelpSaysEachSentenceOnceInWholeSentences() {
        picocli.CommandLine root = VirtLint.commandLine(new ByteArrayInputStream(new byte[0]));
        assertThat(root.getSubcommands()).containsKeys("simulate", "probe", "lint", "fix");
        root.getSubcommands().forEach((name, sub) -> {
            picocli.CommandLine.Model.UsageMessageSpec usage = sub.getCommandSpec().usageMessage();
            for (String paragraph : usage.description()) {
                assertThat(paragraph).as(name + ": " + paragraph).matches("(%n)?[A-Z-].*[.)](%n)?");
            }
            for (String header : usage.header()) {
                String opening = String.join(" ", java.util.Arrays.asList(header.split(" ")).subList(0,
                        Math.min(5, header.split(" ").length)));
                assertThat(String.join(" ", usage.description())).as(name + " repeats its header")
                        .doesNotContain(opening);
            }
            String help = Cli.run(name, "--help").out();
            String text = help.substring(0, help.indexOf("\n  -")).replaceAll("\\s+", " ");
            for (String sentence : text.split("(?<=\\.) ")) {
                if (sentence.length() > 20) {
                    assertThat(count(text, sentence)).as(name + " says twice: " + sentence).isEqualTo(1);
                }
            }
        });
    }

    @Test
    void fixListsSkippedFilesOnlyWithVerbose() throws IOException {
        write("net.xml", "<network><name>default</name></network>\n");
        write("db.xml", UNSAFE);
        Cli.Run plain = Cli.run("fix", "--diff", dir.toString());
        assertThat(plain.err()).doesNotContain("net.xml");
        assertThat(plain.err()).contains("1 skipped (--verbose lists them)");
        Cli.Run verbose = Cli.run("fix", "--diff", "-v", dir.toString());
        assertThat(verbose.err()).contains(dir.resolve("net.xml") + ": skipped: ")
                .contains(", 1 skipped, ");
    }

    @Test
    void fixShowsProgressOnATerminalOnlyAndErasesIt() throws IOException {
        for (int i = 0; i < 3; i++) {
            write("db" + i + ".xml", UNSAFE.replace("<name>db</name>", "<name>db" + i + "</name>"));
        }
        Cli.Run piped = main(Terminal.NONE, "fix", "--diff", dir.toString());
        assertThat(piped.err()).doesNotContain("\r");
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err), "fixing", 3, 0);
        p.accept(1);
        p.accept(3);
        p.end();
        assertThat(err.toString()).startsWith("\rvirtlint: fixing 1/3 files")
                .contains("\rvirtlint: fixing 3/3 files").endsWith("\r" + " ".repeat(26) + "\r");
        // Before the delay, nothing (a short run shows no progress).
        StringWriter none = new StringWriter();
        Progress later = new Progress(new PrintWriter(none), "fixing", 3, 60_000_000_000L);
        later.accept(3);
        later.end();
        assertThat(none.toString()).isEmpty();
        // On a terminal the fix itself still prints the same, whatever the progress line did.
        Cli.Run tty = main(new Terminal(Map.of(), false, true), "fix", "--diff", dir.toString());
        assertThat(tty.out()).isEqualTo(piped.out());
        assertThat(tty.err().replaceAll("\r[^\r]*\r", "")).isEqualTo(piped.err());
    }

    @Test
    void stdinFilenameGivesStandardInputItsNameConfigurationAndPerPathIgnores() throws IOException {
        Files.createDirectories(dir.resolve("vms/scratch"));
        write("vms/.virtlint.yaml", "per-path-ignores:\n  'scratch/*.xml': [double-caching]\n");
        String named = dir.resolve("vms/scratch/db.xml").toString();
        Cli.Run r = Cli.runWithStdin(UNSAFE, "lint", "--format", "concise", "--stdin-filename", named, "-");
        assertThat(r.out()).startsWith(named + ":5:42: error[unsafe-cache-persistent-disk]")
                .doesNotContain("double-caching").doesNotContain("-:5:");
        Cli.Run plain = Cli.runWithStdin(UNSAFE, "lint", "--format", "concise", "-");
        assertThat(plain.out()).contains("-:5:42: warning[double-caching]");
        // QuickArgs reads it as picocli does.
        assertThat(QuickArgs.lint(new String[] {"lint", "--stdin-filename", named, "-"}).stdinFilename())
                .isEqualTo(named);
        Cli.Run alone = Cli.run("lint", "--stdin-filename", named, write("x.xml", UNSAFE).toString());
        assertThat(alone.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(alone.err()).contains("--stdin-filename names standard input");
    }

    /**
     * An editor pipes every buffer with its name: one that force-exclude leaves out when named
     * gives nothing when piped (review finding 3), as ruff's --force-exclude --stdin-filename.
     */
    @Test
    void stdinFilenameThatForceExcludeLeavesOutGivesNothingAndFixEchoesTheInput() throws IOException {
        Files.createDirectories(dir.resolve("vms/gen"));
        write("vms/.virtlint.yaml", "extend-exclude: [\"gen/\"]\nforce-exclude: true\n");
        Path file = write("vms/gen/x.xml", UNSAFE);
        String named = file.toString();
        Cli.Run byName = Cli.main("lint", "--format", "concise", named);
        assertThat(byName.exit()).isEqualTo(ExitCode.OK);
        for (Cli.Run r : new Cli.Run[] {
                Cli.runWithStdin(UNSAFE, "lint", "--format", "concise", "--stdin-filename", named, "-"),
                Cli.runWithStdin(UNSAFE, "lint", "--stdin-filename", named, "-")}) {
            assertThat(r.exit()).as(r.out()).isEqualTo(ExitCode.OK);
            assertThat(r.out()).doesNotContain("unsafe-cache-persistent-disk").contains("no findings in 0 files");
        }
        Cli.Run fixed = Cli.runWithStdin(UNSAFE, "fix", "--stdin-filename", named, "-");
        assertThat(fixed.exit()).isEqualTo(ExitCode.OK);
        assertThat(fixed.out()).isEqualTo(UNSAFE);
        assertThat(fixed.err()).contains(named + ": excluded by force-exclude; written unchanged");
        Cli.Run diff = Cli.runWithStdin(UNSAFE, "fix", "--diff", "--stdin-filename", named, "-");
        assertThat(diff.exit()).isEqualTo(ExitCode.OK);
        assertThat(diff.out()).isEmpty();
        // A name outside the exclusion is linted and fixed as before.
        String kept = dir.resolve("vms/db.xml").toString();
        assertThat(Cli.runWithStdin(UNSAFE, "lint", "--stdin-filename", kept, "-").exit())
                .isEqualTo(ExitCode.FINDINGS);
        assertThat(Cli.runWithStdin(UNSAFE, "fix", "--stdin-filename", kept, "-").out())
                .isEqualTo(UNSAFE.replace("cache='unsafe'", "cache='none'"));
    }

    @Test
    void fixDashFixesStandardInputToStandardOutputWithFixsExitCodes() throws IOException {
        Cli.Run fixed = Cli.runWithStdin(UNSAFE, "fix", "-");
        assertThat(fixed.exit()).as(fixed.err()).isEqualTo(ExitCode.OK);
        assertThat(fixed.out()).isEqualTo(UNSAFE.replace("cache='unsafe'", "cache='none'"));
        assertThat(fixed.err()).contains("fixed -: vdb cache='unsafe' -> cache='none'")
                .contains("1 changed, 0 unchanged, 0 skipped, 0 failed (1 disk fixed)");
        Cli.Run again = Cli.runWithStdin(fixed.out(), "fix", "-");
        assertThat(again.exit()).isEqualTo(ExitCode.OK);
        assertThat(again.out()).isEqualTo(fixed.out());
        Cli.Run diff = Cli.runWithStdin(UNSAFE, "fix", "--diff", "--stdin-filename", "vms/db.xml", "-");
        assertThat(diff.exit()).isEqualTo(ExitCode.FINDINGS);
        assertThat(diff.out()).startsWith("--- a/vms/db.xml\n+++ b/vms/db.xml\n")
                .contains("+\t\t\t<driver name='qemu' type='raw' cache='none'/>");
        // Bad input: an error with its position, exit 3, and the text given back unchanged.
        String bad = "<domain>\n  <name>x</name>\n";
        Cli.Run broken = Cli.runWithStdin(bad, "fix", "-");
        assertThat(broken.exit()).isEqualTo(ExitCode.INPUT);
        assertThat(broken.out()).isEqualTo(bad);
        assertThat(broken.err()).containsPattern("-:\\d+:\\d+: error: ");
        // The bytes as they were encoded, through Main's raw standard output.
        byte[] latin = UNSAFE.replace("<domain type='kvm'>", "<?xml version='1.0' encoding='ISO-8859-1'?>\n"
                + "<domain type='kvm'><!-- caf\u00e9 -->").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"fix", "-"}, new ByteArrayInputStream(latin),
                new PrintWriter(new StringWriter()), new PrintWriter(err), Terminal.NONE, raw);
        assertThat(exit).as(err.toString()).isEqualTo(ExitCode.OK);
        assertThat(raw.toByteArray()).isEqualTo(new String(latin, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("cache='unsafe'", "cache='none'").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /**
     * A value from the linted file cannot forge a line or reach the terminal as an escape
     * sequence (review finding 2): {@code &#10;} in an attribute is a real newline after
     * attribute-value normalisation, and a .args line can hold ESC and BEL.
     */
    @Test
    void controlCharactersFromTheFileAreShownAsEscapesNotPrinted() throws IOException {
        Path xml = write("nl.xml", UNSAFE.replace("/dev/vg/db",
                "/dev/x&#10;fake.xml:1:1: error[unsafe-cache-persistent-disk] injected&#155;2J"));
        for (String format : new String[] {"text", "concise"}) {
            Cli.Run r = Cli.main("lint", "--format", format, "--show-source", xml.toString());
            assertThat(r.out()).as(format).doesNotContain("\u009b").doesNotContain("\nfake.xml")
                    .contains("(/dev/x\\u000afake.xml:1:1: error[unsafe-cache-persistent-disk] injected\\u009b2J)");
            assertThat(r.out().lines().filter(l -> l.startsWith("fake.xml"))).as(format).isEmpty();
        }
        Path args = write("esc.args", "/usr/bin/qemu-system-x86_64 -name a\u001b[2Jb -drive file=/vm\u001b]0;pwned\u0007.img,"
                + "if=virtio,cache=unsafe  # \u001b[31mhi\n");
        Cli.Run r = Cli.main("lint", "--format", "concise", "--show-source", args.toString());
        assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u0007")
                .contains("1 | /usr/bin/qemu-system-x86_64 -name a\\u001b[2Jb -drive file=/vm\\u001b]0;pwned\\u0007.img,"
                        + "if=virtio,cache=unsafe  # \\u001b[31mhi\n");
        // The caret stays under the finding (the drive, after an escape), counting the escape as printed.
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).contains("esc.args:1:").contains("(/vm\\u001b]0)");
        assertThat(lines[2].indexOf('^')).isEqualTo(lines[1].indexOf("file=/vm"));
        // With colour on, the only escapes are virtlint's own.
        Cli.Run tty = main(new Terminal(Map.of(), true, false), "lint", "--format", "concise", "--show-source",
                args.toString());
        assertThat(tty.out().replaceAll("\u001b\\[[0-9;]*m", "")).doesNotContain("\u001b");
        assertThat(tty.out()).contains("\\u001b]0;pwned");
    }
}
