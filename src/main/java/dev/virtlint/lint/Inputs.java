package dev.virtlint.lint;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands the paths given on the command line: a file is linted whatever its name, a directory is
 * walked recursively, in name order, for the files a reader of {@link Loader} claims
 * ({@code *.xml}, {@code *.args} and shell launch scripts), skipping hidden directories such as
 * {@code .git}; symbolic links to directories are not followed.
 * A launch script is a {@code *.sh} file, or a file without an extension whose first line is a
 * shell's {@code #!} line, that runs {@code qemu-system-*} or {@code qemu-kvm}; other scripts are
 * left out silently (a repository's build and CI scripts are not configurations).
 */
public final class Inputs {

    private Inputs() {
    }

    /**
     * The inputs, the paths that do not exist, and the paths that cannot be read as inputs (an
     * unreadable directory, a FIFO or device, a name the locale cannot encode), as errors for the
     * caller to report; the other inputs are still linted.
     */
    public record Expanded(List<Input> inputs, List<String> missing, List<InputError> errors) {
    }

    public static Expanded expand(List<String> paths) throws IOException {
        List<Input> inputs = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<InputError> errors = new ArrayList<>();
        for (String given : paths) {
            Path path;
            try {
                path = Path.of(given);
            } catch (InvalidPathException e) {
                errors.add(new InputError(given, null, UNMAPPABLE, false));
                continue;
            }
            if (Files.isDirectory(path)) {
                inputs.addAll(walk(given, path, errors));
            } else if (Files.isRegularFile(path)) {
                inputs.add(Input.file(given, path, Loader.kindByName(given, Input.Kind.SNIFF)));
            } else if (Files.exists(path)) {
                // Reading a FIFO blocks until something writes to it, a device may never end.
                errors.add(new InputError(given, null, NOT_REGULAR, false));
            } else {
                missing.add(given);
            }
        }
        return new Expanded(inputs, missing, errors);
    }

    private static final String NOT_REGULAR = "not a regular file (a FIFO, socket or device); skipped";

    private static final String UNMAPPABLE = "the file name cannot be encoded in this locale's character set ("
            + System.getProperty("sun.jnu.encoding") + "); run under a UTF-8 locale, e.g. LC_ALL=C.UTF-8";

    private static List<Input> walk(String given, Path root, List<InputError> errors) throws IOException {
        // The files to lint, in name order, each with the kind of the reader that claimed it.
        java.util.TreeMap<Path, Input.Kind> found = new java.util.TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.equals(root) || !hiddenBelow(root, dir) ? FileVisitResult.CONTINUE
                        : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
                Input.Kind kind = hiddenBelow(root, p) ? null
                        : Loader.walked(p, attrs.isRegularFile());
                if (kind == null) {
                    return FileVisitResult.CONTINUE;
                }
                if (!mappable(p)) {
                    errors.add(new InputError(display(given, root, p), null, UNMAPPABLE, false));
                } else if (Files.isRegularFile(p)) {
                    found.put(p, kind);
                } else if (!Files.isDirectory(p)) {
                    errors.add(new InputError(display(given, root, p), null, NOT_REGULAR, false));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path p, IOException e) {
                // An unreadable subdirectory is that path's error; the rest of the tree is still walked.
                errors.add(new InputError(display(given, root, p), null, "cannot read: " + e.getMessage(), false));
                return FileVisitResult.CONTINUE;
            }
        });
        List<Input> inputs = new ArrayList<>();
        found.forEach((p, kind) -> inputs.add(Input.file(display(given, root, p), p, kind)));
        return inputs;
    }

    /** Whether the file's first line is a shell's {@code #!} line (only the first 256 bytes are read). */
    static boolean shebang(Path p) {
        byte[] head;
        try (java.io.InputStream in = Files.newInputStream(p)) {
            head = in.readNBytes(256);
        } catch (IOException e) {
            return false;
        }
        String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
        int nl = text.indexOf('\n');
        return Loader.shellShebang(nl < 0 ? text : text.substring(0, nl));
    }

    /** Whether the name survives decoding and encoding in the locale's character set. */
    private static boolean mappable(Path p) {
        try {
            return Path.of(p.toString()).equals(p);
        } catch (InvalidPathException e) {
            return false;
        }
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
}
