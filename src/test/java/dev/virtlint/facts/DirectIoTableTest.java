package dev.virtlint.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.facts.HostFacts.Effect;
import dev.virtlint.parse.Yaml;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What O_DIRECT does on each filesystem case, written from the sources HostFacts cites (kernel
 * commits, OpenZFS's zfsprops(7) and zfs(4), QEMU's 9p and virtiofsd), not from the code's
 * output: each row is a host profile, a path, the effects and whether the answer rests on an
 * assumption.
 */
class DirectIoTableTest {

    private static final String IMG = "/vm/a.raw";

    static Stream<Arguments> cases() {
        return Stream.of(
                // btrfs datacow: a hazard before 6.15 (968f19c5b1b7), buffered from 6.15.
                row("kernel: \"6.14.9\"\nmounts: [{path: /vm, fstype: btrfs}]", false, true,
                        Effect.HAZARD),
                // 6.12.y had a backport of 968f19c5b1b7 posted (May 2025; merged unconfirmed),
                // and a distribution kernel may carry it: both outcomes, and said.
                row("kernel: \"6.12.30\"\nmounts: [{path: /vm, fstype: btrfs, nocow: false}]",
                        false, true, Effect.HAZARD, Effect.BUFFERED),
                row("kernel: \"6.12.0-55.el10\"\nmounts: [{path: /vm, fstype: btrfs, nocow:"
                        + " false}]", false, true, Effect.HAZARD, Effect.BUFFERED),
                row("kernel: \"6.13.4\"\nmounts: [{path: /vm, fstype: btrfs, nocow: false}]",
                        false, false, Effect.HAZARD),
                row("kernel: \"6.15.0\"\nmounts: [{path: /vm, fstype: btrfs}]", false, true,
                        Effect.BUFFERED),
                row("mounts: [{path: /vm, fstype: btrfs}]", false, true, Effect.HAZARD,
                        Effect.BUFFERED),
                // nocow: real direct I/O on single/raid0; copies diverge before 7.0 (7c2830f00c3e).
                row("kernel: \"6.1.0\"\nstorage: [{path: /vm/a.raw, nocow: true, btrfs-data:"
                        + " single}]\nmounts: [{path: /, fstype: btrfs}]",
                        false, false, Effect.DIRECT),
                // A directory's nocow is inherited only by files created in it afterwards
                // (btrfs_inherit_iflags; btrfs(5): set only on empty files): assumed.
                row("kernel: \"6.1.0\"\nstorage: [{path: /vm, nocow: true, btrfs-data: single}]"
                        + "\nmounts: [{path: /, fstype: btrfs}]",
                        false, true, Effect.DIRECT, Effect.HAZARD),
                // An unstated data profile may keep copies: assumed, not direct.
                row("kernel: \"6.1.0\"\nstorage: [{path: /vm, nocow: true}]\nmounts: [{path: /,"
                        + " fstype: btrfs}]",
                        false, true, Effect.DIRECT, Effect.HAZARD),
                // nodatacow applies only to files created under it (btrfs.txt): assumed.
                row("kernel: \"6.8.0\"\nmounts: [{path: /vm, fstype: btrfs, options:"
                        + " \"rw,nodatacow\"}]",
                        false, true, Effect.DIRECT, Effect.HAZARD),
                row("kernel: \"6.8.0\"\nmounts: [{path: /vm, fstype: btrfs}]\nstorage: [{path:"
                        + " /vm/a.raw, nocow: true, btrfs-data: raid1}]",
                        false, false, Effect.HAZARD),
                // 7c2830f00c3e had an AUTOSEL for 6.12 to 6.19: both outcomes there.
                row("kernel: \"6.18.2\"\nmounts: [{path: /vm, fstype: btrfs, nocow: true,"
                        + " btrfs-data: raid1}]",
                        false, true, Effect.HAZARD, Effect.BUFFERED),
                row("kernel: \"7.0.1\"\nmounts: [{path: /vm, fstype: btrfs}]\nstorage: [{path:"
                        + " /vm/a.raw, nocow: true, btrfs-data: dup}]",
                        false, false, Effect.BUFFERED),
                // OpenZFS: EINVAL up to 0.7, through the ARC 0.8-2.2, per `direct` from 2.3.
                row("openzfs: \"0.7.13\"\nmounts: [{path: /vm, fstype: zfs}]", true, false,
                        Effect.REFUSED),
                row("openzfs: \"0.8.0\"\nmounts: [{path: /vm, fstype: zfs}]", false, false,
                        Effect.BUFFERED),
                row("openzfs: \"2.2.7\"\nmounts: [{path: /vm, fstype: zfs}]", false, false,
                        Effect.BUFFERED),
                // 2.3 verifies direct writes (zfs(4) zfs_vdev_direct_write_verify=1 on Linux):
                // a buffer changed in flight gives EIO, so direct is not known to be safe.
                row("openzfs: \"2.3.0\"\nmounts: [{path: /vm, fstype: zfs}]", false, false,
                        Effect.DIRECT, Effect.HAZARD),
                row("mounts: [{path: /vm, fstype: zfs, zfs-direct: disabled}]", false, false,
                        Effect.BUFFERED),
                row("mounts: [{path: /vm, fstype: zfs}]", false, false, Effect.REFUSED,
                        Effect.BUFFERED,
                        Effect.DIRECT),
                // FUSE before 3.4 refuses (4273b793ec68); a subtype is still FUSE.
                row("kernel: \"3.2.0\"\nmounts: [{path: /vm, fstype: fuse.sshfs}]", true, false,
                        Effect.REFUSED),
                row("kernel: \"3.4.0\"\nmounts: [{path: /vm, fstype: fuse}]", false, false,
                        Effect.DIRECT),
                // A distribution kernel older than 3.4 may carry the backport.
                row("kernel: \"2.6.32-754.el6\"\nmounts: [{path: /vm, fstype: fuse}]", false, true,
                        Effect.DIRECT, Effect.REFUSED),
                row("kernel: \"5.15.0-105-generic\"\nmounts: [{path: /vm, fstype: tmpfs}]", false,
                        true, Effect.BUFFERED, Effect.REFUSED),
                // tmpfs from 6.6 opens O_DIRECT, but its files live in the kernel's caches
                // (Documentation/filesystems/tmpfs.rst): nothing to bypass.
                row("kernel: \"6.8.0\"\nmounts: [{path: /vm, fstype: tmpfs}]", false, false,
                        Effect.BUFFERED),
                row("kernel: \"5.15.0\"\nmounts: [{path: /vm, fstype: tmpfs}]", true, false,
                        Effect.REFUSED),
                // virtiofs: the guest's FUSE client honours O_DIRECT (fuse_direct_IO). 9p: its
                // cache= option decides (v9fs_file_open): none, the default, caches nothing.
                row("mounts: [{path: /vm, fstype: virtiofs}]", false, false, Effect.DIRECT),
                row("mounts: [{path: /vm, fstype: 9p}]", false, false, Effect.DIRECT,
                        Effect.BUFFERED),
                row("mounts: [{path: /vm, fstype: 9p, options: \"rw,trans=virtio\"}]", false,
                        false, Effect.BUFFERED),
                row("mounts: [{path: /vm, fstype: 9p, options: \"rw,cache=loose\"}]", false,
                        false, Effect.DIRECT),
                // overlayfs: as its upper filesystem, when a mount holds it.
                row("kernel: \"6.1.0\"\nmounts: [{path: /, fstype: overlay, options:"
                        + " \"upperdir=/up/d\"},"
                        + " {path: /up, fstype: tmpfs}]", true, false, Effect.REFUSED),
                row("mounts: [{path: /, fstype: overlay, options: \"upperdir=/up/d\"}, {path: /up,"
                        + " fstype: xfs}]",
                        false, false, Effect.DIRECT),
                row("mounts: [{path: /, fstype: overlay, options:"
                        + " \"upperdir=/var/lib/docker/o/diff\"}]",
                        false, false, Effect.DIRECT, Effect.REFUSED),
                // NFS and ext4 take O_DIRECT; flush honesty is a separate question.
                row("mounts: [{path: /vm, fstype: nfs4, export: \"rw,async\"}]", false, false,
                        Effect.DIRECT),
                row("mounts: [{path: /vm, fstype: ext4, options: \"rw,nobarrier\"}]", false, false,
                        Effect.DIRECT));
    }

    private static Arguments row(String yaml, boolean refused, boolean assumed, Effect... effects) {
        return Arguments.of(yaml, refused, assumed, Set.of(effects));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void effectsFollowTheSources(String yaml, boolean refused, boolean assumed, Set<Effect> effects)
            throws Exception {
        HostFacts host = HostProfile.from(Yaml.parse(yaml + "\n", "h.yaml"), "h.yaml");
        HostFacts.DirectIo d = host.directIo(IMG);
        assertThat(d.effects()).as(d.reason()).isEqualTo(effects);
        assertThat(d.supported().isPresent() && !d.supported().get()).isEqualTo(refused);
        assertThat(d.assumption() != null).as(d.reason()).isEqualTo(assumed);
    }

    static Stream<Arguments> flushes() {
        return Stream.of(
                // Open up to zfs_txg_timeout (5 s), then quiesced and synced: two intervals.
                Arguments.of("mounts: [{path: /vm, fstype: zfs, zfs-sync: disabled}]", false, 10.0),
                // RAM only (noop_fsync): never stable; a built-in, assumed /dev/shm is not used.
                Arguments.of("mounts: [{path: /vm, fstype: tmpfs}]", false,
                        Double.POSITIVE_INFINITY),
                Arguments.of("mounts: [{path: /vm, fstype: ramfs}]", false,
                        Double.POSITIVE_INFINITY),
                // XFS nobarrier disabled flushes before 4.10 (4cf4573d899c made it a no-op).
                Arguments.of("kernel: \"4.9.0\"\nmounts: [{path: /vm, fstype: xfs, options:"
                        + " \"rw,nobarrier\"}]", false, 0.0),
                Arguments.of("kernel: \"4.14.0\"\nmounts: [{path: /vm, fstype: xfs, options:"
                        + " \"rw,nobarrier\"}]", null, 0.0),
                // The overlay's upper layer is where the data goes: its flushes count.
                Arguments.of("mounts: [{path: /, fstype: overlay, options: \"upperdir=/up/d\"},"
                        + " {path: /up, fstype: zfs, zfs-sync: disabled}]", false, 10.0),
                Arguments.of("mounts: [{path: /vm, fstype: zfs, zfs-sync: standard}]", null, 0.0),
                Arguments.of("mounts: [{path: /vm, fstype: nfs, export: \"rw,async\"}]", false,
                        35.0),
                Arguments.of("mounts: [{path: /vm, fstype: nfs, export: \"rw,sync\"}]", null, 0.0),
                Arguments.of("mounts: [{path: /vm, fstype: ext4, options: \"rw,barrier=0\"}]",
                        false, 0.0),
                Arguments.of("mounts: [{path: /vm, fstype: xfs, flushes: \"no\"}]", false, 0.0),
                Arguments.of("mounts: [{path: /vm, fstype: nfs, export: async, flushes: yes}]",
                        true, 0.0),
                Arguments.of("mounts: [{path: /vm, fstype: xfs}]", null, 0.0));
    }

    @ParameterizedTest
    @MethodSource("flushes")
    void flushHonestyFollowsTheProfile(String yaml, Boolean honoured,
            double commit) throws Exception {
        HostFacts host = HostProfile.from(Yaml.parse(yaml + "\n", "h.yaml"), "h.yaml");
        HostFacts.FlushHonesty f = host.directIo(IMG).flushes();
        assertThat(f.honoured().orElse(null)).isEqualTo(honoured);
        assertThat(f.commitSeconds()).isEqualTo(commit);
    }
}
