package dev.virtlint.cli;

import dev.virtlint.facts.HostProbe;
import dev.virtlint.facts.HostProfile;
import dev.virtlint.facts.ProbedHost;
import dev.virtlint.sim.Bench;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code virtlint probe}: a host profile read off the machine it runs on. The host is read by
 * {@link HostProbe}, the costs measured by {@link Bench}, the profile written by
 * {@link HostProfile#write}, which reads it back too.
 */
@Command(name = "probe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Print a host profile (YAML) read off this machine, with measured costs if asked.",
        // The header is the sentence virtlint --help lists; the description says the rest, one
        // paragraph per element, which picocli wraps to the usage width.
        description = {"The profile holds the mounts with their options, the kernel, QEMU, OpenZFS,"
                + " memory and the dirty page sysctls; for each DIR, whether it takes O_DIRECT, ZFS"
                + " sync and direct (zfs get) and the device's write cache; for each --image, whether"
                + " it is sparse (qemu-img info) and, on btrfs, its own nocow attribute (lsattr)."
                + " Nothing needs root.",
            "--bench DIR also measures each cache mode with qemu-img bench in DIR and writes the"
                + " device costs fitted to them. A fit that misses a measured cell by more than 2x,"
                + " or a cost no measurement supports, is not written (exit 4) unless --force."})
final class ProbeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "0..*", description = "Directories to probe for O_DIRECT (as Nova does).")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--image", paramLabel = "FILE",
            description = "An image whose allocation (sparse or preallocated) to state, from"
                    + " qemu-img info.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--bench", paramLabel = "DIR",
            description = "Run qemu-img bench per cache mode on scratch images in DIR (needs qemu-utils).")
    Path bench;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "0.25",
            description = "About how long each qemu-img bench run lasts; its request count is"
                    + " scaled from a pilot run (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
            description = "Runs per cell and mode, at least 3; the median is fitted"
                    + " (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--force", description = "Write the profile even when the fit misses a"
            + " measured cell by more than 2x or a cost is out of range (the warning goes into its"
            + " comments).")
    boolean force;

    private final Bench.Host benchHost;

    ProbeCommand() {
        this(Bench.Host.SYSTEM);
    }

    /** With the host the bench runs its commands on (tests script it). */
    ProbeCommand(Bench.Host benchHost) {
        this.benchHost = benchHost;
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the profile here, not to stdout.")
    Path output;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (repeat < Bench.MIN_REPEATS) {
            throw new ParameterException(spec.commandLine(), "--repeat must be at least "
                    + Bench.MIN_REPEATS);
        }
        if (!(seconds >= 0.001 && seconds <= 60)) {
            throw new ParameterException(spec.commandLine(), "--seconds must be 0.001 to 60");
        }
        if (bench != null && !Files.isDirectory(bench)) {
            throw new ParameterException(spec.commandLine(), "--bench " + bench + " is not a directory");
        }
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new ParameterException(spec.commandLine(), d + " is not a directory");
            }
        }
        for (Path i : images) {
            if (!Files.isRegularFile(i)) {
                throw new ParameterException(spec.commandLine(), "--image " + i + " is not a file");
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        ProbedHost host = new HostProbe(err).read(dirs, images);
        if (bench != null) {
            if (!Bench.available(benchHost)) {
                throw new ParameterException(spec.commandLine(),
                        "--bench needs qemu-img (Debian: apt-get install qemu-utils)");
            }
            Bench.Result measured = new Bench(bench, seconds, repeat, err, benchHost).run();
            if (!measured.problems().isEmpty()) {
                for (String p : measured.problems()) {
                    err.println("virtlint: probe: warning: " + p);
                }
                if (!force) {
                    err.println("virtlint: probe: the profile is not written: its costs would not"
                            + " reproduce what was measured (--force writes it, with these warnings"
                            + " in its comments)");
                    err.flush();
                    return ExitCode.UNFIT;
                }
                err.flush();
            }
            host = host.withCosts(measured.notes(), measured.costs());
        }
        String profile = HostProfile.write(host);
        if (output != null) {
            Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".probe", ".yaml");
            Files.writeString(tmp, profile, StandardCharsets.UTF_8);
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(profile);
            out.flush();
        }
        return ExitCode.OK;
    }
}
