package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The quick path reads a command line exactly as picocli would, or leaves it to picocli. */
class QuickArgsTest {

    private static final String SAMPLE = "samples/domains/db01-dumpxml.xml";

    private static LintRun.Options picocli(String... args) {
        CommandLine cl = VirtLint.commandLine(new ByteArrayInputStream(new byte[0]));
        ParseResult parsed = cl.parseArgs(args);
        LintCommand lint = (LintCommand) parsed.subcommand().commandSpec().userObject();
        return new LintRun.Options(lint.paths, lint.drives, lint.format, lint.failOn, lint.rules.select,
                lint.rules.ignore, lint.rules.config, lint.rules.host, lint.output, lint.jobs, lint.baseline,
                lint.writeBaseline, lint.limit.bytes, lint.display(), lint.stdinFilename);
    }

    @Test
    void readsPlainCommandLinesAsPicocliDoes() {
        List<String[]> lines = List.of(
                new String[] {"lint", SAMPLE},
                new String[] {"lint", "a.xml", "b.args", "dir/", "-"},
                new String[] {"lint", "--format", "sarif", "-o", "out.sarif", SAMPLE},
                new String[] {"lint", "--format=json", "--output=r.json", "--fail-on=error", SAMPLE},
                new String[] {"lint", SAMPLE, "--select", "double-caching,implicit-cache-mode", "--select",
                    "unsafe-cache-persistent-disk", "--ignore=double-caching"},
                new String[] {"lint", "--config", "c.yaml", "--host", "h.yaml", "--jobs", "3", SAMPLE},
                new String[] {"lint", "--jobs", "010", SAMPLE},
                new String[] {"lint", "--baseline", "b.txt", "--write-baseline", "w.txt", SAMPLE},
                new String[] {"lint", "--drive", "file=/vm.img,cache=unsafe", "--drive=file=/b.img,if=virtio"},
                new String[] {"lint", "--", "--format", "-o"},
                new String[] {"lint", "--fail-on", "never", "--format", "github", "x.xml"},
                new String[] {"lint", "--format", "junit", "x.xml"},
                new String[] {"lint", "--max-input-size", "128M", SAMPLE},
                new String[] {"lint", "--max-input-size=1GiB", SAMPLE},
                new String[] {"lint", "--max-input-size", "4096", "-"},
                new String[] {"lint", "--max-input-size", "2047m", "-"},
                new String[] {"lint", "--format", "concise", "-q", "--show-source", SAMPLE},
                new String[] {"lint", "--quiet", "--statistics", "--verbose", SAMPLE},
                new String[] {"lint", SAMPLE, "-v", "--show-source"},
                new String[] {"lint", "--stdin-filename", "vms/db01.xml", "-"},
                new String[] {"lint", "--stdin-filename=vms/db01.xml", "--format", "concise", "-"});
        for (String[] line : lines) {
            LintRun.Options quick = QuickArgs.lint(line);
            assertThat(quick).as(String.join(" ", line)).isNotNull();
            assertThat(quick).as(String.join(" ", line)).isEqualTo(picocli(line));
        }
    }

    @Test
    void leavesEverythingElseToPicocli() {
        List<String[]> lines = List.of(
                new String[] {"lint"},
                new String[] {"fix", SAMPLE},
                new String[] {"lint", "--help"},
                new String[] {"lint", "-h", SAMPLE},
                new String[] {"lint", "--version"},
                new String[] {"lint", "--format", "yaml", SAMPLE},
                new String[] {"lint", "--format", "text", "--format", "json", SAMPLE},
                new String[] {"lint", "-o", "a", "--output", "b", SAMPLE},
                new String[] {"lint", "--jobs", "two", SAMPLE},
                new String[] {"lint", "--jobs", "-1", SAMPLE},
                new String[] {"lint", "--select", "a,,b", SAMPLE},
                new String[] {"lint", "--select=", SAMPLE},
                new String[] {"lint", "--output", "--format", SAMPLE},
                new String[] {"lint", SAMPLE, "--config"},
                new String[] {"lint", "@args.txt"},
                new String[] {"lint", "-ofile", SAMPLE},
                new String[] {"lint", "--frmat", "json", SAMPLE},
                new String[] {"lint", "-q", "--quiet", SAMPLE},
                new String[] {"lint", "--stdin-filename", "a.xml", "--stdin-filename", "b.xml", "-"},
                new String[] {"lint", "--verbose", "-v", SAMPLE},
                new String[] {"lint", "--statistics", "--statistics", SAMPLE},
                new String[] {"lint", "--quiet=true", SAMPLE},
                new String[] {"lint", "-qv", SAMPLE},
                new String[] {"lint", "--format", "JSON", SAMPLE},
                new String[] {"lint", "", SAMPLE},
                new String[] {"lint", "--config", "a\0b", SAMPLE},
                new String[] {"lint", "--max-input-size", "0", SAMPLE},
                new String[] {"lint", "--max-input-size", "2G", SAMPLE},
                new String[] {"lint", "--max-input-size", "lots", SAMPLE},
                new String[] {"lint", "--max-input-size", "64T", SAMPLE},
                new String[] {"lint", "--help-uri-base", "https://example.org/rules/", SAMPLE});
        for (String[] line : lines) {
            assertThat(QuickArgs.lint(line)).as(String.join(" ", line)).isNull();
        }
    }

    /** Same exit code, output and messages whichever path runs, including a usage error and a missing file. */
    @Test
    void bothPathsPrintTheSame(@TempDir Path tmp) {
        List<String[]> lines = new ArrayList<>(List.of(
                new String[] {"lint", SAMPLE},
                new String[] {"lint", "--format", "json", "samples/domains"},
                new String[] {"lint", "--format", "sarif", "--jobs", "1", SAMPLE, "samples/drives"},
                new String[] {"lint", "--format", "github", SAMPLE},
                new String[] {"lint", "--format", "junit", "--select", "double-caching", SAMPLE},
                new String[] {"lint", "--format", "gitlab", "samples/domains"},
                new String[] {"lint", "--select", "no-such-rule", SAMPLE},
                new String[] {"lint", "--baseline", tmp.resolve("missing.txt").toString(), SAMPLE},
                new String[] {"lint", "--host", tmp.resolve("missing.yaml").toString(), SAMPLE},
                new String[] {"lint", "no/such/file.xml", SAMPLE}));
        for (String[] line : lines) {
            assertThat(QuickArgs.lint(line)).as(String.join(" ", line)).isNotNull();
            Cli.Run quick = Cli.main(line);
            Cli.Run slow = Cli.run(line);
            assertThat(quick).as(String.join(" ", line)).isEqualTo(slow);
        }
        assertThat(Cli.main("lint", "--select", "no-such-rule", SAMPLE).err())
                .isEqualTo("virtlint: unknown rule 'no-such-rule' (virtlint rules lists them)\n"
                        + "Try 'virtlint lint --help' for more information.\n");
    }
}
