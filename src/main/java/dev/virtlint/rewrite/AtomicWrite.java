package dev.virtlint.rewrite;

import dev.virtlint.lint.Loader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces a file's content so that, whatever happens, the file is either wholly old or wholly new:
 * the new bytes go to a temporary file in the same directory (hidden, so a later walk skips it),
 * are forced to disk, get the old file's owner, group, mode (special bits included), extended
 * attributes and ACLs, are checked to have them all, and are renamed over it; then the directory
 * entry is forced too. A file that cannot keep all of that, has other hard links, is read-only
 * (unless forced) or is no longer what was read is not touched. Temporary files of a run that is
 * stopped (Ctrl-C, SIGTERM) are removed on the way out; those of a killed run carry its pid, and the
 * next run in that directory removes them once that process is gone.
 */
public final class AtomicWrite {

    /** The file changed since it was read; nothing was written. */
    public static final class ChangedOnDisk extends IOException {
        ChangedOnDisk(Path path) {
            super(path + " changed on disk since it was read; not overwritten");
        }
    }

    /** Writing would lose or widen something the file has, or needs the user to ask; nothing written. */
    static final class Refused extends IOException {
        Refused(String why) {
            super(why);
        }
    }

    /** What the old file has that the new one must keep, and what tells a change since it was read. */
    private static final String UNIX = "unix:mode,uid,gid,nlink,ino,dev,size,lastModifiedTime,ctime";

    /** Temporary names: short (a long file name still leaves room under NAME_MAX), the writer's pid. */
    private static final String SUFFIX = ".virtlint-tmp";
    private static final Pattern TEMP =
            Pattern.compile("\\.virtlint-([0-9]{1,10})-[0-9a-z]{1,13}\\.virtlint-tmp");
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong COUNTER = new AtomicLong(System.nanoTime() & 0xffffff);

    private static final FileAttribute<?> PRIVATE = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));

    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    private static final Object LOCK = new Object();
    private static boolean closing;
    /** cp processes running on temporary files (under LOCK). */
    private static int copying;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<Path> left;
            // No temporary file is made once the hook runs: a writer still going cannot leave one. A cp
            // that is running may create its destination again, so it is let finish first (briefly).
            synchronized (LOCK) {
                closing = true;
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
                while (copying > 0 && System.nanoTime() < deadline) {
                    try {
                        LOCK.wait(100);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                left = new ArrayList<>(PENDING);
            }
            for (Path p : left) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Nothing more can be done on the way out; the next run removes it (removeLeftovers).
                }
            }
        }, "virtlint-temp-cleanup"));
    }

    /**
     * Runs right before cp copies the extended attributes onto the temporary file, where the shutdown
     * hook may have deleted it; a test sets it to do what the hook does.
     */
    static volatile java.util.function.Consumer<Path> beforeXattrCopy = temp -> { };

    private AtomicWrite() {
    }

    /** Writes {@code after} over {@code path} if it still holds {@code before}, and forces its directory. */
    public static void replace(Path path, byte[] before, byte[] after) throws IOException {
        replace(path, before, after, true, false);
    }

    /** The same, not forcing the directory (see the five-argument form). */
    public static void replace(Path path, byte[] before, byte[] after, boolean syncDirectory)
            throws IOException {
        replace(path, before, after, syncDirectory, false);
    }

    /**
     * The same; without {@code syncDirectory} the caller forces the directory itself with
     * {@link #syncDirectory}, once for many files (the rename is atomic either way; the force makes it
     * survive a power loss). With {@code force} a read-only file is rewritten too (keeping its mode).
     */
    public static void replace(Path path, byte[] before, byte[] after, boolean syncDirectory, boolean force)
            throws IOException {
        Snapshot read = Snapshot.read(path, Math.max(before.length, Loader.DEFAULT_INPUT_LIMIT));
        if (!Arrays.equals(read.bytes(), before)) {
            throw new ChangedOnDisk(path);
        }
        replace(path, read, after, syncDirectory, force);
    }

    /**
     * A file's content and the attributes read just before it ({@link #replace(Path, Snapshot, byte[],
     * boolean, boolean)} compares them right before its rename).
     */
    record Snapshot(byte[] bytes, Map<String, Object> unix) {

        /**
         * Reads the attributes, then at most {@code limit} bytes of content (a larger file fails
         * alone): a change after the first shows in the comparison.
         */
        public static Snapshot read(Path path, long limit) throws IOException {
            Map<String, Object> unix = Files.readAttributes(path, UNIX, LinkOption.NOFOLLOW_LINKS);
            return new Snapshot(Loader.read(path, limit), unix);
        }
    }

    /** Writes {@code after} over {@code path} if it is still what {@code read} saw. */
    public static void replace(Path path, Snapshot read, byte[] after, boolean syncDirectory, boolean force)
            throws IOException {
        byte[] before = read.bytes();
        Map<String, Object> old = read.unix();
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refused("not a regular file");
        }
        int nlink = (Integer) old.get("nlink");
        if (nlink > 1) {
            // Renaming a new file over one name would leave the other names with the old content.
            throw new Refused("it has " + nlink + " hard links, which a rewrite would split (the other names would"
                    + " keep the old content); fix one copy that is not linked");
        }
        int mode = (Integer) old.get("mode") & 07777;
        if ((mode & 0200) == 0 && !force) {
            throw new Refused("it is read-only (mode " + String.format("%04o", mode) + "); --force rewrites it,"
                    + " keeping the mode");
        }
        Path dir = path.toAbsolutePath().getParent();
        String xattrs = Xattrs.of(path);
        Path temp = createTemp(dir, true);
        try {
            Map<String, Object> written;
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(after);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
                written = Files.readAttributes(temp, "unix:ino,dev", LinkOption.NOFOLLOW_LINKS);
            }
            keep(path, temp, old, mode, xattrs);
            // The temporary file must still be the one written: on SIGTERM the shutdown hook deletes it,
            // and cp (Xattrs.copy) would then create an empty file of that name, which the rename would
            // put in place of the file.
            Map<String, Object> temp2 = Files.readAttributes(temp, "unix:ino,dev,size", LinkOption.NOFOLLOW_LINKS);
            if (!written.get("ino").equals(temp2.get("ino")) || !written.get("dev").equals(temp2.get("dev"))
                    || (Long) temp2.get("size") != after.length) {
                throw new IOException("its temporary file " + temp + " was removed or replaced while it was"
                        + " written (virtlint is stopping?); not overwritten");
            }
            // Last look before the rename: an append or a chmod since the start shows in the size, the
            // times or the content. What lands between this and the rename is lost (README, Fix).
            Map<String, Object> now = Files.readAttributes(path, UNIX, LinkOption.NOFOLLOW_LINKS);
            for (String key : List.of("ino", "dev", "size", "lastModifiedTime", "ctime")) {
                if (!Objects.equals(old.get(key), now.get(key))) {
                    throw new ChangedOnDisk(path);
                }
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

    /**
     * Gives {@code temp} what {@code path} has: owner and group first (chown clears the setuid and
     * setgid bits, chown(2)), then the mode with its special bits (the unix view's "mode" is chmod(2);
     * PosixFilePermissions has no setuid, setgid or sticky bit), then extended attributes and ACLs by
     * coreutils cp, and checks that every one of them is there.
     */
    private static void keep(Path path, Path temp, Map<String, Object> old, int mode, String xattrs)
            throws IOException {
        int uid = (Integer) old.get("uid");
        int gid = (Integer) old.get("gid");
        try {
            Map<String, Object> mine = Files.readAttributes(temp, "unix:uid,gid");
            if (!mine.get("uid").equals(uid)) {
                Files.setAttribute(temp, "unix:uid", uid);
            }
            if (!mine.get("gid").equals(gid)) {
                Files.setAttribute(temp, "unix:gid", gid);
            }
        } catch (IOException | SecurityException e) {
            throw new Refused("cannot keep its owner " + uid + " and group " + gid + " (only root may give a"
                    + " file away, and only to a group of one's own): " + e.getMessage());
        }
        Files.setAttribute(temp, "unix:mode", mode);
        if (xattrs == null || !xattrs.isEmpty()) {
            copyXattrs(path, temp);
        }
        Map<String, Object> got = Files.readAttributes(temp, "unix:mode,uid,gid");
        if (((Integer) got.get("mode") & 07777) != mode) {
            throw new Refused("cannot keep its mode " + String.format("%04o", mode) + " (it would be "
                    + String.format("%04o", (Integer) got.get("mode") & 07777) + ")");
        }
        if (!got.get("uid").equals(uid) || !got.get("gid").equals(gid)) {
            throw new Refused("cannot keep its owner " + uid + " and group " + gid);
        }
        if (xattrs != null && !xattrs.isEmpty()) {
            String kept = Xattrs.of(temp);
            if (!xattrs.equals(kept)) {
                throw new Refused("cannot keep its extended attributes or ACL (" + Xattrs.names(xattrs)
                        + "; the copy has " + Xattrs.names(kept == null ? "" : kept) + ")");
            }
        }
    }

    /**
     * Copies the extended attributes by cp, which creates its destination when it is missing: never
     * started once the shutdown hook runs, and waited for by the hook before it deletes temporary files.
     */
    private static void copyXattrs(Path path, Path temp) throws IOException {
        synchronized (LOCK) {
            if (closing) {
                throw new IOException("virtlint is stopping");
            }
            copying++;
        }
        try {
            beforeXattrCopy.accept(temp);
            Xattrs.copy(path, temp);
        } finally {
            synchronized (LOCK) {
                copying--;
                LOCK.notifyAll();
            }
        }
    }

    /**
     * Writes {@code bytes} to {@code path} (new, or replaced whatever it holds) through a temporary file
     * in its directory, so that a reader sees the old file or the whole new one. A new file gets the
     * umask's mode; an existing one keeps its mode.
     */
    public static void create(Path path, byte[] bytes) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path temp = createTemp(dir, false);
        try {
            // WRITE without CREATE: once the shutdown hook has deleted it, the temporary file stays gone.
            Files.write(temp, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            if (Files.isRegularFile(path)) {
                Files.setAttribute(temp, "unix:mode", (Integer) Files.getAttribute(path, "unix:mode") & 07777);
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
            PENDING.remove(temp);
        }
    }

    private static Path createTemp(Path dir, boolean privateMode) throws IOException {
        synchronized (LOCK) {
            if (closing) {
                throw new IOException("virtlint is stopping");
            }
            while (true) {
                Path temp = dir.resolve(".virtlint-" + PID + "-" + Long.toString(COUNTER.incrementAndGet(), 36)
                        + SUFFIX);
                try {
                    if (privateMode) {
                        Files.createFile(temp, PRIVATE);
                    } else {
                        Files.createFile(temp);
                    }
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    continue;
                }
                PENDING.add(temp);
                return temp;
            }
        }
    }

    /**
     * Removes the temporary files in {@code dir} that a virtlint process which is gone left there
     * (killed with SIGKILL, or by a power loss), and says which. A file is removed only when its name is
     * exactly one virtlint makes, it is a regular file (not a link) of this user's, and no process has
     * the pid in its name; the live writer of another run, or a file of another user, is left alone.
     */
    public static List<String> removeLeftovers(Path dir) {
        List<String> removed = new ArrayList<>();
        int me;
        try {
            // /proc/self belongs to the process's effective user (proc(5)).
            me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return removed;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".virtlint-*" + SUFFIX)) {
            for (Path p : entries) {
                Matcher m = TEMP.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                if (pid == PID || ProcessHandle.of(pid).isPresent()) {
                    continue;
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !a.get("uid").equals(me)) {
                    continue;
                }
                Files.deleteIfExists(p);
                removed.add(p + ": removed a temporary file left by virtlint process " + pid
                        + ", which is no longer running");
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable directory: fixing its files reports the reason.
        }
        return removed;
    }

    /** Forces a directory's entries to disk. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some filesystems cannot sync a directory; the rename itself is still atomic.
        }
    }
}
