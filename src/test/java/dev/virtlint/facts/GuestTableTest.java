package dev.virtlint.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The guest table ({@code rules/guest-os.tsv}) against cases written from its sources (the keys
 * are those of rules/flushless-guest-write-cache.md, "Sources"), not from the file: each case
 * names a libosinfo id as osinfo-db spells it, a disk bus, what the guest does there, whether
 * QEMU writes its virtio-blk disks through, and the source that says so, which the matching row
 * must cite.
 */
class GuestTableTest {

    private static final Path RULE_PAGE = Path.of("rules/flushless-guest-write-cache.md");

    /**
     * One case.
     *
     * @param noFlushFeature QEMU disables the write cache itself (virtio-blk driver without flush)
     * @param not            a word the reason must not contain (null for none)
     */
    record Case(String osId, String bus, Flushes flushes, boolean noFlushFeature, String source,
                String not) {
    }

    private static Case c(String osId, String bus, Flushes flushes, boolean noFlushFeature,
                          String source) {
        return new Case(osId, bus, flushes, noFlushFeature, source, null);
    }

    private static final List<Case> CASES = List.of(
            // Red Hat's tuning guide: RHEL 5.5 and earlier do not support a writeback cache. Their
            // 2.6.18 kernel is a backport kernel, and no changelog says whether its virtio-blk
            // driver got flush support, so QEMU is not taken to write through on virtio.
            c("http://redhat.com/rhel/5.5", "virtio", Flushes.NO, false, "rh-tuning"),
            c("http://redhat.com/rhel/5.5", "ide", Flushes.NO, false, "rh-tuning"),
            c("http://centos.org/centos/5.0", "virtio", Flushes.NO, false, "vblk-flush"),
            // RHEL 5.6-5.11: ext3 (the default, RHEL 6 technical notes) has barrier=0 in every
            // 2.6 kernel (ext3 defaults to barriers only from Linux commit 00eacd66cd8a).
            c("http://redhat.com/rhel/5.7", "virtio", Flushes.NO, false, "ext3-barrier"),
            c("http://centos.org/centos/5.11", "sata", Flushes.NO, false, "rhel5-fs"),
            // Clones: osinfo-db's <clones id="http://redhat.com/rhel/5.0"/>.
            c("http://scientificlinux.org/scientificlinux/5.8", "ide", Flushes.NO, false,
                    "osinfo-clones"),
            c("http://scientificlinux.org/scientificlinux/5.3", "virtio", Flushes.NO, false,
                    "vblk-flush"),
            c("http://oracle.com/oel/5.4", "virtio", Flushes.NO, false, "vblk-flush"),
            c("http://oracle.com/ol/5.5", "virtio", Flushes.NO, false, "vblk-flush"),
            c("http://oracle.com/ol/5.9", "scsi", Flushes.NO, false, "osinfo-clones"),
            c("http://scientificlinux.org/scientificlinux/6.4", "virtio", Flushes.YES, false,
                    "rhel6-barrier"),
            c("http://oracle.com/ol/6.3", "ide", Flushes.YES, false, "rhel6-barrier"),
            // Debian: 2.6 ext3 without barriers; squeeze's installer offers no way to turn them on.
            c("http://debian.org/debian/1.1", "ide", Flushes.NO, false, "ext3-barrier"),
            c("http://debian.org/debian/3.1", "ide", Flushes.NO, false, "ext3-barrier"),
            c("http://debian.org/debian/5", "virtio", Flushes.NO, true, "vblk-flush"),
            c("http://debian.org/debian/6", "virtio", Flushes.NO, false, "debian6-ext3"),
            c("http://debian.org/debian/6", "ide", Flushes.NO, false, "debian6-ext3"),
            c("http://debian.org/debian/7", "virtio", Flushes.YES, false, "ext4-barrier"),
            // Rolling ids osinfo-db spells by name, not number.
            c("http://debian.org/debian/testing", "virtio", Flushes.YES, false, "osinfo-rolling"),
            c("http://opensuse.org/opensuse/tumbleweed", "scsi", Flushes.YES, false,
                    "osinfo-rolling"),
            c("http://fedoraproject.org/fedora/rawhide", "virtio", Flushes.YES, false,
                    "osinfo-rolling"),
            // Ubuntu: ext3 until 9.04; 9.10 defaults to ext4 on Linux 2.6.31 (no virtio flush).
            c("http://ubuntu.com/ubuntu/4.10", "ide", Flushes.NO, false, "ext3-barrier"),
            c("http://ubuntu.com/ubuntu/7.10", "ide", Flushes.NO, false, "ext3-barrier"),
            c("http://ubuntu.com/ubuntu/8.04", "virtio", Flushes.NO, true, "vblk-flush"),
            c("http://ubuntu.com/ubuntu/9.10", "ide", Flushes.YES, false, "ubuntu910-ext4"),
            c("http://ubuntu.com/ubuntu/9.10", "virtio", Flushes.YES, true, "ubuntu910-ext4"),
            // Fedora 11's release notes: ext4 is the default; Linux 2.6.29 dm passes barriers.
            c("http://fedoraproject.org/fedora/11", "ide", Flushes.YES, false, "fedora11-ext4"),
            c("http://fedoraproject.org/fedora/10", "virtio", Flushes.NO, true, "dm-barrier"),
            // Fedora 8 and earlier predate virtio_blk (Linux 2.6.24): no driver to speak of.
            c("http://fedoraproject.org/fedora/8", "virtio", Flushes.NO, false, "vblk-driver"),
            // Fedora 12 and openSUSE 11.2 shipped in November 2009, before Linux 2.6.32 (the
            // release of virtio_blk's flush support): ext4 flushes, the driver is unconfirmed.
            c("http://fedoraproject.org/fedora/12", "virtio", Flushes.YES, false, "fedora12-ext4"),
            // SUSE: ext3 barrier=1 was a SUSE-tree patch; reiserfs and LVM are not confirmed.
            // openSUSE 10.2 made ext3 the default (cond only for LVM).
            c("http://opensuse.org/opensuse/10.2", "ide", Flushes.COND, false, "opensuse102-ext3"),
            c("http://opensuse.org/opensuse/11.1", "virtio", Flushes.COND, true, "dm-barrier"),
            c("http://opensuse.org/opensuse/11.2", "virtio", Flushes.YES, false,
                    "opensuse112-ext4"),
            c("http://suse.com/sles/9", "ide", Flushes.NO, false, "suse-ext3"),
            c("http://suse.com/sled/9", "ide", Flushes.NO, false, "suse-ext3"),
            c("http://suse.com/sles/10.3", "ide", Flushes.COND, false, "suse-ext3"),
            c("http://suse.com/sled/10", "scsi", Flushes.COND, false, "suse-ext3"),
            // SLES 11 GA: the SUSE ext3 patch is unconfirmed for its kernel, LVM drops barriers,
            // and its backport kernel's virtio flush is unconfirmed.
            c("http://suse.com/sles/11", "scsi", Flushes.COND, false, "suse-ext3"),
            c("http://suse.com/sles/11", "virtio", Flushes.COND, false, "vblk-flush"),
            c("http://suse.com/sled/11", "ide", Flushes.COND, false, "dm-barrier"),
            c("http://suse.com/sles/11.2", "virtio", Flushes.YES, false, "vblk-flush"),
            // Windows from Vista to 7: FUA only to SCSI and Fibre Channel disks (Microsoft,
            // Deploying Transactional NTFS); QEMU's scsi-hd advertises DPOFUA only with
            // dpofua=on, so whether Windows sends it FUA is unconfirmed.
            new Case("http://microsoft.com/win/7", "ide", Flushes.COND, false, "ms-txf-fua",
                    "viostor"),
            new Case("http://microsoft.com/win/2k8r2", "sata", Flushes.COND, false, "ms-txf-fua",
                    "viostor"),
            c("http://microsoft.com/win/7", "virtio", Flushes.COND, false, "viostor"),
            c("http://microsoft.com/win/7", "scsi", Flushes.COND, false, "qemu-dpofua"),
            c("http://microsoft.com/win/vista", "scsi", Flushes.COND, false, "qemu-dpofua"),
            c("http://microsoft.com/win/xp", "scsi", Flushes.COND, false, "ms-txf-fua"),
            // Microsoft's statement starts at Vista: for 2000 and XP it says nothing.
            new Case("http://microsoft.com/win/xp", "ide", Flushes.COND, false, "unconfirmed",
                    "Vista to 7"),
            c("http://microsoft.com/win/2k3", null, Flushes.COND, false, "ms-txf-fua"),
            c("http://microsoft.com/win/10", "sata", Flushes.YES, false, "viostor"),
            c("http://microsoft.com/win/8.1", "virtio", Flushes.YES, false, "viostor"),
            // NT 4.0's atapi.sys has no SYNCHRONIZE CACHE or flush path; 9x/ME: no source.
            c("http://microsoft.com/winnt/4.0", "ide", Flushes.NO, false, "nt4-atapi"),
            // atapi.sys says nothing of SCSI miniports.
            new Case("http://microsoft.com/winnt/4.0", "scsi", Flushes.COND, false,
                    "unconfirmed", "atapi"),
            c("http://microsoft.com/win/95", "ide", Flushes.NO, false, "unconfirmed"),
            c("http://microsoft.com/win/98", "ide", Flushes.NO, false, "unconfirmed"),
            c("http://microsoft.com/win/me", "ide", Flushes.NO, false, "unconfirmed"),
            c("http://microsoft.com/win/3.1", "ide", Flushes.NO, false, "unconfirmed"),
            // The BSDs: OpenBSD's sd flushes only at close, suspend and shutdown; FreeBSD's UFS
            // sends no BIO_FLUSH; NetBSD flushes at WAPBL commits. All negotiate virtio flush.
            c("http://openbsd.org/openbsd/7.4", "virtio", Flushes.NO, false, "openbsd-sd"),
            c("http://openbsd.org/openbsd/4.2", "ide", Flushes.NO, false, "openbsd-sd"),
            c("http://freebsd.org/freebsd/14.0", "virtio", Flushes.COND, false, "freebsd-ufs"),
            c("http://netbsd.org/netbsd/9.0", "virtio", Flushes.COND, false, "netbsd-wapbl"),
            c("http://netbsd.org/netbsd/4.0", "ide", Flushes.NO, false, "netbsd-wapbl"));

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesARowCitingItsSource() {
        GuestTable table = GuestTable.builtIn();
        return CASES.stream().map(k -> DynamicTest.dynamicTest(k.osId() + " on " + k.bus(), () -> {
            GuestFact fact = table.lookup(k.osId(), k.bus()).orElseThrow(
                    () -> new AssertionError("no row for " + k.osId() + " on " + k.bus()));
            assertThat(fact.flushes()).as("flushes").isEqualTo(k.flushes());
            assertThat(fact.noFlushFeature()).as("QEMU writes through")
                    .isEqualTo(k.noFlushFeature());
            assertThat(fact.source()).isEqualTo("libosinfo");
            GuestTable.Row row = row(table, k.osId(), k.bus());
            assertThat(List.of(row.source().split(","))).as("the row's sources")
                    .contains(k.source());
            if (k.not() != null) {
                assertThat(fact.reason()).doesNotContainIgnoringCase(k.not());
            }
        }));
    }

    /** The row a lookup chose: the first with the fact's family and bus that gives its reason. */
    private static GuestTable.Row row(GuestTable table, String osId, String bus) {
        String reason = table.lookup(osId, bus).orElseThrow().reason();
        String[] parts = osId.split("/");
        for (GuestTable.Row r : table.rows()) {
            if (r.family().equals(parts[parts.length - 2]) && r.appliesTo(bus)
                    && r.reason().equals(reason)) {
                return r;
            }
        }
        throw new AssertionError("no row gives " + reason);
    }

    @Test
    void aDeclaredFlushesKeepsWhatTheOsIdSaysOfTheVirtioDriver() {
        // Debian 5's virtio-blk driver negotiates no flush (vblk-flush): metadata or a
        // configuration's flushes: speak of the filesystem, not of the driver.
        GuestTable table = GuestTable.builtIn();
        GuestFact metadata = table.resolve("no", null, "http://debian.org/debian/5", "virtio");
        assertThat(metadata.source()).isEqualTo("metadata");
        assertThat(metadata.noFlushFeature()).isTrue();
        assertThat(metadata.driverKnown()).isTrue();
        GuestFact configured = table.resolve(null, new GuestFact(Flushes.NO, "told", "config"),
                "http://debian.org/debian/5", "virtio");
        assertThat(configured.noFlushFeature()).isTrue();
        assertThat(configured.reason()).isEqualTo("told");
        // On IDE QEMU adds nothing; for CentOS 5.5 the driver is not known.
        assertThat(table.resolve("no", null, "http://debian.org/debian/5", "ide")
                .noFlushFeature()).isFalse();
        assertThat(table.resolve("no", null, "http://centos.org/centos/5.5", "virtio")
                .driverKnown()).isFalse();
    }

    @Test
    void aDiskOfUnknownBusFindsARowForEveryVersionABusRowCovers() {
        // Configuration os: entries and simulate --guest look ids up without a bus.
        GuestTable table = GuestTable.builtIn();
        for (GuestTable.Row r : table.rows()) {
            if (r.buses().isEmpty()) {
                continue;
            }
            String version = r.to().equals("-") ? r.from().split(",")[0] : r.from();
            String id = "http://example.org/" + r.family() + "/" + version;
            assertThat(table.lookup(id)).as(r.family() + " " + version + " on an unknown bus")
                    .isPresent();
        }
    }

    @Test
    void everySourceKeyIsDefinedOnTheRulePage() throws IOException {
        String page = Files.readString(RULE_PAGE);
        String sources = page.substring(page.indexOf("## Sources"));
        Set<String> defined = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^- `([a-z0-9-]+)`").matcher(sources);
        while (m.find()) {
            defined.add(m.group(1));
        }
        List<String> missing = new ArrayList<>();
        for (GuestTable.Row r : GuestTable.builtIn().rows()) {
            for (String key : r.source().split(",")) {
                if (!defined.contains(key)) {
                    missing.add(r.family() + " " + r.from() + ": " + key);
                }
            }
        }
        assertThat(missing).as("source keys not defined under Sources").isEmpty();
    }

    @Test
    void theBusColumnNarrowsARowAndTheFirstMatchWins() throws IOException {
        String tsv = String.join("\n",
                "x\t1\t1\tide,sata\tcond\t-\ton IDE\ts",
                "x\t1\t1\t*\tno\tno\teverywhere else\ts",
                "x\t*\t*\t*\tyes\t-\tlater\ts") + "\n";
        GuestTable t = GuestTable.parse(new java.io.ByteArrayInputStream(tsv.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(t.lookup("http://x.org/x/1", "sata").orElseThrow().reason()).isEqualTo("on IDE");
        assertThat(t.lookup("http://x.org/x/1", "virtio").orElseThrow().noFlushFeature()).isTrue();
        assertThat(t.lookup("http://x.org/x/1", "scsi").orElseThrow().noFlushFeature()).isFalse();
        assertThat(t.lookup("http://x.org/x/1", null).orElseThrow().reason())
                .isEqualTo("everywhere else");
        assertThat(t.lookup("http://x.org/x/2", "ide").orElseThrow().reason()).isEqualTo("later");
    }
}
