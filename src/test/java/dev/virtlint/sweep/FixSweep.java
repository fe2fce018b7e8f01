package dev.virtlint.sweep;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.rewrite.Batch;
import dev.virtlint.rewrite.Encoded;
import dev.virtlint.rewrite.FileFix;
import dev.virtlint.rules.Linter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fix half of the corpus sweep. Every file must print back byte for byte when no edit applies.
 * Then the corpus is copied to a temporary directory and fixed there as {@code virtlint fix
 * --unsafe-fixes} does;
 * a line diff of each changed file must show only lines whose sole difference is a cache, io or
 * discard setting (in a {@code -blockdev} or {@code -device} JSON object too), or an added
 * {@code <driver .../>} line; and a changed domain that libvirt's
 * schema accepted before must be accepted after (when {@code virt-xml-validate} is installed).
 */
final class FixSweep {

    /** The settings a fix may touch, in either spelling, with their value and the separator before them. */
    private static final Pattern SETTING = Pattern.compile(
            "[ ,]?\\b(cache|io|aio|discard|cache\\.direct|cache\\.no-flush|cache\\.writeback|write-cache)=(['\"]?)[A-Za-z0-9._-]+\\2");
    /** The same in a -blockdev or -device JSON object, where a fix edits the node the switch acts on. */
    private static final Pattern JSON_SETTING = Pattern.compile(
            "\"(direct|no-flush)\":(true|false)|\"(write-cache|aio|discard)\":\"[A-Za-z0-9._-]+\"");
    private static final Pattern DRIVER_LINE = Pattern.compile(
            "\\s*<driver( (cache|io|discard)=(['\"])[a-z]+\\3)+/>\\s*");

    private final Path root;
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();

    FixSweep(Path root, PrintStream out) {
        this.root = root;
        this.out = out;
    }

    List<String> failures() {
        return failures;
    }

    void run(List<Path> files, Map<Path, Loader.Outcome> loaded) throws IOException {
        int printedBack = 0;
        for (Path p : files) {
            Loader.Outcome o = loaded.get(p);
            if (o.file() == null) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(p);
            if (!Arrays.equals(Encoded.bytes(o.file().source(), o.file().source().text()), bytes)) {
                failures.add(root.relativize(p) + ": does not print back byte-identical");
            } else {
                printedBack++;
            }
        }
        out.printf("round trip: %d files printed back byte-identical, %d differ%n", printedBack,
                failures.size());

        Path copy = Files.createTempDirectory("virtlint-fix-sweep");
        try {
            fixCopy(files, loaded, copy);
        } finally {
            try (Stream<Path> walk = Files.walk(copy)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void fixCopy(List<Path> files, Map<Path, Loader.Outcome> loaded, Path copy) throws IOException {
        List<Batch.Item> items = new ArrayList<>();
        for (Path p : files) {
            Path target = copy.resolve(root.relativize(p).toString());
            Files.createDirectories(target.getParent());
            Files.copy(p, target);
            // The copy is the sweep's own: a read-only original (a read-only checkout of the corpus)
            // would otherwise be refused by fix, which leaves read-only files alone without --force.
            Files.setAttribute(target, "unix:mode", 0644);
            String name = target.toString();
            items.add(new Batch.Item(Input.file(name, target, name.endsWith(".xml") ? Input.Kind.XML : Input.Kind.ARGS),
                    copy));
        }
        long start = System.nanoTime();
        // Unsafe fixes too (fix --unsafe-fixes): the corpus has no host profile, and what is under
        // test is the rewriter, on every fix the rules make.
        List<FileFix.Result> results = Batch.run(items, i -> Linter.Settings.defaults(),
                new FileFix.Mode(true, null, false, dev.virtlint.lint.Loader.DEFAULT_INPUT_LIMIT,
                        true),
                Runtime.getRuntime().availableProcessors(), copy);
        double seconds = (System.nanoTime() - start) / 1e9;
        Batch.Summary s = Batch.Summary.of(results);
        Map<String, Integer> reasons = new TreeMap<>();
        int lines = 0;
        List<Path> changed = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            FileFix.Result r = results.get(i);
            for (String note : r.notes()) {
                int at = note.indexOf(": not fixed: ");
                if (at >= 0) {
                    String why = note.substring(at + ": not fixed: ".length()).replaceFirst("^disk [^:]+: ", "");
                    reasons.merge(why.length() > 90 ? why.substring(0, 90) + "..." : why, 1, Integer::sum);
                }
            }
            if (r.status() == FileFix.Status.FAILED && loaded.get(files.get(i)).file() != null) {
                failures.add("fix failed: " + String.join(" | ", r.notes()).replace(copy.toString() + "/", ""));
            }
            if (r.status() == FileFix.Status.CHANGED) {
                Path original = files.get(i);
                Path fixed = items.get(i).input().path();
                lines += checkLines(original, fixed);
                changed.add(original);
            }
        }
        out.printf("fix over a copy: %d files changed, %d unchanged, %d skipped, %d failed; %d disks fixed,"
                + " %d lines changed, in %.1f s%n", s.changed(), s.unchanged(), s.skipped(), s.failed(), s.disks(),
                lines, seconds);
        reasons.forEach((why, n) -> out.printf("  not fixed x%d: %s%n", n, why));
        validate(changed, copy);
    }

    /** The lines that differ between the original and the fixed file, each checked; returns how many changed. */
    int checkLines(Path original, Path fixed) throws IOException {
        Loader.Outcome o = Loader.load(Input.file(original.toString(), original, Input.Kind.SNIFF));
        Charset cs = Charset.forName(o.file().source().charset());
        List<String> a = lines(new String(Files.readAllBytes(original), cs));
        List<String> b = lines(new String(Files.readAllBytes(fixed), cs));
        String name = root.relativize(original).toString();
        int[][] edits = LineDiff.of(a, b);
        int count = 0;
        int i = 0;
        int j = 0;
        for (int[] step : edits) {
            switch (step[0]) {
                case 0 -> {
                    i++;
                    j++;
                }
                case 1 -> {
                    // A changed line: old and new must be the same once the fixable settings are taken out.
                    String before = a.get(i++);
                    String after = b.get(j++);
                    count++;
                    if (!strip(before).equals(strip(after))) {
                        failures.add(name + ": line " + i + " changed beyond its settings:\n    - " + before.strip()
                                + "\n    + " + after.strip());
                    }
                }
                case 2 -> {
                    String added = b.get(j++);
                    count++;
                    if (!DRIVER_LINE.matcher(added).matches()) {
                        failures.add(name + ": added line " + j + " is not a <driver> line: " + added.strip());
                    }
                }
                default -> {
                    failures.add(name + ": line " + (i + 1) + " was removed: " + a.get(i).strip());
                    i++;
                }
            }
        }
        return count;
    }

    private static String strip(String line) {
        Matcher m = SETTING.matcher(line);
        return JSON_SETTING.matcher(m.replaceAll("")).replaceAll("");
    }

    static List<String> lines(String text) {
        return Arrays.asList(text.split("(?<=\n)", -1));
    }

    /** Where libvirt-clients installs the schema virt-xml-validate checks domains against. */
    private static final Path DOMAIN_SCHEMA = Path.of("/usr/share/libvirt/schemas/domain.rng");

    /**
     * Runs libvirt's schema check on each changed domain before and after: what {@code virt-xml-validate
     * FILE domain} runs ({@code xmllint --relaxng} with libvirt's domain.rng), for many files per call.
     */
    private void validate(List<Path> changed, Path copy) {
        if (!Files.isRegularFile(DOMAIN_SCHEMA) || !toolPresent()) {
            out.println("virt-xml-validate: not installed, schema check skipped");
            return;
        }
        List<Path> xml = changed.stream().filter(p -> p.toString().endsWith(".xml")).toList();
        java.util.Set<Path> before = valid(xml);
        List<Path> fixed = before.stream().sorted().map(p -> copy.resolve(root.relativize(p).toString())).toList();
        java.util.Set<Path> after = valid(fixed);
        int broken = 0;
        for (Path p : fixed) {
            if (!after.contains(p)) {
                broken++;
                failures.add(copy.relativize(p) + ": libvirt's schema accepted it before the fix, not after");
            }
        }
        out.printf("virt-xml-validate (xmllint --relaxng domain.rng) on %d changed domains: %d valid before and after,"
                + " %d invalid after the fix, %d not valid before either%n", xml.size(), before.size() - broken, broken,
                xml.size() - before.size());
    }

    /** The files the schema accepts; xmllint says {@code FILE validates} for each. */
    private java.util.Set<Path> valid(List<Path> files) {
        java.util.Set<Path> ok = new java.util.HashSet<>();
        for (int from = 0; from < files.size(); from += 400) {
            List<String> command = new ArrayList<>(List.of("xmllint", "--noout", "--relaxng", DOMAIN_SCHEMA.toString()));
            files.subList(from, Math.min(files.size(), from + 400)).forEach(p -> command.add(p.toString()));
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                p.waitFor(300, TimeUnit.SECONDS);
                for (String line : text.split("\n")) {
                    if (line.endsWith(" validates")) {
                        ok.add(Path.of(line.substring(0, line.length() - " validates".length())));
                    }
                }
            } catch (IOException e) {
                failures.add("xmllint: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ok;
            }
        }
        return ok;
    }

    private static boolean toolPresent() {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v virt-xml-validate && command -v xmllint")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
