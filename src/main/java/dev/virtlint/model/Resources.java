package dev.virtlint.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads files shipped with virtlint (the guest table, rule pages) straight from the
 * jar or class directory virtlint's classes come from. {@link Class#getResourceAsStream} asks the
 * JDK's class loaders first, which opens the JDK's module image and builds a {@code jar:} URL
 * connection: several milliseconds of a one-file lint for files that can only be in our jar. What
 * is not found there is looked up the usual way.
 */
public final class Resources {

    private static final Object NONE = new Object();
    /** A {@link ZipFile} for a jar, a {@link Path} for a class directory, or {@link #NONE}. */
    private static volatile Object origin;

    private Resources() {
    }

    /**
     * Opens a resource by absolute name ({@code /dev/virtlint/...}) or by a name relative to the
     * anchor's package, like {@link Class#getResourceAsStream}; null when there is none.
     */
    public static InputStream open(Class<?> anchor, String name) throws IOException {
        String path = name.startsWith("/") ? name.substring(1)
                : anchor.getPackageName().replace('.', '/') + "/" + name;
        InputStream in = openIn(origin(), path);
        return in != null ? in : anchor.getResourceAsStream(name);
    }

    /** A file of a jar ({@link ZipFile}) or a class directory ({@link Path}) by its path inside, or null. */
    static InputStream openIn(Object where, String path) throws IOException {
        if (where instanceof ZipFile jar) {
            ZipEntry entry = jar.getEntry(path);
            return entry == null ? null : jar.getInputStream(entry);
        }
        if (where instanceof Path dir) {
            Path file = dir.resolve(path);
            return Files.isRegularFile(file) ? Files.newInputStream(file) : null;
        }
        return null;
    }

    private static Object origin() {
        Object o = origin;
        if (o == null) {
            o = locate();
            origin = o;
        }
        return o;
    }

    /** The jar is opened once and stays open (the class loader holds it open too; the JDK shares the two). */
    private static synchronized Object locate() {
        if (origin != null) {
            return origin;
        }
        try {
            CodeSource source = Resources.class.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location == null || !location.getProtocol().equals("file")) {
                return NONE;
            }
            return originAt(Path.of(location.toURI()));
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return NONE;
        }
    }

    /** A class directory as it is, a jar opened, anything else {@link #NONE}. */
    static Object originAt(Path path) {
        if (Files.isDirectory(path)) {
            return path;
        }
        try {
            return Files.isRegularFile(path) ? new ZipFile(path.toFile()) : NONE;
        } catch (IOException e) {
            return NONE;
        }
    }
}
