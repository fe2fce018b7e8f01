package dev.virtlint.rewrite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Extended attributes of a file, every namespace: user.*, security.selinux (SELinux labels) and
 * system.posix_acl_access/default (POSIX ACLs, acl(5)). Java's UserDefinedFileAttributeView sees
 * user.* only, so they are read with getfattr (Debian attr: {@code -d -m -} dumps every attribute
 * the caller may read, {@code -e hex} exactly, getfattr(1)) and copied with coreutils cp
 * ({@code --attributes-only --preserve=mode,xattr}: mode includes the ACL, coreutils manual "cp
 * invocation"; cp exits non-zero when an attribute named by --preserve cannot be kept, where cp -a
 * stays quiet: coreutils tests/cp/cp-mv-enotsup-xattr; FixCommandTest sees it refuse one). The copy
 * is then read back and compared, so whatever cp does, a difference is refused.
 * A batch reads them with one getfattr per 500 files ({@link #prefetch}), not one per file.
 */
final class Xattrs {

    private static final String GETFATTR = find("getfattr");
    private static final String CP = find("cp");

    /** A dump read by prefetch and the ctime it was read at: a later change of attributes changes ctime. */
    private record Known(String dump, Object ctime) {
    }

    private static final Map<Path, Known> KNOWN = new ConcurrentHashMap<>();

    private Xattrs() {
    }

    /**
     * The attributes of {@code file} as {@code name=0xvalue} lines in name order ("" for none), or null
     * when getfattr is not installed (the caller then copies with cp, whose exit status says whether
     * everything was kept).
     */
    static String of(Path file) throws IOException {
        if (GETFATTR == null) {
            return null;
        }
        Path key = file.toAbsolutePath().normalize();
        Known k = KNOWN.remove(key);
        if (k != null && k.ctime().equals(Files.getAttribute(key, "unix:ctime"))) {
            return k.dump();
        }
        Run r = run(List.of(GETFATTR, "--absolute-names", "-d", "-m", "-", "-e", "hex", "--", key.toString()));
        if (r.exit() != 0) {
            throw new AtomicWrite.Refused("cannot read its extended attributes (getfattr: " + r.err().strip() + ")");
        }
        return parse(r.out()).values().stream().findFirst().orElse("");
    }

    /** Reads the attributes of many files at once, for {@link #of} to take. */
    static void prefetch(Collection<Path> files) {
        if (GETFATTR == null) {
            return;
        }
        List<Path> plain = new ArrayList<>();
        for (Path f : files) {
            Path key = f.toAbsolutePath().normalize();
            // getfattr quotes other bytes in the names it prints; such files are read one at a time.
            if (key.toString().matches("[ -\\[\\]-~]+")) {
                plain.add(key);
            }
        }
        for (int i = 0; i < plain.size(); i += 500) {
            List<Path> chunk = plain.subList(i, Math.min(plain.size(), i + 500));
            Map<Path, Object> ctimes = new ConcurrentHashMap<>();
            for (Path p : chunk) {
                try {
                    ctimes.put(p, Files.getAttribute(p, "unix:ctime"));
                } catch (IOException e) {
                    // Gone or unreadable: its fix reports it.
                }
            }
            List<String> cmd = new ArrayList<>(List.of(GETFATTR, "--absolute-names", "-d", "-m", "-", "-e", "hex",
                    "--"));
            chunk.forEach(p -> cmd.add(p.toString()));
            Run r;
            try {
                r = run(cmd);
            } catch (IOException e) {
                return;
            }
            if (r.exit() != 0) {
                // Which file failed is not known; each is read on its own.
                continue;
            }
            Map<Path, String> dumps = parse(r.out());
            for (Map.Entry<Path, Object> e : ctimes.entrySet()) {
                KNOWN.put(e.getKey(), new Known(dumps.getOrDefault(e.getKey(), ""), e.getValue()));
            }
        }
    }

    /** Copies the ACL and extended attributes of {@code from} onto {@code to}; refuses when cp cannot. */
    static void copy(Path from, Path to) throws IOException {
        if (CP == null) {
            throw new AtomicWrite.Refused("cp (coreutils) is not installed: cannot keep extended attributes");
        }
        Run r = run(List.of(CP, "--attributes-only", "--preserve=mode,xattr", "--no-dereference", "--",
                from.toString(), to.toString()));
        if (r.exit() != 0) {
            throw new AtomicWrite.Refused("cannot keep its extended attributes or ACL here (cp: " + r.err().strip()
                    + ")");
        }
    }

    /** The attribute names of a dump, for a message. */
    static String names(String dump) {
        TreeSet<String> names = new TreeSet<>();
        for (String line : dump.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                names.add(line.substring(0, eq));
            }
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static Map<Path, String> parse(String out) {
        Map<Path, String> dumps = new ConcurrentHashMap<>();
        Path file = null;
        List<String> lines = new ArrayList<>();
        for (String line : (out + "\n").split("\n", -1)) {
            if (line.startsWith("# file: ")) {
                file = Path.of(line.substring("# file: ".length()));
                lines.clear();
            } else if (line.isEmpty()) {
                if (file != null) {
                    lines.sort(null);
                    dumps.put(file, String.join("\n", lines));
                }
                file = null;
                lines = new ArrayList<>();
            } else if (file != null) {
                lines.add(line);
            }
        }
        return dumps;
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] err;
        byte[] out;
        try (var o = p.getInputStream(); var e = p.getErrorStream()) {
            // getfattr writes little on stderr; read stdout first, then stderr.
            out = o.readAllBytes();
            err = e.readAllBytes();
        }
        try {
            return new Run(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String find(String tool) {
        String path = System.getenv("PATH");
        for (String d : (path == null ? "/usr/bin:/bin" : path).split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return Path.of(d, tool).toString();
            }
        }
        return null;
    }
}
