package dev.virtlint.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.parse.Yaml;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostProfileTest {

    private static HostFacts read(String yaml) throws YamlException {
        return HostProfile.from(Yaml.parse(yaml, "host.yaml"), "host.yaml");
    }

    private static String error(String yaml) {
        try {
            read(yaml);
        } catch (YamlException e) {
            return e.format();
        }
        throw new AssertionError("no error for " + yaml);
    }

    @Test
    void readsEveryKey() throws YamlException {
        HostFacts h = read("""
                kernel: "6.8.0-45-generic"
                qemu: "8.2.2"
                memory: 64GiB
                mounts:
                  - {path: /, fstype: ext4}
                  - {path: /var/lib/libvirt/images/, fstype: XFS}
                odirect:
                  - {path: /srv/fuse, supported: false}
                sysctl:
                  vm.dirty_ratio: 20
                  dirty_expire_centisecs: 3000
                """);
        assertThat(h.kernel()).contains("6.8.0-45-generic");
        assertThat(h.qemu()).contains("8.2.2");
        assertThat(h.memoryBytes()).contains(64L << 30);
        assertThat(h.mountOf("/var/lib/libvirt/images/a.qcow2")).map(HostFacts.Mount::fstype).contains("xfs");
        assertThat(h.mountOf("/home/a.img")).map(HostFacts.Mount::fstype).contains("ext4");
        assertThat(h.sysctl()).containsEntry("dirty_ratio", 20L).containsEntry("dirty_expire_centisecs", 3000L);
        assertThat(h.profile()).contains("host.yaml");
    }

    /** memory-available (probe's MemAvailable) and guests-memory (by hand): read, and checked against memory. */
    @Test
    void readsTheMemoryTheDirtyThresholdsRestOn() throws YamlException {
        HostFacts h = read("memory: 64GiB\nmemory-available: 12GiB\nguests-memory: 48GiB\n");
        assertThat(h.memoryAvailableBytes()).contains(12L << 30);
        assertThat(h.guestsMemoryBytes()).contains(48L << 30);
        assertThat(read("memory: 64GiB\n").memoryAvailableBytes()).isEmpty();
        assertThat(error("memory: 8GiB\nmemory-available: 12GiB\n")).contains("memory-available must be");
        assertThat(error("memory: 8GiB\nguests-memory: 8GiB\n")).contains("guests-memory must be less than memory");
    }

    @Test
    void theDefaultTmpfsMountsStayUnlessTheProfileSaysOtherwise() throws YamlException {
        HostFacts old = read("kernel: \"5.15.0\"\nmounts:\n  - {path: /, fstype: ext4}\n");
        assertThat(old.directIo("/dev/shm/vm.img").supported()).contains(false);
        HostFacts recent = read("kernel: \"6.6.1\"\n");
        assertThat(recent.directIo("/dev/shm/vm.img").supported()).contains(true);
        HostFacts moved = read("mounts:\n  - {path: /run, fstype: ext4}\n");
        assertThat(moved.directIo("/run/vm.img").supported()).contains(true);
        assertThat(moved.directIo("/dev/shm/vm.img").supported()).isEmpty();
    }

    @Test
    void aKernelVersionWithATwentyDigitNumberComparesByValue() throws YamlException {
        HostFacts huge = read("kernel: \"99999999999999999999\"\n");
        assertThat(huge.directIo("/dev/shm/vm.img").supported()).contains(true);
        HostFacts old = read("kernel: \"5.99999999999999999999\"\n");
        assertThat(old.directIo("/dev/shm/vm.img").supported()).contains(false);
        HostFacts padded = read("kernel: \"6.0000000000000000000006\"\n");
        assertThat(padded.directIo("/dev/shm/vm.img").supported()).contains(true);
    }

    @Test
    void probedPathsWinOverTheFilesystemType() throws YamlException {
        HostFacts h = read("""
                kernel: "6.8.0"
                mounts:
                  - {path: /srv, fstype: ext4}
                odirect:
                  - {path: /srv/fuse, supported: no}
                  - {path: /srv/fuse/ok, supported: yes}
                """);
        assertThat(h.directIo("/srv/fuse/a.img").supported()).contains(false);
        assertThat(h.directIo("/srv/fuse/a.img").reason()).contains("/srv/fuse").contains("refused");
        assertThat(h.directIo("/srv/fuse/ok/a.img").supported()).contains(true);
        assertThat(h.directIo("/srv/fusex/a.img").supported()).contains(true);
    }

    @Test
    void sizesAcceptTheUsualSpellings() {
        assertThat(HostProfile.parseSize("64GiB")).contains(64L << 30);
        assertThat(HostProfile.parseSize("64G")).contains(64L << 30);
        assertThat(HostProfile.parseSize("512 MiB")).contains(512L << 20);
        assertThat(HostProfile.parseSize("1.5TiB")).contains(3L << 39);
        assertThat(HostProfile.parseSize("4096")).contains(4096L);
        assertThat(HostProfile.parseSize("lots")).isEqualTo(Optional.empty());
    }

    @Test
    void aRhelKernelReleaseAsProbeWritesItIsRead() throws Exception {
        HostFacts rhel = read("kernel: \"4.18.0-513.5.1.el8_9.x86_64\"\nmounts:\n  - {path: /run, fstype: tmpfs}\n");
        assertThat(rhel.kernel()).contains("4.18.0-513.5.1.el8_9.x86_64");
        // A distribution kernel older than 6.6 may carry tmpfs' O_DIRECT support: open, and said.
        assertThat(rhel.directIo("/run/vm.img").supported()).isEmpty();
        assertThat(rhel.directIo("/run/vm.img").assumption()).contains("distribution kernel");
    }

    @Test
    void wrongValuesAreReportedWhereTheyAreWritten() {
        assertThat(error("memory: lots\n")).isEqualTo("host.yaml:1:9: error: expected a size such as 64GiB, found 'lots'");
        assertThat(error("kernel: linux\n"))
                .isEqualTo("host.yaml:1:9: error: expected a version such as \"5.15.0\", found 'linux'");
        assertThat(error("mounts:\n  - {path: srv, fstype: ext4}\n"))
                .isEqualTo("host.yaml:2:12: error: expected an absolute host path, found 'srv'");
        assertThat(error("sysctl:\n  vm.swappiness: 10\n")).startsWith("host.yaml:2:3: error: unknown sysctl 'vm.swappiness'");
        assertThat(error("odirect:\n  - {path: /a, supported: maybe}\n"))
                .isEqualTo("host.yaml:2:27: error: expected true or false, found 'maybe'");
        assertThat(error("kernal: \"5.15\"\n")).startsWith("host.yaml:1:1: error: unknown key 'kernal'");
    }

    @Test
    void aMistypedKeySysctlOrCostSuggestsTheClosestName() {
        assertThat(error("sysctls:\n  vm.dirty_ratio: 20\n"))
                .isEqualTo("host.yaml:1:1: error: unknown key 'sysctls'; did you mean 'sysctl'?");
        assertThat(error("sysctl:\n  vm.dirty_ratoi: 20\n"))
                .isEqualTo("host.yaml:2:3: error: unknown sysctl 'vm.dirty_ratoi'; did you mean 'vm.dirty_ratio'?");
        assertThat(error("sysctl:\n  dirty_ratoi: 20\n"))
                .isEqualTo("host.yaml:2:3: error: unknown sysctl 'dirty_ratoi'; did you mean 'vm.dirty_ratio'?");
        assertThat(error("costs:\n  flush-ms: 1\n"))
                .isEqualTo("host.yaml:2:3: error: unknown device cost 'flush-ms'; did you mean 'flush-us'?");
        assertThat(error("sysctl:\n  vm.swappiness: 10\n")).contains("; expected one of vm.");
    }

    @Test
    void measuredCostsAreReadAndCheckedByName() throws YamlException {
        HostFacts h = read("costs:\n  flush-us: 850\n  copy-mbps: 2500.5\n");
        assertThat(h.costs()).containsEntry("flush-us", 850.0).containsEntry("copy-mbps", 2500.5).hasSize(2);
        assertThat(error("costs:\n  flush-ms: 1\n")).startsWith("host.yaml:2:3: error: unknown device cost 'flush-ms'");
        assertThat(error("costs:\n  flush-us: fast\n")).isEqualTo("host.yaml:2:13: error: expected a number, found 'fast'");
        assertThat(error("costs:\n  device-queue: 0\n"))
                .isEqualTo("host.yaml:2:17: error: device-queue must be at least 1, found 0");
        assertThat(error("costs:\n  copy-mbps: 0\n"))
                .isEqualTo("host.yaml:2:14: error: copy-mbps must be more than 0, found 0");
    }

    @Test
    void valuesOutsideTheKernelsRangesAreErrorsAtTheirPosition() throws YamlException {
        assertThat(error("memory: 0\n")).isEqualTo("host.yaml:1:9: error: memory must be more than 0 bytes, found 0");
        assertThat(error("sysctl:\n  vm.dirty_ratio: 1000\n")).isEqualTo(
                "host.yaml:2:19: error: vm.dirty_ratio must be a percentage, 0 to 100 (Linux vm.rst), found 1000");
        assertThat(error("sysctl:\n  dirty_background_ratio: 101\n")).startsWith("host.yaml:2:27: error: ");
        assertThat(error("sysctl:\n  vm.dirty_bytes: 4096\n")).isEqualTo(
                "host.yaml:2:19: error: vm.dirty_bytes must be 0 or at least 8192 (two pages) (Linux vm.rst),"
                        + " found 4096");
        assertThat(error("sysctl:\n  vm.dirty_expire_centisecs: 2147483648\n")).startsWith("host.yaml:2:30: error: ");
        assertThat(read("sysctl:\n  vm.dirty_bytes: 0\n  vm.dirty_ratio: 100\n").sysctl())
                .containsEntry("dirty_bytes", 0L).containsEntry("dirty_ratio", 100L);
    }

    @Test
    void storageKeysReadOnMountsAndStorageEntries() throws YamlException {
        HostFacts h = read("""
                openzfs: "2.3.0"
                mounts:
                  - {path: /tank/vm, fstype: zfs, zfs-sync: disabled, zfs-direct: standard}
                  - {path: /, fstype: btrfs, options: "rw,ssd"}
                storage:
                  - {path: /var/lib/libvirt/images, nocow: yes, btrfs-data: RAID1}
                  - {path: /mnt/nfs, export: "rw, async", flushes: no, write-cache: "write back"}
                images:
                  - {path: /var/lib/libvirt/images/a.raw, allocation: sparse}
                """);
        assertThat(h.openzfs()).contains("2.3.0");
        assertThat(h.storage(h.storage().get(0).path(), HostFacts.Storage::path)).isNotNull();
        assertThat(h.storage("/tank/vm/x.raw", HostFacts.Storage::zfsSync)).isEqualTo("disabled");
        assertThat(h.storage("/var/lib/libvirt/images/a.raw", HostFacts.Storage::nocow)).isTrue();
        assertThat(h.storage("/var/lib/libvirt/images/a.raw", HostFacts.Storage::btrfsData))
                .isEqualTo("raid1");
        assertThat(h.storage("/mnt/nfs/d", HostFacts.Storage::export)).isEqualTo("rw,async");
        // A bare no is the word, not YAML 1.1's false.
        assertThat(h.storage("/mnt/nfs/d", HostFacts.Storage::flushes)).isEqualTo("no");
        assertThat(h.mountOf("/").map(HostFacts.Mount::options)).contains("rw,ssd");
        assertThat(h.sparse("/var/lib/libvirt/images/a.raw")).contains(true);
        assertThat(h.sparse("/var/lib/libvirt/images/b.raw")).isEmpty();
    }

    @Test
    void anImagesEntryMayStateTheVirtualSizeAloneOrWithTheAllocation() throws YamlException {
        HostFacts h = read("""
                images:
                  - {path: /srv/vm/a.raw, allocation: sparse, size: 20GiB}
                  - {path: /srv/vm/floppy.img, size: 1474560}
                """);
        assertThat(h.imageSize("/srv/vm/a.raw")).contains(20L << 30);
        assertThat(h.sparse("/srv/vm/a.raw")).contains(true);
        assertThat(h.imageSize("/srv/vm/floppy.img")).contains(1_474_560L);
        // The size alone says nothing of the allocation.
        assertThat(h.sparse("/srv/vm/floppy.img")).isEmpty();
        assertThat(h.imageSize("/srv/vm/b.raw")).isEmpty();
    }

    @Test
    void badStorageValuesNameTheirLineAndColumn() {
        assertThat(error("mounts:\n  - {path: /t, fstype: zfs, zfs-sync: off}\n"))
                .contains("host.yaml:2:").contains("zfs-sync must be one of standard, always,"
                + " disabled")
                .contains("'off'");
        assertThat(error("storage:\n  - {path: /a, flushes: maybe}\n")).contains("host.yaml:2:")
                .contains("flushes must be one of yes, no, unknown");
        assertThat(error("storage:\n  - {path: /a}\n")).contains("host.yaml:2:")
                .contains("states nothing beyond its path");
        assertThat(error("storage:\n  - {path: /a, nocow: perhaps}\n")).contains("expected true or"
                + " false");
        assertThat(error("images:\n  - {path: a.raw, allocation: sparse}\n"))
                .contains("expected an absolute host path");
        assertThat(error("images:\n  - {path: /a.raw, allocation: thin}\n"))
                .contains("allocation must be one of sparse, preallocated");
        assertThat(error("storage:\n  - {path: /a, fstype: ext4}\n")).contains("fstype");
        assertThat(error("images:\n  - {path: /a.raw}\n")).contains("host.yaml:2:")
                .contains("states nothing beyond its path; expected allocation or size");
        assertThat(error("images:\n  - {path: /a.raw, size: 0}\n"))
                .contains("size must be more than 0 bytes");
        assertThat(error("openzfs: zfs-2.2\n")).contains("expected a version");
    }
}
