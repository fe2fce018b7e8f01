package dev.virtlint.lint;

import dev.virtlint.parse.Yaml.YamlException;
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
 * ({@code *.xml}, {@code *.args} and shell launch scripts), leaving out what an {@link Exclusion}
 * excludes (by default hidden files and directories such as {@code .git}) before anything of it
 * is opened; symbolic links to directories are not followed.
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

    /**
     * Which paths are left out unread: those of a walk below a directory given ({@code named}
     * false), and the paths given themselves ({@code named} true). {@code cli} asks each path's
     * configuration ({@code exclude:}, {@code extend-exclude:}, {@code force-exclude:}); an error
     * in that configuration stops the expansion.
     */
    @FunctionalInterface
    public interface Exclusion {
        boolean excluded(Path path, boolean directory, boolean named) throws YamlException;

        /**
         * Hidden entries of a walk, and nothing given by name: what a configuration without
         * {@code exclude:} leaves out (Config.DEFAULT_EXCLUDE).
         */
        Exclusion HIDDEN = (path, directory, named) -> !named && path.getFileName() != null
                && path.getFileName().toString().startsWith(".");
    }

    /** {@link #expand(List, Exclusion)} leaving out hidden entries of walks only. */
    public static Expanded expand(List<String> paths) throws IOException {
        try {
            return expand(paths, Exclusion.HIDDEN);
        } catch (YamlException e) {
            throw new IllegalStateException("Exclusion.HIDDEN reads no configuration", e);
        }
    }

    public static Expanded expand(List<String> paths, Exclusion exclusion)
            throws IOException, YamlException {
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
            boolean directory = Files.isDirectory(path);
            if ((directory || Files.isRegularFile(path))
                    && exclusion.excluded(path, directory, true)) {
                continue;
            }
            if (directory) {
                inputs.addAll(walk(given, path, errors, exclusion));
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

    /** A configuration error met in a walk, carried out of the visitor, which throws only IOException. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(YamlException cause) {
            super(cause);
        }
    }

    private static List<Input> walk(String given, Path root, List<InputError> errors,
                                    Exclusion exclusion) throws IOException, YamlException {
        // The files to lint, in name order, each with the kind of the reader that claimed it.
        java.util.TreeMap<Path, Input.Kind> found = new java.util.TreeMap<>();
        try {
            walkTree(given, root, errors, exclusion, found);
        } catch (Stopped e) {
            throw (YamlException) e.getCause();
        }
        List<Input> inputs = new ArrayList<>();
        found.forEach((p, kind) -> inputs.add(Input.file(display(given, root, p), p, kind)));
        return inputs;
    }

    private static void walkTree(String given, Path root, List<InputError> errors,
                                 Exclusion exclusion, java.util.Map<Path, Input.Kind> found)
            throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                // An excluded directory is not listed at all: nothing under it is read.
                return dir.equals(root) || !excluded(dir, true) ? FileVisitResult.CONTINUE
                        : FileVisitResult.SKIP_SUBTREE;
            }

            private boolean excluded(Path p, boolean directory) {
                try {
                    return exclusion.excluded(p, directory, false);
                } catch (YamlException e) {
                    throw new Stopped(e);
                }
            }

            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
                // Excluded before Loader.walked, which opens a script to read its first line.
                Input.Kind kind = excluded(p, attrs.isDirectory()) ? null
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
                // An excluded one is not an error: it was never to be read.
                if (!excluded(p, true)) {
                    errors.add(new InputError(display(given, root, p), null, "cannot read: "
                            + e.getMessage(), false));
                }
                return FileVisitResult.CONTINUE;
            }
        });
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

    private static String display(String given, Path root, Path p) {
        String rel = root.relativize(p).toString();
        if (given.endsWith("/")) {
            return given + rel;
        }
        return given + "/" + rel;
    }
}
