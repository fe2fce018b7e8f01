package dev.virtlint.rewrite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces a file's content so that, whatever happens, the file is either wholly old or wholly new:
 * the new bytes go to a temporary file in the same directory (hidden, so a later walk skips it),
 * are forced to disk, get the old file's permissions, owner and group, and are renamed over it;
 * then the directory entry is forced too. A file whose content is no longer what was read is not
 * touched. Temporary files of a run that is stopped (Ctrl-C, SIGTERM) are removed on the way out.
 */
public final class AtomicWrite {

    /** The file changed since it was read; nothing was written. */
    public static final class ChangedOnDisk extends IOException {
        ChangedOnDisk(Path path) {
            super(path + " changed on disk since it was read; not overwritten");
        }
    }

    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PENDING.forEach(p -> {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // Nothing more can be done on the way out; the name starts with a dot.
            }
        }), "virtlint-temp-cleanup"));
    }

    private AtomicWrite() {
    }

    /** Writes {@code after} over {@code path} if it still holds {@code before}, and forces its directory. */
    public static void replace(Path path, byte[] before, byte[] after) throws IOException {
        replace(path, before, after, true);
    }

    /**
     * The same; without {@code syncDirectory} the caller forces the directory itself with
     * {@link #syncDirectory}, once for many files (the rename is atomic either way; the force makes it
     * survive a power loss).
     */
    public static void replace(Path path, byte[] before, byte[] after, boolean syncDirectory) throws IOException {
        if (!Arrays.equals(Files.readAllBytes(path), before)) {
            throw new ChangedOnDisk(path);
        }
        Path dir = path.toAbsolutePath().getParent();
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
        Path temp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".virtlint-tmp");
        PENDING.add(temp);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(after);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
            view.setPermissions(attributes.permissions());
            try {
                view.setGroup(attributes.group());
                view.setOwner(attributes.owner());
            } catch (IOException | SecurityException notOwner) {
                // Only root may give a file away; the file then belongs to whoever fixes it.
            }
            if (!Arrays.equals(Files.readAllBytes(path), before)) {
                throw new ChangedOnDisk(path);
            }
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename atomically in " + dir + ": " + e.getMessage(), e);
            }
            if (syncDirectory) {
                syncDirectory(dir);
            }
        } finally {
            Files.deleteIfExists(temp);
            PENDING.remove(temp);
        }
    }

    /** Forces a directory's entries to disk. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some filesystems cannot sync a directory; the rename itself is still atomic.
        }
    }
}
