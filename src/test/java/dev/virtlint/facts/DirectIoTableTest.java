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
 * What O_DIRECT does on each filesystem case, written from the sources the research
 * (/work/research/i18-filesystems.md) cites, not from the code's output: each row is a host
 * profile, a path, the effects and whether the answer rests on an assumption.
 */
class DirectIoTableTest {

    private static final String IMG = "/vm/a.raw";

    static Stream<Arguments> cases() {
        return Stream.of(
                // btrfs datacow: a hazard before 6.15 (968f19c5b1b7), buffered from 6.15.
                row("kernel: \"6.14.9\"\nmounts: [{path: /vm, fstype: btrfs}]", false, true,
                        Effect.HAZARD),
                row("kernel: \"6.12.30\"\nmounts: [{path: /vm, fstype: btrfs, nocow: false}]",
                        false, false,
                        Effect.HAZARD),
                row("kernel: \"6.15.0\"\nmounts: [{path: /vm, fstype: btrfs}]", false, true,
                        Effect.BUFFERED),
                row("mounts: [{path: /vm, fstype: btrfs}]", false, true, Effect.HAZARD,
                        Effect.BUFFERED),
                // nocow: real direct I/O on single/raid0; copies diverge before 7.0 (7c2830f00c3e).
                row("kernel: \"6.1.0\"\nstorage: [{path: /vm, nocow: true}]\nmounts: [{path: /,"
                        + " fstype: btrfs}]",
                        false, false, Effect.DIRECT),
                row("kernel: \"6.8.0\"\nmounts: [{path: /vm, fstype: btrfs, options:"
                        + " \"rw,nodatacow\"}]",
                        false, false, Effect.DIRECT),
                row("kernel: \"6.8.0\"\nmounts: [{path: /vm, fstype: btrfs, nocow: true,"
                        + " btrfs-data: raid1}]",
                        false, false, Effect.HAZARD),
                row("kernel: \"7.0.1\"\nmounts: [{path: /vm, fstype: btrfs, nocow: true,"
                        + " btrfs-data: dup}]",
                        false, false, Effect.BUFFERED),
                // OpenZFS: EINVAL up to 0.7, through the ARC 0.8-2.2, per `direct` from 2.3.
                row("openzfs: \"0.7.13\"\nmounts: [{path: /vm, fstype: zfs}]", true, false,
                        Effect.REFUSED),
                row("openzfs: \"0.8.0\"\nmounts: [{path: /vm, fstype: zfs}]", false, false,
                        Effect.BUFFERED),
                row("openzfs: \"2.2.7\"\nmounts: [{path: /vm, fstype: zfs}]", false, false,
                        Effect.BUFFERED),
                row("openzfs: \"2.3.0\"\nmounts: [{path: /vm, fstype: zfs}]", false, false,
                        Effect.DIRECT),
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
                // 9p and virtiofs: the server strips O_DIRECT.
                row("mounts: [{path: /vm, fstype: 9p}]", false, false, Effect.BUFFERED),
                row("mounts: [{path: /vm, fstype: virtiofs}]", false, false, Effect.BUFFERED),
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
                Arguments.of("mounts: [{path: /vm, fstype: zfs, zfs-sync: disabled}]", false, 5.0),
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
