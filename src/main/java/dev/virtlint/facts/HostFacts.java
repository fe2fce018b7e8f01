package dev.virtlint.facts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What virtlint knows about the host that runs the disks: its kernel version and which filesystem
 * holds a path. Without a host profile, {@code /dev/shm} and {@code /run} are tmpfs and the kernel
 * is unknown.
 */
public final class HostFacts {

    /** A mount point and its filesystem type. */
    public record Mount(String path, String fstype) {
    }

    /** Whether O_DIRECT works on a path, and why; {@code supported} is empty when it depends on what is unknown. */
    public record DirectIo(Optional<Boolean> supported, String reason) {
    }

    private final String kernel;
    private final List<Mount> mounts;

    public HostFacts(String kernel, List<Mount> mounts) {
        this.kernel = kernel;
        List<Mount> sorted = new ArrayList<>(mounts);
        sorted.sort(Comparator.comparingInt((Mount m) -> m.path().length()).reversed());
        this.mounts = List.copyOf(sorted);
    }

    public static HostFacts defaults() {
        return new HostFacts(null, List.of(new Mount("/dev/shm", "tmpfs"), new Mount("/run", "tmpfs")));
    }

    public Optional<String> kernel() {
        return Optional.ofNullable(kernel);
    }

    /** The mount that holds a path: the longest mount point that is a prefix of it. */
    public Optional<Mount> mountOf(String path) {
        for (Mount m : mounts) {
            String p = m.path().endsWith("/") ? m.path() : m.path() + "/";
            if (path.equals(m.path()) || path.startsWith(p) || m.path().equals("/")) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Whether a host path can be opened with O_DIRECT (domain.md section 3). */
    public DirectIo directIo(String path) {
        Optional<Mount> mount = mountOf(path);
        if (mount.isEmpty()) {
            return new DirectIo(Optional.of(true), "no profile entry says otherwise");
        }
        String fs = mount.get().fstype();
        String where = path + " is on " + fs + " (" + mount.get().path() + ")";
        switch (fs) {
            case "ramfs":
                return new DirectIo(Optional.of(false), where + ", and ramfs refuses O_DIRECT on every kernel");
            case "tmpfs":
                if (kernel == null) {
                    return new DirectIo(Optional.empty(), where + "; tmpfs supports O_DIRECT only from Linux 6.6"
                            + " and the host kernel is unknown (give a host profile)");
                }
                if (GuestTable.compare(numericPrefix(kernel), "6.6") < 0) {
                    return new DirectIo(Optional.of(false), where + ", and tmpfs refuses O_DIRECT before Linux 6.6"
                            + " (host kernel " + kernel + ")");
                }
                return new DirectIo(Optional.of(true), where + ", which supports O_DIRECT since Linux 6.6");
            default:
                return new DirectIo(Optional.of(true), where);
        }
    }

    private static String numericPrefix(String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[0-9]+(\\.[0-9]+)*").matcher(version);
        return m.find() ? m.group() : "0";
    }
}
