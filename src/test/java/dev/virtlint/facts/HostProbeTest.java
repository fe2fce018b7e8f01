package dev.virtlint.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProbeTest {

    @TempDir
    Path root;

    @Test
    void mountPathsWithEscapedSpacesReadBack() {
        assertThat(HostProbe.unescape("/srv/vm\\040images")).isEqualTo("/srv/vm images");
        assertThat(HostProbe.unescape("/srv/a\\011b\\134c")).isEqualTo("/srv/a\tb\\c");
        assertThat(HostProbe.unescape("/plain")).isEqualTo("/plain");
    }

    private void write(String path, String text) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    /** A fake /proc and /sys: what a probe reads of them is what the profile states. */
    @Test
    void mountinfoGivesTypesSubtypesOptionsAndTheDeviceWriteCache() throws Exception {
        write("proc/self/mountinfo", String.join("\n",
                "22 1 0:21 / /proc rw,relatime - proc proc rw",
                "29 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro",
                "30 29 0:45 / /srv/vm\\040images rw,noatime - btrfs /dev/sda1 rw,ssd,nodatacow",
                "31 29 0:46 / /mnt/sshfs rw,nosuid - fuse.sshfs me@nas:/vm rw,user_id=0",
                "32 29 0:47 / /tank/vm rw - zfs tank/vm rw,xattr",
                "33 29 259:2 / /srv/old rw - ext4 /dev/nvme0n1p2 rw,nobarrier",
                "34 29 259:2 / /srv/old rw - xfs /dev/nvme0n1p2 rw",
                ""));
        // A partition (259:2) has no queue of its own: the disk's is one directory up.
        write("sys/dev/block/259:0/queue/write_cache", "write through\n");
        Files.createDirectories(root.resolve("sys/dev/block/259:0/259:2"));
        Files.createSymbolicLink(root.resolve("sys/dev/block/259:2"),
                root.resolve("sys/dev/block/259:0/259:2"));
        write("sys/module/zfs/version", "2.2.2-0ubuntu9\n");
        write("proc/sys/kernel/osrelease", "6.8.0-45-generic\n");
        HostProbe probe = new HostProbe(new PrintWriter(new StringWriter()), root);

        List<HostProbe.MountLine> lines = probe.mountinfo();
        assertThat(lines).extracting(l -> l.mount().path())
                .containsExactly("/", "/srv/vm images", "/mnt/sshfs", "/tank/vm", "/srv/old");
        assertThat(lines.get(1).mount().fstype()).isEqualTo("btrfs");
        assertThat(lines.get(1).mount().options()).isEqualTo("rw,noatime,ssd,nodatacow");
        assertThat(lines.get(2).mount().fstype()).isEqualTo("fuse.sshfs");
        assertThat(lines.get(3).source()).isEqualTo("tank/vm");
        // The later mount on a path hides the earlier one.
        assertThat(lines.get(4).mount().fstype()).isEqualTo("xfs");
        assertThat(probe.writeCache("259:2")).contains("write through");
        assertThat(probe.writeCache("0:45")).isEmpty();

        ProbedHost host = probe.read(List.of(), List.of());
        assertThat(host.openzfs()).isEqualTo("2.2.2-0ubuntu9");
        assertThat(host.kernel()).isEqualTo("6.8.0-45-generic");
        HostFacts read = HostProfile.from(dev.virtlint.parse.Yaml.parse(HostProfile.write(host),
                "h"), "h");
        // nodatacow on the mount makes only files created under it nocow (btrfs.txt): whether
        // this image is one is assumed, so O_DIRECT is not recommended on it.
        HostFacts.DirectIo nodatacow = read.directIo("/srv/vm images/a.raw");
        assertThat(nodatacow.gains()).isFalse();
        assertThat(nodatacow.assumption()).contains("nodatacow");
        assertThat(nodatacow.effects()).contains(HostFacts.Effect.DIRECT);
        assertThat(read.directIo("/tank/vm/a.raw").buffered()).isTrue();
    }

    @Test
    void lsattrsFlagsSayNocow() {
        assertThat(HostProbe.nocow("---------------C------ /srv/vm\n")).contains(true);
        assertThat(HostProbe.nocow("--------------e------- /srv/vm\n")).contains(false);
        assertThat(HostProbe.nocow("lsattr: Operation not supported While reading flags on /x\n"))
                .isEmpty();
    }

    @Test
    void qemuImgInfoSaysSparseOrPreallocated() {
        assertThat(HostProbe.allocation("{\"virtual-size\": 10737418240, \"filename\": \"a.qcow2\","
                + " \"format\": \"qcow2\", \"actual-size\": 200704}")).contains("sparse");
        assertThat(HostProbe.allocation("{\"virtual-size\": 1073741824, \"actual-size\":"
                + " 1074135040}"))
                .contains("preallocated");
        assertThat(HostProbe.allocation("{\"virtual-size\": 1073741824}")).isEmpty();
        // An overlay holds only what differs from its backing file: it always reads sparse, so
        // its allocation is unknown (qemu-img info names the backing file).
        assertThat(HostProbe.allocation("{\"virtual-size\": 10737418240, \"format\": \"qcow2\","
                + " \"actual-size\": 200704, \"backing-filename\": \"base.qcow2\"}")).isEmpty();
    }

    @Test
    void qemuImgInfoGivesTheVirtualSize() {
        assertThat(HostProbe.virtualSize("{\"virtual-size\": 1474560, \"format\": \"raw\","
                + " \"actual-size\": 1474560}")).contains(1_474_560L);
        // An overlay's size is its own, whatever its backing file holds.
        assertThat(HostProbe.virtualSize("{\"virtual-size\": 10737418240, \"backing-filename\":"
                + " \"base.qcow2\"}")).contains(10_737_418_240L);
        assertThat(HostProbe.virtualSize("{\"format\": \"raw\"}")).isEmpty();
    }
}
