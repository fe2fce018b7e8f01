package dev.virtlint.cli;

import dev.virtlint.report.Format;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The training run of {@code bin/virtlint}'s class-data-sharing archive: the launcher runs this
 * once per jar with {@code -XX:DumpLoadedClassList}, dumps the listed classes into a static
 * archive, and every later run maps them (parsed and verified) instead of reading them from the
 * jar. It lints the given paths, normally the shipped samples, in each report format, writing
 * nothing.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        for (Format format : Format.values()) {
            String[] command = new String[args.length + 3];
            command[0] = "lint";
            command[1] = "--format";
            command[2] = format.name();
            System.arraycopy(args, 0, command, 3, args.length);
            LintRun.Options options = QuickArgs.lint(command);
            try {
                LintRun.run(options, InputStream.nullInputStream(), sink, sink);
            } catch (Exception e) {
                // A sample that fails is still training; the archive only records which classes ran.
            }
        }
    }
}
