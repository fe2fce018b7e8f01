package dev.virtlint.report;

import dev.virtlint.rules.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings accepted for now: a text file with one line per finding (its fingerprint, then rule,
 * domain, disk and value for the reader), so that a repository can adopt virtlint and fail only on
 * new findings. Fingerprints carry no line numbers (see {@link Fingerprints}).
 */
public final class Baseline {

    private static final String HEADER = "# virtlint baseline v1: fingerprint, rule, domain, disk, value (tab-separated)."
            + " Written by --write-baseline; findings listed here are not reported with --baseline.";

    private final Map<String, Integer> counts;

    private Baseline(Map<String, Integer> counts) {
        this.counts = counts;
    }

    /** Reads a baseline; a line that is not {@code # comment} or a fingerprint is an error with its line. */
    public static Baseline read(Path file) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String print = line.split("\t", 2)[0];
            if (!print.matches("[0-9a-f]{32}")) {
                throw new IOException(file + ":" + (i + 1) + ":1: not a baseline line (expected a 32-digit hex"
                        + " fingerprint); write the file with --write-baseline");
            }
            counts.merge(print, 1, Integer::sum);
        }
        return new Baseline(counts);
    }

    /** The run without the findings the baseline lists (each line accepts one finding). */
    public RunResult filter(RunResult run) {
        Map<String, Integer> left = new HashMap<>(counts);
        List<Checked> files = new ArrayList<>();
        for (Checked c : run.files()) {
            Fingerprints prints = new Fingerprints();
            List<Finding> kept = new ArrayList<>();
            for (Finding f : c.findings()) {
                String print = prints.next(c.file(), f);
                Integer n = left.get(print);
                if (n != null && n > 0) {
                    left.put(print, n - 1);
                } else {
                    kept.add(f);
                }
            }
            files.add(new Checked(c.file(), kept, c.suppressed(), c.plan()));
        }
        return new RunResult(files, run.errors());
    }

    /** A baseline's text and the number of findings it lists. */
    public record Text(String text, int findings) {
    }

    /** Every finding of the run, as a baseline file holds them. */
    public static Text render(RunResult run) {
        List<String> lines = new ArrayList<>();
        for (Checked c : run.files()) {
            Fingerprints prints = new Fingerprints();
            for (Finding f : c.findings()) {
                Fingerprints.Parts p = Fingerprints.parts(c.file(), f);
                lines.add(String.join("\t", prints.next(c.file(), f), p.rule(), clean(p.domain()), clean(p.disk()),
                        clean(p.value())));
            }
        }
        lines.sort(null);
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        lines.forEach(l -> out.append(l).append('\n'));
        return new Text(out.toString(), lines.size());
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
