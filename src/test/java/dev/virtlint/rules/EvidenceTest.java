package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Disk;
import dev.virtlint.sim.Simulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every finding about a writable disk carries the simulator's figures for its setting and the advice. */
class EvidenceTest {

    private static final Path DOMAINS = Path.of("samples/domains");

    private static ParsedFile parse(Path file) {
        return Loader.load(Input.file(file.toString(), file, Input.Kind.XML)).file();
    }

    @Test
    void everyDiskFindingOfTheRealisticDomainsHasEvidenceForTheDiskAndItsAdvice() throws IOException {
        int checked = 0;
        int networkDisks = 0;
        try (Stream<Path> files = Files.list(DOMAINS)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".xml")).sorted().toList()) {
                ParsedFile parsed = parse(file);
                if (parsed == null) {
                    continue; // two-domains-dumpxml.xml is refused on purpose
                }
                for (Finding f : Linter.lint(parsed, Linter.Settings.defaults())) {
                    Disk disk = f.disk();
                    if (disk == null) {
                        assertThat(f.evidence()).as(file + " " + f.rule()).isNull();
                        continue;
                    }
                    if (Evidences.omitted(disk).isPresent()) {
                        // A network disk: no host page cache to simulate (Evidences.omitted).
                        assertThat(f.evidence()).as(file + " " + f.rule()).isNull();
                        networkDisks++;
                        continue;
                    }
                    assertThat(f.evidence()).as(file + " " + f.rule()).isNotNull();
                    assertThat(f.evidence().current().cache()).isEqualTo(disk.cache().modeName());
                    String advised = f.recommended() == null ? disk.cache().modeName() : f.recommended().cache().id();
                    assertThat(f.evidence().recommended().cache()).isEqualTo(advised);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(10);
        assertThat(networkDisks).isGreaterThan(1);
    }

    private static final String UNSAFE_DB = """
            <domain type='kvm'>
              <name>db01</name>
              <memory unit='GiB'>8</memory>
              <devices>
                <disk type='block' device='disk'>
                  <driver name='qemu' type='raw' cache='unsafe'/>
                  <source dev='/dev/vg/db01'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;

    private static Finding unsafeFinding(Path dir, HostFacts host) throws IOException {
        Path file = dir.resolve("db01.xml");
        Files.writeString(file, UNSAFE_DB);
        Linter.Settings s = new Linter.Settings(java.util.Set.of("unsafe-cache-persistent-disk"), java.util.Set.of(),
                dev.virtlint.advise.Advisor.Policy.AVOID, host);
        return Linter.lint(parse(file), s).get(0);
    }

    @Test
    void unsafeOnADatabaseLosesAboutThirtyFiveSecondsOfWritesOnHostCrashAndNoneLosesNothing(
            @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Finding f = unsafeFinding(dir, HostFacts.defaults());
        var e = f.evidence();
        assertThat(e.workload()).isEqualTo("database");
        // 4 MB/s held in the page cache for up to expiry (30 s) + flusher interval (5 s).
        assertThat(e.current().loss().hostCrash().p95()).isBetween((long) (0.85 * 4e6 * 35), (long) (1.15 * 4e6 * 35));
        assertThat(e.recommended().loss().hostCrash().p95()).isZero();
        assertThat(e.recommended().loss().powerLoss().max()).isZero();
        // The guest caches up to half its 8 GiB; the host keeps a copy under unsafe, none under none.
        assertThat(e.current().hostCacheDuplicateBytes()).isEqualTo(4L << 30);
        assertThat(e.recommended().hostCacheDuplicateBytes()).isZero();
        assertThat(e.assumptions()).noneMatch(a -> a.contains("guest memory")).noneMatch(a -> a.contains("sparse"));
    }

    @Test
    void aHostProfileWithMeasuredCostsChangesTheSpeedsAndItsSysctlsTheLoss(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Finding plain = unsafeFinding(dir, HostFacts.defaults());
        HostFacts slowFlush = new HostFacts(null, null, 32L << 30, HostFacts.defaultMounts(), List.of(),
                Map.of("dirty_expire_centisecs", 1000L), Map.of("flush-us", 5000.0), "slow.yaml");
        Finding measured = unsafeFinding(dir, slowFlush);
        assertThat(measured.evidence().recommended().writeMBps())
                .isLessThan(plain.evidence().recommended().writeMBps() / 10);
        assertThat(measured.evidence().current().loss().hostCrash().p95())
                .isLessThan(plain.evidence().current().loss().hostCrash().p95() / 2);
        assertThat(measured.evidence().assumptions()).noneMatch(a -> a.contains("host memory"));
    }

    @Test
    void theFindingsEvidenceIsWhatASimulatorWithoutTheLossTablePredicts(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Finding f = unsafeFinding(dir, HostFacts.defaults());
        List<String> assumptions = new java.util.ArrayList<>();
        ParsedFile parsed = parse(dir.resolve("db01.xml"));
        DiskCheck check = new DiskCheck(parsed.disks().get(0), dev.virtlint.facts.GuestTable.builtIn().resolve(null,
                null, null), HostFacts.defaults(), false, java.util.Optional.empty(), "db01", () -> null);
        Simulator.Scenario s = Evidences.scenario(check, parsed.domain(), n -> null, assumptions);
        // Simulator(false) runs the loss model itself instead of looking the default host up in the
        // precomputed table, so a stale or wrong table shows here.
        assertThat(f.evidence().current()).isEqualTo(new Simulator(false).predict(s));
    }

    private static HostFacts profile(Path dir, String yaml) throws IOException {
        Path p = dir.resolve("h.yaml");
        Files.writeString(p, yaml);
        try {
            return dev.virtlint.facts.HostProfile.load(p, "h.yaml");
        } catch (dev.virtlint.parse.Yaml.YamlException e) {
            throw new AssertionError(e.format(), e);
        }
    }

    private static final String UNSAFE_FILE = """
            <domain type='kvm'>
              <name>ledger</name>
              <metadata>
                <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
                  <libosinfo:os id="http://fedoraproject.org/fedora/40"/>
                </libosinfo:libosinfo>
              </metadata>
              <memory unit='GiB'>8</memory>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2' cache='unsafe'/>
                  <source file='/tank/vm/ledger.qcow2'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
              </devices>
            </domain>
            """;

    private static Finding unsafeFileFinding(Path dir, HostFacts host) throws IOException {
        Path file = dir.resolve("ledger.xml");
        Files.writeString(file, UNSAFE_FILE);
        Linter.Settings s = new Linter.Settings(java.util.Set.of("unsafe-cache-persistent-disk"),
                java.util.Set.of(),
                dev.virtlint.advise.Advisor.Policy.AVOID, host);
        return Linter.lint(parse(file), s).get(0);
    }

    /**
     * Where the profile says flushes are not honoured, the recommendation's "0 B lost" is not
     * predicted (ext4 nobarrier sends no cache flushes), and a note says why; a sparse image under
     * an O_DIRECT recommendation gets the preallocation note, and no sparse assumption. Under ZFS
     * sync=disabled the unsynced data is in the host's memory (zfs_fsync skips zil_commit): a
     * host crash loses it too, which the figures and the note say.
     */
    @Test
    void storageThatIgnoresFlushesLosesDataInTheEvidenceAndSaysSo(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Finding honest = unsafeFileFinding(dir, profile(dir,
                "mounts: [{path: /tank/vm, fstype: xfs}]\n"));
        assertThat(honest.evidence().recommended().cache()).isEqualTo("none");
        assertThat(honest.evidence().recommended().loss().powerLoss().max()).isZero();
        assertThat(honest.evidence().notes()).isEmpty();
        assertThat(honest.evidence().assumptions()).anyMatch(a -> a.contains("sparse"));
        Finding lying = unsafeFileFinding(dir, profile(dir,
                "mounts: [{path: /tank/vm, fstype: ext4, options: \"rw,nobarrier\"}]\n"
                + "images: [{path: /tank/vm/ledger.qcow2, allocation: sparse}]\n"));
        assertThat(lying.evidence().recommended().cache()).isEqualTo("none");
        assertThat(lying.evidence().recommended().loss().powerLoss().p95()).isPositive();
        assertThat(lying.evidence().notes()).anyMatch(n -> n.startsWith("flushes are not honoured")
                && n.contains("nobarrier")).anyMatch(n -> n.contains("preallocation=falloc"));
        assertThat(lying.evidence().assumptions()).noneMatch(a -> a.contains("sparse"));
        Finding zfs = unsafeFileFinding(dir, profile(dir, "openzfs: \"2.2.7\"\n"
                + "mounts: [{path: /tank/vm, fstype: zfs, zfs-sync: disabled}]\n"));
        assertThat(zfs.evidence().recommended().loss().hostCrash().p95()).isPositive();
        assertThat(zfs.evidence().notes()).anyMatch(n -> n.contains("sync=disabled")
                && n.contains("a host crash loses them"));
    }

    /** tmpfs keeps the image in memory only (noop_fsync): no mode loses 0 B on power loss. */
    @Test
    void aStatedTmpfsLosesEverythingOnPowerLoss(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Finding tmpfs = unsafeFileFinding(dir, profile(dir, "kernel: \"6.8.0\"\n"
                + "mounts: [{path: /tank/vm, fstype: tmpfs}]\n"));
        assertThat(tmpfs.evidence().recommended().loss().powerLoss().p50()).isPositive();
        assertThat(tmpfs.evidence().recommended().loss().hostCrash().p50()).isPositive();
        assertThat(tmpfs.evidence().notes()).anyMatch(n -> n.contains("everything written"));
    }
}
