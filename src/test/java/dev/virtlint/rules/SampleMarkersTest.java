package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.config.Config;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Inputs;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.SourceText;
import dev.virtlint.model.Span;
import dev.virtlint.parse.Yaml.YamlException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Samples are the tests. In XML a marker comment names a finding the next element must produce:
 * {@code <!-- expect: rule-id "part of the message" x2 -->}; the finding must point into that
 * element's start tag (or into the next comment, when another comment, such as a suppression,
 * follows the markers). A QEMU command line cannot hold a comment inside a continued command, so
 * there {@code # expect: rule-id "disk virtio1"} lines bind to the whole file and the quoted part
 * of the message says which disk. Checked both ways: a finding without a marker fails, a marker
 * without its finding fails, and a file without markers must be clean.
 *
 * <p>Two markers are about the file, not a finding: {@code <!-- expect: skipped "part of the
 * reason" -->} says the file is not a domain and is skipped, and {@code <!-- expect: input-error
 * "part of the message" -->} says the file is refused with that error, at the next element's
 * {@code <}. They are read off the text (a file that is skipped or refused has no tree); a file
 * without them must load as a domain, a disk or a command line.
 */
public class SampleMarkersTest {

    public static final Path SAMPLES = Path.of("samples");
    private static final Pattern MARKER =
            Pattern.compile("^\\s*expect:\\s*([a-z0-9-]+)(?:\\s+\"([^\"]*)\")?(?:\\s+x(\\d+))?\\s*$");

    /** A marker and the source span it binds to. */
    record Marker(String rule, String text, int count, Span target, int line) {

        boolean covers(Finding f) {
            if (!f.rule().equals(rule) || (text != null && !f.message().contains(text))) {
                return false;
            }
            return target.start() <= f.span().start() && f.span().start() < target.end();
        }
    }

    @TestFactory
    Stream<DynamicTest> everySampleProducesExactlyItsMarkedFindings() throws IOException {
        // The after half of a fix pair keeps the before's markers (a fix does not touch comments),
        // so there a marker may have no finding any more; but every finding it has must still be
        // one its markers name: a new finding of another rule in a fixed file fails.
        List<Input> inputs = Inputs.expand(List.of(SAMPLES.toString())).inputs();
        return inputs.stream().map(input -> DynamicTest.dynamicTest(input.name(), () -> {
            List<String> problems = check(input, input.name().contains(".after.")
                    || input.name().contains(".after-unsafe."));
            assertThat(problems).as("marker mismatches").isEmpty();
        }));
    }

    /** {@code <!-- expect: skipped "..." -->} or {@code <!-- expect: input-error "..." -->}. */
    private static final Pattern FILE_MARKER =
            Pattern.compile("<!--\\s*expect:\\s*(skipped|input-error)(?:\\s+\"([^\"]*)\")?\\s*-->");

    static List<String> check(Input input) {
        return check(input, false);
    }

    /** With {@code after}, markers need not be met (the fix removed their findings). */
    static List<String> check(Input input, boolean after) {
        Loader.Outcome outcome = Loader.load(input);
        List<String> problems = new ArrayList<>();
        if (fileMarkers(input, outcome, problems)) {
            return problems;
        }
        ParsedFile file = outcome.file();
        List<Finding> findings = Linter.lint(file, settingsFor(input));
        List<Marker> markers = markersOf(file);
        int[] used = new int[markers.size()];
        for (Finding f : findings) {
            boolean matched = false;
            for (int i = 0; i < markers.size() && !matched; i++) {
                if (used[i] < markers.get(i).count() && markers.get(i).covers(f)) {
                    used[i]++;
                    matched = true;
                }
            }
            if (!matched) {
                problems.add(input.name() + ":" + file.source().positionOf(f.span().start()).line()
                        + ": unexpected [" + f.rule() + "] " + f.message());
            }
        }
        for (int i = 0; i < markers.size(); i++) {
            Marker m = markers.get(i);
            if (used[i] < m.count() && !after) {
                problems.add(input.name() + ":" + m.line() + ": expected [" + m.rule() + "]"
                        + (m.text() == null ? "" : " \"" + m.text() + "\"") + " x" + m.count() + ", found " + used[i]);
            }
        }
        return problems;
    }

    /**
     * Checks the file's own markers against how it loaded; true when the file was skipped or
     * refused (nothing more to check), false when it loaded and its findings are to be checked.
     */
    private static boolean fileMarkers(Input input, Loader.Outcome outcome, List<String> problems) {
        String text;
        try {
            text = java.nio.file.Files.readString(input.path());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        SourceText source = SourceText.of(input.name(), text);
        Matcher m = FILE_MARKER.matcher(text);
        String skipped = null;
        String error = null;
        int errorAt = -1;
        int line = 0;
        while (m.find()) {
            line = source.positionOf(m.start()).line();
            if (m.group(1).equals("skipped")) {
                skipped = m.group(2) == null ? "" : m.group(2);
            } else {
                error = m.group(2) == null ? "" : m.group(2);
                errorAt = nextElement(text, m.end());
            }
        }
        String at = input.name() + ":" + line + ": ";
        if (outcome.error() != null) {
            if (error == null) {
                problems.add(input.name() + ": unexpected input error: " + outcome.error().format());
            } else if (!outcome.error().message().contains(error)) {
                problems.add(at + "expected input error \"" + error + "\", found: " + outcome.error().format());
            } else if (!source.positionOf(errorAt).equals(outcome.error().position())) {
                problems.add(at + "expected the input error at " + source.positionOf(errorAt) + ", found: "
                        + outcome.error().format());
            }
            return true;
        }
        if (error != null) {
            problems.add(at + "expected input error \"" + error + "\", but the file loaded");
        }
        ParsedFile file = outcome.file();
        if (file.kind() == ParsedFile.Kind.SKIPPED) {
            if (skipped == null) {
                problems.add(input.name() + ": unexpected skip: " + file.note());
            } else if (!file.note().contains(skipped)) {
                problems.add(at + "expected skipped \"" + skipped + "\", found: " + file.note());
            }
            return true;
        }
        if (skipped != null) {
            problems.add(at + "expected the file to be skipped, but it was read as " + file.kind().id());
        }
        return error != null;
    }

    /** The offset of the next element's {@code <} after {@code from}, past comments and blanks. */
    private static int nextElement(String text, int from) {
        int i = from;
        while (i < text.length()) {
            if (text.startsWith("<!--", i)) {
                int end = text.indexOf("-->", i);
                i = end < 0 ? text.length() : end + 3;
            } else if (Character.isWhitespace(text.charAt(i))) {
                i++;
            } else {
                return i;
            }
        }
        return text.length();
    }

    /** Samples under a directory with a {@code .virtlint.yaml} are linted with it, as {@code virtlint lint} does. */
    public static Linter.Settings settingsFor(Input input) {
        Optional<Path> config = Config.find(input.path().toAbsolutePath().getParent());
        if (config.isEmpty()) {
            return Linter.Settings.defaults();
        }
        try {
            return Config.load(config.get(), config.get().toString()).settingsFor(input.path(), Set.of(), Set.of(), null);
        } catch (YamlException e) {
            throw new AssertionError(e.format(), e);
        }
    }

    /** Markers that rules count on in a file. */
    static List<Marker> markersOf(ParsedFile file) {
        return file.tree() == null ? commandLineMarkers(file.source()) : xmlMarkers(file);
    }

    private static List<Marker> xmlMarkers(ParsedFile file) {
        List<Marker> out = new ArrayList<>();
        List<dev.virtlint.parse.XmlTree.Comment> comments = file.tree().comments();
        for (int c = 0; c < comments.size(); c++) {
            var comment = comments.get(c);
            Matcher m = MARKER.matcher(comment.body());
            if (m.matches()) {
                Span target = file.tree().nextTagAfter(comment.span().end()).orElse(comment.span());
                // A marker may also be about the comment that follows it (a suppression).
                for (int k = c + 1; k < comments.size(); k++) {
                    var next = comments.get(k);
                    if (!file.source().text().substring(comment.span().end(), next.span().start()).isBlank()
                            || next.span().start() > target.start()) {
                        break;
                    }
                    if (!MARKER.matcher(next.body()).matches()) {
                        target = next.span();
                        break;
                    }
                }
                out.add(new Marker(m.group(1), m.group(2), m.group(3) == null ? 1 : Integer.parseInt(m.group(3)),
                        target, file.source().positionOf(comment.span().start()).line()));
            }
        }
        return out;
    }

    private static List<Marker> commandLineMarkers(SourceText source) {
        List<Marker> out = new ArrayList<>();
        Span whole = new Span(0, source.text().length());
        String[] lines = source.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String trimmed = lines[i].trim();
            if (trimmed.startsWith("#")) {
                Matcher m = MARKER.matcher(trimmed.substring(1));
                if (m.matches()) {
                    out.add(new Marker(m.group(1), m.group(2), m.group(3) == null ? 1 : Integer.parseInt(m.group(3)),
                            whole, i + 1));
                }
            }
        }
        return out;
    }
}
