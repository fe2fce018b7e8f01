package dev.virtlint.cli;

import dev.virtlint.lint.Input;
import dev.virtlint.report.Format;
import dev.virtlint.lint.Inputs;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

/**
 * The training run of {@code bin/virtlint}'s class-data-sharing archive: the launcher runs this
 * once per jar with {@code -XX:DumpLoadedClassList}, dumps the listed classes into a static
 * archive, and every later run maps them (parsed and verified) instead of reading them from the
 * jar. It lints the given paths, normally the shipped samples, in each report format, writing
 * nothing; then, in each format, their files one at a time until one has findings and no input
 * error: the samples as a whole have one (a refused sample), and a run with an input error never
 * asks whether its findings reach the failure threshold, so the lambda that answers it would
 * otherwise be generated at run time in every one-file lint.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        List<Input> files = Inputs.expand(List.of(args)).inputs();
        for (Format format : Format.values()) {
            lint(format, args);
            for (Input file : files) {
                if (lint(format, new String[] {file.name()}) == ExitCode.FINDINGS) {
                    break;
                }
            }
        }
    }

    /** Lints {@code paths} in {@code format}, writing nothing: the exit code, -1 if it throws. */
    private static int lint(Format format, String[] paths) {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        String[] command = new String[paths.length + 3];
        command[0] = "lint";
        command[1] = "--format";
        command[2] = format.name();
        System.arraycopy(paths, 0, command, 3, paths.length);
        try {
            return LintRun.run(QuickArgs.lint(command), InputStream.nullInputStream(), sink, sink, Terminal.NONE);
        } catch (Exception e) {
            // A sample that fails is still training; the archive only records which classes ran.
            return -1;
        }
    }
}
