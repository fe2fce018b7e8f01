package dev.virtlint.sweep;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.InputError;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.parse.ParseException;
import dev.virtlint.parse.ReaderAgreement;
import dev.virtlint.parse.TextDecoder;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Linter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Runs over libvirt's test data. Every {@code .xml} and {@code .args} file must be read without an
 * internal error. libvirt generated each {@code NAME.*.args} from {@code NAME.xml}, so for every
 * such pair the cache switches virtlint reads from the XML must equal those it reads from the
 * command line, disk by disk, unless a known libvirt behaviour explains the difference.
 *
 * <p>Usage: {@code CorpusSweep DIR} (the folder holding libvirt-tests). Exit 0 when nothing failed.
 */
public final class CorpusSweep {

    private final Path root;
    private final PrintStream out;
    private final Map<Path, Loader.Outcome> loaded = new ConcurrentHashMap<>();
    private final Map<String, Integer> explained = new TreeMap<>();
    private final Map<String, String> explainedExample = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private int pairsPassed;
    private int disksCompared;
    private int disksAgreeing;

    CorpusSweep(Path root, PrintStream out) {
        this.root = root;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CorpusSweep DIR");
            System.exit(2);
        }
        long start = System.nanoTime();
        CorpusSweep sweep = new CorpusSweep(Path.of(args[0]), System.out);
        boolean ok = sweep.run();
        System.out.printf("sweep took %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.exit(ok ? 0 : 1);
    }

    boolean run() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".xml") || p.toString().endsWith(".args"))
                    .sorted().toList();
        }
        files.parallelStream().forEach(p -> loaded.put(p, Loader.load(input(p))));

        int xml = 0;
        int args = 0;
        int skipped = 0;
        int disks = 0;
        List<String> inputErrors = new ArrayList<>();
        List<String> internalErrors = new ArrayList<>();
        for (Path p : files) {
            if (p.toString().endsWith(".xml")) {
                xml++;
            } else {
                args++;
            }
            Loader.Outcome o = loaded.get(p);
            if (o.error() != null) {
                (o.error().internal() ? internalErrors : inputErrors).add(o.error().format());
            } else {
                disks += o.file().disks().size();
                if (o.file().kind() == ParsedFile.Kind.SKIPPED) {
                    skipped++;
                }
            }
        }
        int spans = 0;
        List<String> badSpans = new ArrayList<>();
        for (Path p : files) {
            Loader.Outcome o = loaded.get(p);
            if (o.file() != null) {
                spans += SpanCheck.check(o.file(), badSpans);
            }
        }
        out.printf("read %d xml and %d args files: %d disks, %d skipped (not a domain), %d input errors, %d internal errors%n",
                xml, args, disks, skipped, inputErrors.size(), internalErrors.size());
        inputErrors.forEach(e -> out.println("  input error: " + e));
        internalErrors.forEach(e -> out.println("  INTERNAL: " + e));
        out.printf("spans checked by slicing the source: %d, wrong: %d%n", spans, badSpans.size());
        badSpans.stream().limit(20).forEach(e -> out.println("  WRONG SPAN " + e));

        for (Path p : files) {
            if (p.toString().endsWith(".args")) {
                comparePair(p);
            }
        }
        compareXmlReaders(files);
        lintInputs(files);
        FixSweep fix = new FixSweep(root, out);
        fix.run(files, loaded);
        failures.addAll(fix.failures());
        out.printf("disks compared: %d, switches equal: %d, differences explained by libvirt: %d%n",
                disksCompared, disksAgreeing, explained.values().stream().mapToInt(Integer::intValue).sum());
        explained.forEach((reason, n) -> out.printf("  explained x%d: %s (e.g. %s)%n", n, reason, explainedExample.get(reason)));
        failures.forEach(f -> out.println("  FAILED " + f));
        out.printf("%d passed, %d failed%n", pairsPassed,
                failures.size() + internalErrors.size() + badSpans.size() + lintCrashes.size());
        return failures.isEmpty() && internalErrors.isEmpty() && badSpans.isEmpty() && lintCrashes.isEmpty();
    }

    private final List<String> lintCrashes = new ArrayList<>();

    /**
     * The strict XML reader against the JDK's parser on every XML file as a lint decodes it: where
     * the strict reader reads a file, both must build the same tree; any difference is a failure.
     */
    private void compareXmlReaders(List<Path> files) throws IOException {
        int xml = 0;
        int strict = 0;
        int disagree = 0;
        for (Path p : files) {
            if (!p.toString().endsWith(".xml")) {
                continue;
            }
            String text;
            try {
                text = TextDecoder.decode(p.toString(), Files.readAllBytes(p)).text();
            } catch (ParseException e) {
                continue; // not decodable: reported above as an input error
            }
            xml++;
            ReaderAgreement.Result r = ReaderAgreement.compare(text);
            if (r.verdict() == ReaderAgreement.Verdict.READ_ALIKE) {
                strict++;
            } else if (r.verdict() == ReaderAgreement.Verdict.DISAGREE) {
                disagree++;
                failures.add(root.relativize(p) + ": XML readers disagree: " + r.problem());
            }
        }
        out.printf("strict XML reader: %d of %d xml files read by it, %d read differently from the JDK's parser%n",
                strict, xml, disagree);
    }

    /**
     * Lints every input domain (NAME.xml, not libvirt's expected outputs) with the catalogue's
     * defaults and prints the findings per rule; a rule that throws is an internal error.
     */
    private void lintInputs(List<Path> files) {
        Map<String, Integer> perRule = new TreeMap<>();
        Map<String, String> example = new TreeMap<>();
        int inputs = 0;
        for (Path p : files) {
            String name = p.getFileName().toString();
            Loader.Outcome o = loaded.get(p);
            if (!name.endsWith(".xml") || name.indexOf('.') != name.lastIndexOf('.') || o.file() == null
                    || p.getParent().endsWith("qemuxml2xmloutdata")) {
                continue;
            }
            inputs++;
            try {
                for (Finding f : Linter.lint(o.file(), Linter.Settings.defaults())) {
                    perRule.merge(f.rule(), 1, Integer::sum);
                    example.putIfAbsent(f.rule(), root.relativize(p) + ":"
                            + o.file().source().positionOf(f.span().start()) + " " + f.message());
                }
            } catch (RuntimeException e) {
                lintCrashes.add(root.relativize(p) + ": " + e);
            }
        }
        out.printf("linted %d input domains: %d findings, %d internal errors%n", inputs,
                perRule.values().stream().mapToInt(Integer::intValue).sum(), lintCrashes.size());
        perRule.forEach((rule, n) -> out.printf("  %-32s %5d  e.g. %s%n", rule, n, example.get(rule)));
        lintCrashes.forEach(e -> out.println("  INTERNAL: " + e));
    }

    private static Input input(Path p) {
        return Input.file(p.toString(), p, p.toString().endsWith(".xml") ? Input.Kind.XML : Input.Kind.ARGS);
    }

    /** The input XML an args file was generated from: the shortest {@code NAME} with {@code NAME.xml} beside it. */
    private Optional<Path> xmlFor(Path args) {
        String base = args.getFileName().toString();
        base = base.substring(0, base.length() - ".args".length());
        int dot = -1;
        while (true) {
            dot = base.indexOf('.', dot + 1);
            String name = dot < 0 ? base : base.substring(0, dot);
            Path candidate = args.resolveSibling(name + ".xml");
            if (loaded.containsKey(candidate)) {
                return Optional.of(candidate);
            }
            if (dot < 0) {
                return Optional.empty();
            }
        }
    }

    private void comparePair(Path argsPath) {
        String pair = root.relativize(argsPath).toString();
        Optional<Path> xmlPath = xmlFor(argsPath);
        if (xmlPath.isEmpty()) {
            failures.add(pair + ": no NAME.xml beside it");
            return;
        }
        Loader.Outcome xml = loaded.get(xmlPath.get());
        Loader.Outcome args = loaded.get(argsPath);
        if (xml.error() != null || args.error() != null) {
            InputError e = xml.error() != null ? xml.error() : args.error();
            failures.add(pair + ": cannot compare, " + e.format());
            return;
        }
        List<Disk> fromXml = xml.file().disks();
        List<Disk> fromArgs = args.file().disks();
        List<String> problems = new ArrayList<>();
        int[] matchOf = match(fromXml, fromArgs);
        for (int i = 0; i < fromXml.size(); i++) {
            Disk x = fromXml.get(i);
            if (matchOf[i] < 0) {
                Optional<String> why = Explanations.unmatched(x, xml.file());
                if (why.isPresent()) {
                    explain(why.get(), pair + " " + x.target());
                } else {
                    problems.add("disk " + x.target() + " (" + x.source().orElse("no source") + ") has no match in the args");
                }
                continue;
            }
            Disk a = fromArgs.get(matchOf[i]);
            disksCompared++;
            if (x.cache().sameSwitches(a.cache()) && x.cache().explicit() == a.cache().explicit()) {
                disksAgreeing++;
                continue;
            }
            Optional<String> why = Explanations.differs(x, a, xml.file());
            String detail = x.target() + "/" + a.target() + " xml " + describe(x.cache()) + " args " + describe(a.cache());
            if (why.isPresent()) {
                explain(why.get(), pair + " " + detail);
            } else {
                problems.add(detail);
            }
        }
        if (problems.isEmpty()) {
            pairsPassed++;
        } else {
            failures.add(pair + ": " + String.join("; ", problems));
        }
    }

    private void explain(String reason, String example) {
        explained.merge(reason, 1, Integer::sum);
        explainedExample.putIfAbsent(reason, example);
    }

    static String describe(CacheMode c) {
        return c.modeName() + (c.explicit() ? "" : "(default)") + "[wb=" + c.writeback() + ",direct=" + c.direct()
                + ",noflush=" + c.noFlush() + "]";
    }

    /**
     * Pairs XML disks with command-line disks. libvirt sorts disks by bus and target, so a local
     * path that appears on both sides decides first; what is left is paired in order, never
     * pairing two different local paths.
     */
    static int[] match(List<Disk> xml, List<Disk> args) {
        int[] matchOf = new int[xml.size()];
        boolean[] taken = new boolean[args.size()];
        java.util.Arrays.fill(matchOf, -1);
        for (int i = 0; i < xml.size(); i++) {
            Optional<String> path = localPath(xml.get(i));
            for (int k = 0; path.isPresent() && k < args.size(); k++) {
                if (!taken[k] && path.equals(localPath(args.get(k)))) {
                    matchOf[i] = k;
                    taken[k] = true;
                    break;
                }
            }
        }
        int next = 0;
        for (int i = 0; i < xml.size(); i++) {
            if (matchOf[i] >= 0) {
                continue;
            }
            for (int k = next; k < args.size(); k++) {
                if (!taken[k] && compatible(xml.get(i), args.get(k))) {
                    matchOf[i] = k;
                    taken[k] = true;
                    next = k + 1;
                    break;
                }
            }
        }
        return matchOf;
    }

    /** A path on the host; {@code /dev/fdset/N} is a file descriptor libvirt passed, not a path. */
    private static Optional<String> localPath(Disk d) {
        return d.source().filter(s -> s.startsWith("/") && !s.startsWith("/dev/fdset/"));
    }

    /** Two different local paths never pair; anything else may. */
    private static boolean compatible(Disk x, Disk a) {
        Optional<String> xs = localPath(x);
        Optional<String> as = localPath(a);
        return xs.isEmpty() || as.isEmpty() || xs.get().equals(as.get());
    }
}
