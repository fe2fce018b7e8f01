package dev.virtlint.pipeline;

import dev.virtlint.lint.InOrder;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.InputError;
import dev.virtlint.lint.Inputs;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.report.Checked;
import dev.virtlint.report.RunResult;
import dev.virtlint.rewrite.Batch;
import dev.virtlint.rewrite.FileFix;
import dev.virtlint.rules.FixPlan;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What {@code virtlint lint} does between reading its options and writing its report: gathers the
 * inputs, then loads, lints and plans the fix of each file (once per file; every report reads that
 * plan), in parallel and in input order.
 */
public final class Lint {

    /** The inputs gathered from the command line, and the paths that gave none. */
    public record Gathered(List<Input> inputs, List<InputError> errors) {
    }

    private Lint() {
    }

    /**
     * The inputs of paths ({@code -} is standard input, read like a file up to {@code limit}; a
     * directory is walked, leaving out what {@code exclusion} excludes) and of drive strings
     * ({@code --drive[N]}), in that order; a file met again ({@link Once}) is left out.
     */
    public static Gathered gather(List<String> paths, List<String> drives, InputStream stdin,
                                  long limit, Inputs.Exclusion exclusion)
            throws IOException, YamlException {
        List<Input> inputs = new ArrayList<>();
        List<InputError> errors = new ArrayList<>();
        Once once = new Once();
        for (String path : paths) {
            if (path.equals("-")) {
                try {
                    // read like a file, up to the limit: an endless pipe is that input's error,
                    // not an OOM
                    inputs.add(new Input("-", null, Input.Kind.SNIFF, Loader.read(stdin, limit)));
                } catch (IOException e) {
                    errors.add(new InputError("-", null, e instanceof Loader.TooLarge
                            ? e.getMessage() : "cannot read: " + e.getMessage(), false));
                }
                continue;
            }
            Inputs.Expanded expanded = Inputs.expand(List.of(path), exclusion);
            for (Input input : expanded.inputs()) {
                if (once.add(input)) {
                    inputs.add(input);
                }
            }
            for (String missing : expanded.missing()) {
                errors.add(new InputError(missing, null, "no such file or directory", false));
            }
            errors.addAll(expanded.errors());
        }
        for (int i = 0; i < drives.size(); i++) {
            inputs.add(new Input("--drive[" + (i + 1) + "]", null, Input.Kind.DRIVE,
                    drives.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        return new Gathered(inputs, errors);
    }

    /**
     * The files of paths for {@code fix}, each with the tree it was found in (the directory given,
     * or a given file's directory), which a symbolic link must not lead out of; {@code notes} say
     * which paths gave nothing, one line each.
     */
    public record FixTargets(List<Batch.Item> items, List<String> notes) {
    }

    /**
     * The files met so far, by real path: {@code d.xml}, {@code ./d.xml}, {@code $PWD/d.xml}, a
     * symbolic link to it and a walk of {@code .} that finds it are one file, linted once, under
     * the first name it was given; otherwise every report listed its findings twice (GitLab with
     * one fingerprint twice). The real path, not the name normalized as text: {@code link/../d.xml}
     * is not {@code d.xml} when {@code link} is a symbolic link to another directory. A file whose
     * real path cannot be had (it went away) is kept: its read says why. ({@code fix} skips a file
     * it already fixed in the run, and says so: see Batch.)
     */
    private static final class Once {
        private final Set<Path> seen = new HashSet<>();

        boolean add(Input input) {
            if (input.path() == null) {
                return true;
            }
            try {
                return seen.add(input.path().toRealPath());
            } catch (IOException e) {
                return true;
            }
        }
    }

    /** The files {@code fix} rewrites: those of each path, walked as {@code lint} walks it. */
    public static FixTargets gatherForFix(List<String> paths, Inputs.Exclusion exclusion)
            throws IOException, YamlException {
        List<Batch.Item> items = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String given : paths) {
            Inputs.Expanded expanded = Inputs.expand(List.of(given), exclusion);
            Path path = expanded.inputs().isEmpty() ? null : Path.of(given);
            Path tree = path == null || Files.isDirectory(path) ? path
                    : path.toAbsolutePath().getParent();
            for (Input input : expanded.inputs()) {
                items.add(new Batch.Item(input, tree));
            }
            for (String m : expanded.missing()) {
                notes.add(m + ": no such file or directory");
            }
            for (InputError e : expanded.errors()) {
                notes.add(e.format());
            }
        }
        return new FixTargets(items, notes);
    }

    /**
     * Fixes every file with {@code jobs} threads (FileFix: lint, plan once, apply, lint again),
     * diff paths relative to the working directory; the results are in input order.
     */
    public static List<FileFix.Result> fix(FixTargets targets,
                                           Function<Input, Linter.Settings> settings,
                                           FileFix.Mode mode, int jobs) {
        return fix(targets, settings, mode, jobs, done -> { });
    }

    /** {@link #fix(FixTargets, Function, FileFix.Mode, int)}, telling {@code progress} each file done. */
    public static List<FileFix.Result> fix(FixTargets targets,
                                           Function<Input, Linter.Settings> settings,
                                           FileFix.Mode mode, int jobs,
                                           java.util.function.IntConsumer progress) {
        return fix(targets, settings, settings, mode, jobs, progress);
    }

    /**
     * {@link #fix(FixTargets, Function, FileFix.Mode, int, java.util.function.IntConsumer)}, judging
     * what suppressions hide with {@code configured}: each input's settings without
     * {@code --select}/{@code --ignore}.
     */
    public static List<FileFix.Result> fix(FixTargets targets,
                                           Function<Input, Linter.Settings> settings,
                                           Function<Input, Linter.Settings> configured,
                                           FileFix.Mode mode, int jobs,
                                           java.util.function.IntConsumer progress) {
        return Batch.run(targets.items(), settings, configured, mode, jobs, Path.of(""), progress);
    }

    /** The rules that run on some input, each once, in the order the inputs' settings list them. */
    public static List<Rule> rulesRun(List<Input> inputs,
                                      Function<Input, Linter.Settings> settings) {
        List<Rule> ran = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Input input : inputs) {
            for (Rule r : settings.apply(input).enabledRules()) {
                if (seen.add(r.id())) {
                    ran.add(r);
                }
            }
        }
        return ran;
    }

    /**
     * One parsed file linted, with its fix planned. With {@code evidence}, findings carry the
     * simulator's figures.
     */
    static Checked check(Input input, ParsedFile file, Linter.Settings settings,
                         Linter.Settings configured, boolean evidence) {
        Linter.Result result = Linter.run(file, settings, evidence);
        // The plan a plain fix would carry out, so that reports and fix agree (FileFix.reportPlan).
        FixPlan plan = result.findings().isEmpty() ? FixPlan.none(file.source().text())
                : FileFix.reportPlan(input, file, result, settings, configured);
        return new Checked(file, result.findings(), result.suppressed(), plan);
    }

    /**
     * Loads (each at most {@code limit} bytes) and checks every input with {@code jobs} threads;
     * the errors of {@code gathered} come first, then those of the inputs, in input order. One
     * input's failure, even virtlint's own, is that input's error and never stops the others.
     */
    public static RunResult run(Gathered gathered, Function<Input, Linter.Settings> settings,
                                boolean evidence, int jobs, long limit) {
        return run(gathered, settings, settings, evidence, jobs, limit);
    }

    /**
     * {@link #run(Gathered, Function, boolean, int, long)}, planning each fix as a plain
     * {@code fix} would: judging what suppressions hide with {@code configured}, each input's
     * settings without {@code --select}/{@code --ignore}.
     */
    public static RunResult run(Gathered gathered, Function<Input, Linter.Settings> settings,
                                Function<Input, Linter.Settings> configured,
                                boolean evidence, int jobs, long limit) {
        List<Object> outcomes = InOrder.map(gathered.inputs(), jobs, input -> {
            Loader.Outcome outcome = Loader.load(input, limit);
            if (outcome.file() == null) {
                return outcome.error();
            }
            return check(input, outcome.file(), settings.apply(input), configured.apply(input),
                    evidence);
        }, (input, failure) -> failure instanceof OutOfMemoryError
                ? new InputError(input.name(), null, "out of memory while linting it ("
                        + failure.getMessage() + "); give Java a larger heap (-Xmx) or lint it"
                        + " alone", false)
                : new InputError(input.name(), null, failure.toString(), true));
        List<Checked> files = new ArrayList<>();
        List<InputError> errors = new ArrayList<>(gathered.errors());
        for (Object outcome : outcomes) {
            if (outcome instanceof Checked c) {
                files.add(c);
            } else {
                errors.add((InputError) outcome);
            }
        }
        return new RunResult(files, errors);
    }
}
