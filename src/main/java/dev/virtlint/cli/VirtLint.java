package dev.virtlint.cli;

import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The top-level command; its subcommands do the work. */
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

    VirtLint(InputStream stdin, Terminal terminal) {
        this.stdin = stdin;
        this.terminal = terminal;
    }

    /** The command line as tests build it: no terminal. */
    public static CommandLine commandLine(InputStream stdin) {
        return commandLine(stdin, Terminal.NONE);
    }

    /** The command line as {@link Main} runs it, on {@code terminal}. */
    static CommandLine commandLine(InputStream stdin, Terminal terminal) {
        CommandLine cl = new CommandLine(new VirtLint(stdin, terminal));
        listExitCodes(cl);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            return Main.usageError(cmd.getErr(), cmd.getCommandSpec().qualifiedName(), ex.getMessage());
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> Main.failed(cmd.getErr(), ex));
        return cl;
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
