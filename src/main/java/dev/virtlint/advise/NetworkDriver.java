package dev.virtlint.advise;

import dev.virtlint.model.Disk;
import dev.virtlint.model.SourceKind;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What QEMU's cache switches do on a network disk, per block driver. None of these drivers reads
 * or writes through the host page cache: QEMU talks to the server itself (librbd, libiscsi,
 * libgfapi, libnfs, libcurl, libssh or its own NBD client), so there is no second copy in host RAM
 * and nothing for O_DIRECT to bypass. What the three switches change instead:
 * <ul>
 *   <li>{@code cache.writeback} (all drivers): off means QEMU's block layer marks every guest
 *       write FUA (QEMU block/block-backend.c {@code blk_co_do_pwritev_part}); a driver without FUA
 *       gets a flush after the write (block/io.c {@code bdrv_driver_pwritev}).</li>
 *   <li>{@code cache.no-flush} (all drivers): the guest's flush stops in QEMU and never reaches
 *       the driver (block/io.c {@code bdrv_co_flush}, "don't actually force it to the disk").</li>
 *   <li>{@code cache.direct}: only what {@link #direct()} says for each driver.</li>
 * </ul>
 */
public enum NetworkDriver {

    /**
     * Ceph through librbd. QEMU block/rbd.c {@code qemu_rbd_open} passes
     * {@code !(flags & BDRV_O_NOCACHE)} to {@code qemu_rbd_connect}, which sets librbd's
     * {@code rbd_cache} to true or false after reading ceph.conf, so QEMU's mode wins (Ceph
     * doc/rbd/qemu-rbd.rst, "QEMU Cache Options": writeback is rbd_cache=true, none is
     * rbd_cache=false). Flushes become {@code rbd_aio_flush}.
     */
    RBD(Set.of("rbd"), true,
            "turns librbd's cache off (QEMU sets rbd_cache=false when cache.direct is on)",
            "librbd writes its cache back to the OSDs (rbd_aio_flush)"),
    /**
     * libiscsi. cache.direct only stops QEMU caching the LUN's allocation map: with it on, block
     * status is looked up again on every read (block/iscsi.c {@code iscsi_allocmap_init}). Flushes
     * become SYNCHRONIZE CACHE(10) ({@code iscsi_co_flush}).
     */
    ISCSI(Set.of("iscsi", "iser"), true,
            "only stops QEMU caching the LUN's allocation map (block/iscsi.c iscsi_allocmap_init)",
            "QEMU sends SYNCHRONIZE CACHE to the target"),
    /**
     * QEMU's NBD client. Nothing reads cache.direct (block/nbd.c); a flush is sent as
     * NBD_CMD_FLUSH only when the server advertises NBD_FLAG_SEND_FLUSH, else it completes at once
     * ({@code nbd_client_co_flush}).
     */
    NBD(Set.of("nbd"), true,
            "changes nothing (block/nbd.c does not read it)",
            "QEMU sends NBD_CMD_FLUSH if the server offers it, else nothing"),
    /**
     * libgfapi. cache.direct opens the image with O_DIRECT through {@code glfs_open}
     * (block/gluster.c {@code qemu_gluster_parse_flags}); Gluster's client-side write-behind
     * translator honours it only with the volume option performance.strict-o-direct (off by
     * default). The host page cache is not involved either way. Flushes become
     * {@code glfs_fsync}.
     */
    GLUSTER(Set.of("gluster"), true,
            "passes O_DIRECT to libgfapi's glfs_open (block/gluster.c qemu_gluster_parse_flags),"
                    + " not to the host kernel",
            "QEMU calls glfs_fsync on the volume"),
    /**
     * libnfs, in user space (not the kernel NFS client). cache.direct only forbids libnfs'
     * readahead and page cache options (block/nfs.c {@code nfs_client_open}: "Cannot enable NFS
     * pagecache if cache.direct = on"). Flushes become {@code nfs_fsync}.
     */
    NFS(Set.of("nfs"), true,
            "only forbids libnfs' readahead-size and page-cache-size (block/nfs.c nfs_client_open)",
            "QEMU sends an NFS COMMIT (nfs_fsync)"),
    /**
     * libssh's SFTP. Nothing reads cache.direct; a flush is an fsync@openssh.com request when the
     * server has that extension, else QEMU warns "ssh server ... does not support fsync" and the
     * flush does nothing (block/ssh.c {@code ssh_flush}).
     */
    SSH(Set.of("ssh"), true,
            "changes nothing (block/ssh.c does not read it)",
            "QEMU sends fsync@openssh.com if the server supports it, else nothing"),
    /**
     * libcurl: read-only. {@code curl_open} calls {@code bdrv_apply_auto_read_only} with "curl
     * driver does not support writes" (block/curl.c), and the driver has no write or flush, so
     * nothing here is ever written and cache advice does not apply. (libvirt passes
     * {@code "read-only":false} for a curl disk without {@code <readonly/>}, which QEMU then
     * refuses to open; virtlint does not report that yet. Where libvirt serves the URL through
     * nbdkit instead, QEMU sees an NBD export (libvirt's tests disk-network-http-nbdkit); the
     * domain XML does not say which, so no advice is given either way.)
     */
    CURL(Set.of("http", "https", "ftp", "ftps", "tftp"), false,
            "changes nothing (block/curl.c is read-only)", "nothing is written"),
    /** A protocol QEMU no longer has or virtlint does not know (sheepdog, vxhs, ...). */
    OTHER(Set.of(), true, "has no host page cache to bypass", "the flush goes to the driver");

    private final Set<String> protocols;
    private final boolean writable;
    private final String direct;
    private final String flush;

    NetworkDriver(Set<String> protocols, boolean writable, String direct, String flush) {
        this.protocols = protocols;
        this.writable = writable;
        this.direct = direct;
        this.flush = flush;
    }

    /** The driver of a network disk; empty for any other kind of source. */
    public static Optional<NetworkDriver> of(Disk disk) {
        if (disk.sourceKind() != SourceKind.NETWORK) {
            return Optional.empty();
        }
        String protocol = disk.protocol().orElse("").toLowerCase(Locale.ROOT);
        for (NetworkDriver d : values()) {
            if (d.protocols.contains(protocol)) {
                return Optional.of(d);
            }
        }
        return Optional.of(OTHER);
    }

    /** Whether the disk is an rbd disk read through librbd. */
    public static boolean isRbd(Disk disk) {
        return of(disk).filter(d -> d == RBD).isPresent();
    }

    /** Whether QEMU can write through this driver at all. */
    public boolean writable() {
        return writable;
    }

    /** What {@code cache.direct=on} (cache none, directsync) does with this driver. */
    public String direct() {
        return direct;
    }

    /** What a guest flush becomes with this driver (unless cache.no-flush stops it in QEMU). */
    public String flush() {
        return flush;
    }

    /**
     * The data cache the driver keeps in each QEMU process while cache.direct is off, or empty
     * when it keeps none (then guests sharing the disk cannot see different data through QEMU).
     * rbd: librbd's cache is per client, with no coherency between clients (Ceph
     * doc/rbd/rbd-config-ref.rst). gluster: libgfapi loads Gluster's client-side translators,
     * write-behind among them (QEMU block/gluster.c {@code qemu_gluster_open} sets its
     * resync-failed-syncs-after-fsync option). iSCSI, NBD, NFS (without libnfs' page-cache-size,
     * which libvirt does not set) and ssh keep no data in QEMU.
     */
    public Optional<String> clientCache() {
        return switch (this) {
            case RBD -> Optional.of("librbd's per-client cache");
            case GLUSTER ->
                    Optional.of("libgfapi's per-client caches (Gluster's write-behind translator)");
            default -> Optional.empty();
        };
    }

    /** The protocol name for messages: {@code rbd}, {@code iscsi}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
