package dev.virtlint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.lint.Input;
import dev.virtlint.model.Dialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The footprint of an input syntax (ARCHITECTURE.md, "Adding an input format"): only the files
 * listed here may declare or name one syntax, that is a constant of {@link Dialect} or of
 * {@link Input.Kind} ({@code Dialect.XML}, {@code Input.Kind.ARGS}, {@code case XML ->}); every
 * other file of src/main asks the disk's dialect or goes through the readers' registry. A new
 * syntax adds its reader, dialect and editor, and a line to some of these files, and nothing else.
 */
class FootprintTest {

    private static final Path MAIN = Path.of("src/main/java/dev/virtlint");

    /** The files that may name a syntax, and why. */
    static final Map<String, String> FOOTPRINT = Map.of(
            "model/Dialect.java", "the dialects: how each syntax names and renders a setting",
            "lint/Input.java", "the kinds of input, one per reader",
            "lint/Loader.java", "the registry of readers: how a file is recognised and read",
            "rewrite/Editor.java", "the editor of each dialect",
            "parse/DomainParser.java", "the XML reader, which reads <qemu:commandline> options too",
            "pipeline/Lint.java", "--drive hands a drive string of the command line to its reader");

    /** Every constant that names one syntax: the dialects, and the kinds but sniffing. */
    static Set<String> syntaxConstants() {
        Set<String> names = new LinkedHashSet<>();
        for (Dialect d : Dialect.values()) {
            names.add(d.name());
        }
        for (Input.Kind k : Input.Kind.values()) {
            if (k != Input.Kind.SNIFF) {
                names.add(k.name());
            }
        }
        return names;
    }

    /** The files of src/main that declare or name a syntax constant, and the first such line. */
    static Map<String, String> namingFiles() throws IOException {
        String names = String.join("|", syntaxConstants());
        // Qualified (Dialect.XML), in a switch (case XML), declared (XML("xml"),), or imported
        // statically, after which a bare XML could not be told from any other word.
        Pattern named = Pattern.compile("\\b[A-Z]\\w*\\.(?:" + names + ")\\b"
                + "|\\bcase\\s+(?:" + names + ")\\b|^(?:" + names + ")\\s*[(,;]"
                + "|^import\\s+static\\s+dev\\.virtlint\\.(?:model\\.Dialect|lint\\.Input)\\b");
        Map<String, String> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String file = MAIN.relativize(f).toString().replace('\\', '/');
                for (String line : Files.readAllLines(f)) {
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                        continue;
                    }
                    int comment = code.indexOf("//");
                    Matcher m = named.matcher(comment >= 0 ? code.substring(0, comment) : code);
                    if (m.find()) {
                        found.putIfAbsent(file, code);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void onlyTheFootprintNamesAnInputSyntax() throws IOException {
        List<String> outside = new ArrayList<>();
        namingFiles().forEach((file, line) -> {
            if (!FOOTPRINT.containsKey(file)) {
                outside.add(file + ": " + line);
            }
        });
        assertThat(outside).as("files outside the footprint that name a syntax (ask the disk's"
                + " Dialect, or the readers of lint/Loader, instead)").isEmpty();
    }

    @Test
    void everyFileOfTheFootprintNamesASyntax() throws IOException {
        // A file that no longer names one leaves the footprint: the list stays what it says.
        Set<String> stale = new TreeSet<>(FOOTPRINT.keySet());
        stale.removeAll(namingFiles().keySet());
        assertThat(stale).as("footprint files that name no syntax").isEmpty();
        assertThat(syntaxConstants()).contains("XML", "ARGS", "DRIVE");
    }
}
