package dev.virtlint.cli;

import dev.virtlint.parse.Suggestions;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * The top-level command; its subcommands do the work. Its help lists each subcommand with the first
 * line of its {@code header}, or of its {@code description} when it has no header (picocli's
 * Help.commandList); a subcommand whose description's first line is not a whole sentence has a
 * one-sentence header.
 */
@Command(name = "virtlint", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Finds disk cache settings in libvirt domain XML and QEMU drive strings that lose data"
                + " or waste speed and memory.",
        subcommands = {LintCommand.class, FixCommand.class, RulesCommand.class, ExplainCommand.class, SimulateCommand.class, ProbeCommand.class,
            CommandLine.HelpCommand.class})
final class VirtLint implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    final InputStream stdin;

    final Terminal terminal;

    /**
     * Standard output as bytes, for {@code fix -}, which prints the fixed file exactly as it is
     * encoded; null when only the writer is there (tests), which then gets the decoded text.
     */
    final OutputStream rawOut;

    VirtLint(InputStream stdin, Terminal terminal, OutputStream rawOut) {
        this.stdin = stdin;
        this.terminal = terminal;
        this.rawOut = rawOut;
    }

    /** The command line as tests build it: no terminal. */
    public static CommandLine commandLine(InputStream stdin) {
        return commandLine(stdin, Terminal.NONE, null);
    }

    /** The command line as {@link Main} runs it, on {@code terminal}. */
    static CommandLine commandLine(InputStream stdin, Terminal terminal, OutputStream rawOut) {
        CommandLine cl = new CommandLine(new VirtLint(stdin, terminal, rawOut));
        listExitCodes(cl);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            return Main.usageError(cmd.getErr(), cmd.getCommandSpec().qualifiedName(), ex.getMessage()
                    + suggestion(ex));
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> Main.failed(cmd.getErr(), ex));
        return cl;
    }

    /**
     * What the user may have meant: for an unknown option or subcommand, picocli's own suggestions
     * ({@code UnmatchedArgumentException.getSuggestions()}, which its default handler prints as
     * "Did you mean" / "Possible solutions": picocli.info/apidocs, CommandLine.UnmatchedArgumentException);
     * for a value outside an option's closed set (--format, --fail-on), the closest one.
     */
    private static String suggestion(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> options = unmatched.getSuggestions();
            if (options.isEmpty() && unmatched.isUnknownOption() && !unmatched.getUnmatched().isEmpty()) {
                // picocli suggests options only in some cases: the closest option name otherwise.
                String typed = unmatched.getUnmatched().get(0).split("=", 2)[0];
                return Suggestions.didYouMean(typed, ex.getCommandLine().getCommandSpec().optionsMap().keySet());
            }
            if (options.isEmpty()) {
                return "";
            }
            return unmatched.isUnknownOption() ? "; did you mean '" + String.join("' or '", options) + "'?"
                    : "; did you mean '" + ex.getCommandLine().getCommandName() + " "
                    + String.join("' or '" + ex.getCommandLine().getCommandName() + " ", options) + "'?";
        }
        ArgSpec arg = ex.getArgSpec();
        if (arg != null && ex.getValue() != null && arg.completionCandidates() != null) {
            return Suggestions.didYouMean(ex.getValue(), arg.completionCandidates());
        }
        return "";
    }

    private static void listExitCodes(CommandLine cl) {
        if (cl.getCommandSpec().usageMessage().exitCodeList().isEmpty()) {
            cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.HELP);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            listExitCodes(sub);
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
