package dev.virtlint.lint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands the paths given on the command line: a file is linted whatever its name, a directory is
 * walked recursively for {@code *.xml} and {@code *.args} in name order, skipping hidden
 * directories such as {@code .git}; symbolic links to directories are not followed.
 */
public final class Inputs {

    private Inputs() {
    }

    /** The inputs, and the paths that do not exist (as errors for the caller to report). */
    public record Expanded(List<Input> inputs, List<String> missing) {
    }

    public static Expanded expand(List<String> paths) throws IOException {
        List<Input> inputs = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String given : paths) {
            Path path = Path.of(given);
            if (Files.isDirectory(path)) {
                inputs.addAll(walk(given, path));
            } else if (Files.exists(path)) {
                inputs.add(Input.file(given, path, kindByName(given, Input.Kind.SNIFF)));
            } else {
                missing.add(given);
            }
        }
        return new Expanded(inputs, missing);
    }

    private static List<Input> walk(String given, Path root) throws IOException {
        List<Input> found = new ArrayList<>();
        try (Stream<Path> stream = Files.walk(root)) {
            stream.filter(p -> !hiddenBelow(root, p))
                    .filter(Files::isRegularFile)
                    .filter(p -> kindByName(p.getFileName().toString(), null) != null)
                    .sorted()
                    .forEach(p -> found.add(Input.file(display(given, root, p), p,
                            kindByName(p.getFileName().toString(), null))));
        }
        return found;
    }

    private static boolean hiddenBelow(Path root, Path p) {
        Path rel = root.relativize(p);
        for (Path part : rel) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String display(String given, Path root, Path p) {
        String rel = root.relativize(p).toString();
        if (given.endsWith("/")) {
            return given + rel;
        }
        return given + "/" + rel;
    }

    static Input.Kind kindByName(String name, Input.Kind otherwise) {
        if (name.endsWith(".xml")) {
            return Input.Kind.XML;
        }
        if (name.endsWith(".args")) {
            return Input.Kind.ARGS;
        }
        return otherwise;
    }
}
