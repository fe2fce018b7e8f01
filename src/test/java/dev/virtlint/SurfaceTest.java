package dev.virtlint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A top-level type of src/main is public only when another package uses it: some file of another
 * package of src/main or src/test names it on a code line (comments left out) as
 * {@code dev.virtlint.PKG.Type} (an import, a static import or a qualified name), or by its simple
 * name after {@code import dev.virtlint.PKG.*}. The entry points that only the launchers and the
 * build name are allowed; each must still be named there.
 */
class SurfaceTest {

    private static final Path MAIN = Path.of("src/main/java/dev/virtlint");
    private static final Path TEST = Path.of("src/test/java/dev/virtlint");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public (?:(?:final|abstract|sealed|non-sealed) )*(?:class|record|interface|enum"
                    + "|@interface) (\\w+)", Pattern.MULTILINE);

    /** Started by name from outside the code: package.Type -> what starts it. */
    private static final Map<String, List<String>> ENTRY_POINTS = Map.of(
            "cli.Main", List.of("pom.xml"),                 // the jar's Main-Class
            "cli.CdsTraining", List.of("bin/virtlint"),     // the class-data archive's training
            "sim.Calibration", List.of("bin/bench-sim"));   // the simulator's calibration

    @Test
    void everyPublicTypeIsUsedFromAnotherPackage() throws IOException {
        List<Source> main = sources(MAIN);
        List<Source> all = new ArrayList<>(main);
        all.addAll(sources(TEST));
        List<String> publicTypes = new ArrayList<>();
        List<String> unused = new ArrayList<>();
        for (Source file : main) {
            Matcher m = PUBLIC_TYPE.matcher(Files.readString(file.path()));
            while (m.find()) {
                String type = file.pkg() + "." + m.group(1);
                publicTypes.add(type);
                if (!ENTRY_POINTS.containsKey(type) && !usedOutside(all, file.pkg(), m.group(1))) {
                    unused.add(type);
                }
            }
        }
        assertThat(publicTypes).as("public types of src/main").contains("model.Disk");
        assertThat(unused).as("public types no other package uses (make them package-private)")
                .isEmpty();
    }

    @Test
    void eachEntryPointIsNamedWhereItIsStarted() throws IOException {
        for (Map.Entry<String, List<String>> entry : ENTRY_POINTS.entrySet()) {
            for (String starter : entry.getValue()) {
                assertThat(Files.readString(Path.of(starter)))
                        .as(starter + " starts " + entry.getKey())
                        .contains("dev.virtlint." + entry.getKey());
            }
        }
    }

    private static boolean usedOutside(List<Source> files, String pkg, String name) {
        Pattern named = Pattern.compile("\\bdev\\.virtlint\\." + pkg + "\\." + name + "\\b");
        Pattern simple = Pattern.compile("\\b" + name + "\\b");
        String wildcard = "import dev.virtlint." + pkg + ".*;";
        for (Source file : files) {
            if (file.pkg().equals(pkg)) {
                continue;
            }
            if (named.matcher(file.code()).find()
                    || file.code().contains(wildcard) && simple.matcher(file.code()).find()) {
                return true;
            }
        }
        return false;
    }

    /** A Java file, its package below dev.virtlint ("" for dev.virtlint) and its code lines. */
    private record Source(Path path, String pkg, String code) {}

    /** Each Java file under base, with its comment lines and line-end comments left out. */
    private static List<Source> sources(Path base) throws IOException {
        List<Source> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(base)) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                StringBuilder code = new StringBuilder();
                for (String line : Files.readAllLines(f)) {
                    String c = line.strip();
                    if (c.startsWith("*") || c.startsWith("/*") || c.startsWith("//")
                            || c.startsWith("package ")) {
                        continue;
                    }
                    int comment = c.indexOf("//");
                    code.append(comment >= 0 ? c.substring(0, comment) : c).append('\n');
                }
                Path dir = base.relativize(f).getParent();
                String pkg = dir == null ? "" : dir.toString().replace('/', '.');
                files.add(new Source(f, pkg, code.toString()));
            }
        }
        return files;
    }
}
