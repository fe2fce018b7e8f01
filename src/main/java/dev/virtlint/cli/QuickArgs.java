package dev.virtlint.cli;

import dev.virtlint.lint.Loader;
import dev.virtlint.report.Format;
import dev.virtlint.report.ReportSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a plain {@code lint} command line without picocli, which takes longer to build its model
 * than linting one file does (see the README's speed section). It accepts a strict subset of what
 * {@link LintCommand} accepts and gives up, returning null, on anything else: help and version,
 * unknown or repeated options, {@code @argument-files}, values that look like options, values picocli
 * would have to convert in a way this class does not. picocli then reads the command line as usual,
 * so a mistake is always reported by picocli. A test parses a list of command lines both ways and
 * compares the results.
 */
final class QuickArgs {

    /** Options that take one value, given at most once (a second time is picocli's error to report). */
    private static final Set<String> SINGLE = Set.of("--format", "--fail-on", "--config", "--host", "-o", "--output",
            "--jobs", "--baseline", "--write-baseline", "--max-input-size", "--stdin-filename");

    /** Options without a value, given at most once (picocli refuses a repeated one). */
    private static final Set<String> FLAGS = Set.of("-q", "--quiet", "--statistics", "--show-source", "-v",
            "--verbose");

    private QuickArgs() {
    }

    /** The options of {@code args}, or null when picocli must read them. */
    static LintRun.Options lint(String[] args) {
        if (args.length < 2 || !args[0].equals("lint")) {
            return null;
        }
        List<String> paths = new ArrayList<>();
        List<String> drives = new ArrayList<>();
        List<String> select = new ArrayList<>();
        List<String> ignore = new ArrayList<>();
        Map<String, String> single = new HashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        boolean positionalOnly = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.isEmpty() || arg.startsWith("@")) {
                return null;
            }
            if (positionalOnly || arg.equals("-") || !arg.startsWith("-")) {
                paths.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                positionalOnly = true;
                continue;
            }
            if (FLAGS.contains(arg)) {
                // -q and --quiet are one option: both given is a repeat, picocli's to refuse.
                if (!flags.add(arg.length() == 2 ? (arg.equals("-q") ? "--quiet" : "--verbose") : arg)) {
                    return null;
                }
                continue;
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null;
            }
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
                return null;
            }
            boolean ok = switch (name) {
                case "--drive" -> drives.add(value);
                case "--select" -> split(value, select);
                case "--ignore" -> split(value, ignore);
                default -> SINGLE.contains(name) && single.putIfAbsent(name.equals("-o") ? "--output" : name, value) == null;
            };
            if (!ok) {
                return null;
            }
        }
        String jobs = single.get("--jobs");
        if (jobs != null && !jobs.matches("[0-9]{1,6}")) {
            return null;
        }
        String size = single.get("--max-input-size");
        long limit = size == null ? Loader.DEFAULT_INPUT_LIMIT : InputLimit.parse(size);
        if (limit < 0) {
            return null; // picocli's message
        }
        try {
            return new LintRun.Options(paths, drives,
                    Format.valueOf(single.getOrDefault("--format", "text")),
                    LintRun.FailOn.valueOf(single.getOrDefault("--fail-on", "warning")),
                    select, ignore, path(single.get("--config")), path(single.get("--host")),
                    path(single.get("--output")),
                    jobs == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(jobs),
                    path(single.get("--baseline")), path(single.get("--write-baseline")), limit,
                    new ReportSettings.Display(flags.contains("--quiet"), flags.contains("--statistics"),
                            flags.contains("--show-source"), flags.contains("--verbose"), null),
                    single.get("--stdin-filename"));
        } catch (IllegalArgumentException e) {
            // an unknown format or level, or a path the file system refuses (InvalidPathException)
            return null;
        }
    }

    private static boolean split(String value, List<String> into) {
        for (String part : value.split(",", -1)) {
            if (part.isEmpty()) {
                return false;
            }
            into.add(part);
        }
        return true;
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }
}
