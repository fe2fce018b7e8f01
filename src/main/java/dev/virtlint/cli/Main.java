package dev.virtlint.cli;

import dev.virtlint.parse.Yaml.YamlException;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * Entry point of {@code virtlint.jar}. A plain {@code lint} command line, the pre-commit case, runs
 * without building picocli's model ({@link QuickArgs}); everything else goes through picocli. Both
 * write through the same two writers, so the output is the same either way.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, writer(System.out, "stdout"), writer(System.err, "stderr"),
                Terminal.current(), System.out));
    }

    /** Runs one command line and returns its exit code; tests call this as the launcher does. */
    static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        return run(args, in, out, err, Terminal.NONE, null);
    }

    /**
     * {@link #run(String[], InputStream, PrintWriter, PrintWriter)} on {@code terminal}, with
     * {@code rawOut} the bytes under {@code out} (or null), for output that is not text.
     */
    static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err, Terminal terminal,
                   OutputStream rawOut) {
        LintRun.Options quick = QuickArgs.lint(args);
        int code;
        if (quick != null) {
            code = lint(quick, in, out, err, terminal);
        } else {
            code = VirtLint.commandLine(in, terminal, rawOut).setOut(out).setErr(err).execute(args);
        }
        out.flush();
        err.flush();
        return code;
    }

    private static int lint(LintRun.Options options, InputStream in, PrintWriter out, PrintWriter err,
                            Terminal terminal) {
        try {
            return LintRun.run(options, in, out, err, terminal);
        } catch (UsageException e) {
            return usageError(err, "virtlint lint", e.getMessage());
        } catch (Exception e) {
            return failed(err, e);
        }
    }

    /** Reports a command line that cannot run, as picocli's handler in {@link VirtLint} does. */
    static int usageError(PrintWriter err, String command, String message) {
        err.println("virtlint: " + message);
        err.println("Try '" + command + " --help' for more information.");
        return ExitCode.USAGE;
    }

    /** Reports what stopped a command: a configuration file that is wrong, or a bug. */
    static int failed(PrintWriter err, Exception e) {
        if (e instanceof YamlException bad) {
            // A configuration, host profile or rule file that is wrong: nothing was linted.
            err.println(bad.format());
            err.flush();
            return ExitCode.USAGE;
        }
        err.println("virtlint: internal error: " + e);
        return ExitCode.INTERNAL;
    }

    /** The version from the jar manifest; {@code dev} when run from classes. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** A writer in the encoding the JVM chose for the stream, as picocli makes its own. */
    private static PrintWriter writer(OutputStream stream, String name) {
        String encoding = System.getProperty(name + ".encoding", System.getProperty("sun." + name + ".encoding"));
        Charset charset = encoding == null ? Charset.defaultCharset() : Charset.forName(encoding);
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }
}
