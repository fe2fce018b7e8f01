package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.sim.DeviceCosts;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wording of the figures under a finding (issue 19, section 1): where a loss comes from, a
 * 0 B that holds only if flushes are honoured, ratios instead of the assumed scale's MB/s, an
 * image in host RAM, a disk's size as a bound, and the assumptions once per disk.
 */
class EvidenceWordingTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /** A Debian 12 domain (a guest known to flush) with one disk. */
    private static String domain(String name, String memoryGiB, String disk) {
        return """
                <domain type='kvm'>
                  <name>%s</name>
                  <metadata>
                    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
                      <libosinfo:os id="http://debian.org/debian/12"/>
                    </libosinfo:libosinfo>
                  </metadata>
                  <memory unit='GiB'>%s</memory>
                  <devices>
                %s
                  </devices>
                </domain>
                """.formatted(name, memoryGiB, disk);
    }

    private static String fileDisk(String device, String cache, String path, String target,
                                   String bus) {
        return """
                    <disk type='file' device='%s'>
                      <driver name='qemu' type='raw' cache='%s'/>
                      <source file='%s'/>
                      <target dev='%s' bus='%s'/>
                    </disk>""".formatted(device, cache, path, target, bus);
    }

    private static List<String> evidence(String text) {
        return text.lines().filter(l -> l.startsWith("  ")).map(String::strip).toList();
    }

    private static String line(String text, String start) {
        return evidence(text).stream().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting '" + start + "' in\n" + text));
    }

    /** Two significant figures of {@code v}, written as the closed form's oracle: BigDecimal. */
    private static String twoFigures(double v) {
        BigDecimal b = new BigDecimal(v).round(new MathContext(2, RoundingMode.HALF_UP));
        int lead = b.precision() - b.scale() - 1;
        return b.setScale(Math.max(0, 1 - lead), RoundingMode.HALF_UP).toPlainString();
    }

    /** The p95 of a failure kind in a prediction of the JSON output ("current" or "recommended"). */
    private static long p95(String json, String prediction, String kind) {
        int at = json.indexOf("\"" + prediction + "\": {");
        int k = json.indexOf("\"" + kind + "\"", at);
        Matcher m = Pattern.compile("\"p95\": ([0-9]+)").matcher(json);
        assertThat(m.find(k)).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void theLossLineSaysHowManySecondsOfTheAssumedWorkloadItIs() throws IOException {
        Path f = write("db.xml", domain("db", "8", fileDisk("disk", "unsafe",
                "/var/lib/libvirt/images/db.raw", "vda", "virtio")));
        String text = Cli.run("lint", f.toString()).out();
        String json = Cli.run("lint", "--format", "json", f.toString()).out();
        long lost = p95(json, "current", "powerLoss");
        // Closed form (domain.md section 5): 4 MB/s held for up to expiry (30 s) plus one
        // flusher interval (5 s), so the p95 lies between 30 s and 40 s of writes.
        assertThat(lost).isBetween(30L * 4_000_000, 40L * 4_000_000);
        // unsafe: a host crash loses the same p95 as a power loss (the device's 4 MB is not in
        // the last 5 %), so the line names both.
        assertThat(p95(json, "current", "hostCrash")).isEqualTo(lost);
        String expected = "predicted on host crash or power loss: ~" + twoFigures(lost / 1e6) + " MB of"
                + " fsync-acknowledged writes lost (p95, an upper bound: " + twoFigures(lost / 4e6)
                + " s of writes at the assumed 4 MB/s database workload), 0 B with cache='none'"
                + " if the host storage honours flushes";
        assertThat(line(text, "predicted on")).isEqualTo(expected);
    }

    @Test
    void aWorkloadChosenInTheConfigurationIsNamedSo() throws IOException {
        write(".virtlint.yaml", "workloads:\n  - {domain: \"ci-*\", workload: build}\n");
        Path f = write("ci.xml", domain("ci-01", "8", fileDisk("disk", "unsafe",
                "/var/lib/libvirt/images/ci.raw", "vda", "virtio")));
        String loss = line(Cli.run("lint", f.toString()).out(), "predicted on");
        assertThat(loss).contains(" s of writes at the 60 MB/s build workload chosen in .virtlint.yaml)")
                .doesNotContain("assumed 60 MB/s");
    }

    @Test
    void aLossAtTheBackgroundThresholdSaysSoNotSeconds() throws IOException {
        // 200 MB/s for 35 s is 7 GB, above 10 % of 16 GiB (1.7 GB), where background writeback
        // starts; the device writes faster than the guest, so the background threshold bounds it.
        write(".virtlint.yaml", "workloads:\n  - {domain: \"media\", workload: streaming}\n");
        Path f = write("media.xml", domain("media", "8", fileDisk("disk", "unsafe",
                "/var/lib/libvirt/images/media.raw", "vda", "virtio")));
        String loss = line(Cli.run("lint", f.toString()).out(), "predicted on");
        long limit = (long) ((16L << 30) * 0.10);
        assertThat(loss).contains("~" + twoFigures(limit / 1e9) + " GB of fsync-acknowledged"
                + " writes lost (p95: bounded by the host's background writeback threshold, Linux's default"
                + " vm.dirty_background_ratio 10 % of the host's 16 GiB"
                + " memory, assumed, and the device's volatile write cache, assumed")
                .doesNotContain(" s of writes");
    }

    private static final String EXT4 = "kernel: \"6.1.0-18-amd64\"\nmounts:\n"
            + "  - {path: /, fstype: ext4}\n";

    @Test
    void zeroBytesIsUnconditionalOnlyWhereAProfileSaysFlushesAreHonoured() throws IOException {
        Path f = write("db.xml", domain("db", "8", fileDisk("disk", "unsafe",
                "/srv/pg/db.raw", "vda", "virtio")));
        Path yes = write("yes.yaml", EXT4 + "  - {path: /srv/pg, fstype: ext4, flushes: \"yes\"}\n");
        Path unknown = write("unknown.yaml", EXT4
                + "  - {path: /srv/pg, fstype: ext4, flushes: \"unknown\"}\n");
        String honoured = line(Cli.run("lint", "--host", yes.toString(), f.toString()).out(),
                "predicted on");
        assertThat(honoured).endsWith(", 0 B with cache='none'");
        for (String[] run : List.of(new String[] {"--host", unknown.toString()}, new String[0])) {
            List<String> args = new java.util.ArrayList<>(List.of("lint"));
            args.addAll(List.of(run));
            args.add(f.toString());
            assertThat(line(Cli.run(args.toArray(String[]::new)).out(), "predicted on"))
                    .endsWith(", 0 B with cache='none' if the host storage honours flushes");
        }
        assertThat(Cli.run("lint", "--format", "json", "--host", yes.toString(), f.toString()).out())
                .contains("\"storageFlushes\": \"honoured\"");
        assertThat(Cli.run("lint", "--format", "json", "--host", unknown.toString(), f.toString())
                .out()).contains("\"storageFlushes\": \"unknown\"");
    }

    @Test
    void aTmpfsImageLosesEverythingAndHasNoDuplicateHostCache() throws IOException {
        Path host = write("ram.yaml", "kernel: \"6.1.90\"\nmounts:\n  - {path: /, fstype: ext4}\n"
                + "  - {path: /srv/ram, fstype: tmpfs}\n");
        Path f = write("bench.xml", domain("bench", "16", fileDisk("disk", "none",
                "/srv/ram/bench.raw", "vda", "virtio")));
        String text = Cli.run("lint", "--host", host.toString(), f.toString()).out();
        assertThat(line(text, "predicted on")).isEqualTo("predicted on host crash and power loss:"
                + " everything written to the disk is lost, in every cache mode (/srv/ram is tmpfs:"
                + " its files are in host RAM only)");
        // Not "0 B, 8 GiB with cache='writeback'": tmpfs pages are the file, already in RAM.
        assertThat(text).doesNotContain("host RAM caching").doesNotContain("0 B of");
        String json = Cli.run("lint", "--format", "json", "--host", host.toString(), f.toString())
                .out();
        assertThat(json).contains("\"inHostMemory\": \"stated\"")
                .doesNotContain("\"hostCacheDuplicateBytes\": 8");
        assertThat(json.split("\"hostCacheDuplicateBytes\": 0", -1)).hasSizeGreaterThan(1);
        // Without a profile /dev/shm is only assumed to be tmpfs, and the line says so.
        Path shm = write("shm.xml", domain("shm", "4", fileDisk("disk", "none",
                "/dev/shm/scratch.raw", "vda", "virtio")));
        assertThat(line(Cli.run("lint", shm.toString()).out(), "predicted on")).isEqualTo(
                "predicted on host crash and power loss: everything written to the disk is lost, in"
                        + " every cache mode, if /dev/shm is tmpfs as assumed without a host profile"
                        + " (its files would be in host RAM only)");
    }

    /** QEMU hw/block/fdc.c fd_formats: the largest entry, 48 sectors x 80 tracks x 2 heads x 512 B. */
    private static final long FLOPPY = 48L * 80 * 2 * 512;

    @Test
    void aFloppyCachesAndLosesNoMoreThanItsLargestFormatHolds() throws IOException {
        Path f = write("ks.xml", domain("ks", "4", fileDisk("floppy", "writeback",
                "/var/lib/libvirt/images/ks.img", "fda", "fdc")));
        String text = Cli.run("lint", f.toString()).out();
        assertThat(line(text, "predicted")).isEqualTo("predicted host RAM caching what the guest"
                + " caches too: ~" + twoFigures(FLOPPY / 1e6) + " MB (the whole disk: QEMU's largest"
                + " floppy format), 0 B with cache='none'");
        String json = Cli.run("lint", "--format", "json", f.toString()).out();
        assertThat(json).contains("\"hostCacheDuplicateBytes\": " + FLOPPY)
                .contains("\"diskBytesAtMost\": " + FLOPPY);
        // unsafe: the loss is the floppy's size, not 35 s of 4 MB/s.
        Path u = write("ks-unsafe.xml", domain("ks2", "4", fileDisk("floppy", "unsafe",
                "/var/lib/libvirt/images/ks2.img", "fda", "fdc")));
        assertThat(line(Cli.run("lint", u.toString()).out(), "predicted on")).startsWith(
                "predicted on host crash or power loss: ~" + twoFigures(FLOPPY / 1e6) + " MB of"
                        + " fsync-acknowledged writes lost (p95: the whole disk: QEMU's largest"
                        + " floppy format)");
        // A profile's images: size: bounds it further: a 1.44 MB image.
        Path host = write("h.yaml", "images:\n  - {path: /var/lib/libvirt/images/ks.img, size: 1474560}\n");
        assertThat(line(Cli.run("lint", "--host", host.toString(), f.toString()).out(), "predicted"))
                .contains("~1.5 MB (the whole disk: its virtual size in the host profile)");
    }

    @Test
    void speedsAreRatiosUnlessAProbeBenchProfileMeasuredTheScale() throws IOException {
        // A disk whose fix keeps its mode (only discard changes): no assumed-scale MB/s.
        String thin = """
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw' cache='none' discard='ignore' detect_zeroes='unmap'/>
                      <source file='/srv/vm/thin.raw'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>""";
        Path f = write("thin.xml", domain("thin", "4", thin));
        String text = Cli.run("lint", f.toString()).out();
        assertThat(text).doesNotContain("MB/s").doesNotContain("speed with");
        Path unsafe = write("db.xml", domain("db", "8", fileDisk("disk", "unsafe",
                "/srv/vm/db.raw", "vda", "virtio")));
        assertThat(line(Cli.run("lint", unsafe.toString()).out(), "speed with"))
                .matches("speed with cache='none': [0-9.]+x writes, [0-9.]+x reads \\(database workload\\)");
        assertThat(Cli.run("lint", "--format", "json", unsafe.toString()).out())
                .contains("\"speedScale\": \"assumed\"").doesNotContain("speedMeasuredOn");
        // Every cost stated, as probe --bench writes them: the scale is that host's.
        StringBuilder costs = new StringBuilder("costs:\n");
        DeviceCosts.builtIn().asMap().forEach((k, v) -> costs.append("  ").append(k).append(": ")
                .append(v).append('\n'));
        Path bench = write("bench.yaml", costs.toString());
        String measured = Cli.run("lint", "--host", bench.toString(), unsafe.toString()).out();
        assertThat(line(measured, "speed with")).matches("speed with cache='none': [0-9.]+x writes,"
                + " [0-9.]+x reads \\(database workload; as fast as its access pattern runs, at the"
                + " scale measured on .*bench.yaml: writes .*\\)");
        assertThat(line(Cli.run("lint", "--host", bench.toString(), f.toString()).out(), "speed with"))
                .matches("speed with cache='none': [0-9.]+ MB/s writes, [0-9.]+ MB/s reads \\(database"
                        + " workload, as fast as its access pattern runs, at the scale measured on .*bench.yaml\\)");
        assertThat(Cli.run("lint", "--format", "json", "--host", bench.toString(), unsafe.toString())
                .out()).contains("\"speedScale\": \"measured\"", "\"speedMeasuredOn\": ");
        // simulate: MB/s columns only on the measured scale.
        String plain = Cli.run("simulate", "--flushes", "yes").out();
        String onHost = Cli.run("simulate", "--flushes", "yes", "--host", bench.toString()).out();
        assertThat(plain).doesNotContain("write MB/s").contains("speeds are ratios");
        assertThat(onHost).contains("write MB/s", "read MB/s")
                .containsPattern("MB/s at the scale measured on .*bench.yaml");
        assertThat(Cli.run("simulate", "--format", "json", "--flushes", "yes").out())
                .contains("\"speedScale\": \"assumed\"");
    }

    @Test
    void theAssumptionsArePrintedOncePerDiskAndNotWhatTheFixLineSays() throws IOException {
        // unsafe on a persistent disk: double-caching and unsafe-cache-persistent-disk, one disk.
        String unknownGuest = """
                <domain type='kvm'>
                  <name>app</name>
                  <memory unit='GiB'>4</memory>
                  <devices>
                %s
                  </devices>
                </domain>
                """.formatted(fileDisk("disk", "unsafe", "/var/lib/libvirt/images/app.raw", "vda",
                "virtio"));
        String text = Cli.run("lint", write("app.xml", unknownGuest).toString()).out();
        assertThat(text).contains("[double-caching]", "[unsafe-cache-persistent-disk]");
        List<String> assumes = evidence(text).stream().filter(l -> l.startsWith("assumes: ")).toList();
        assertThat(assumes).hasSize(1);
        assertThat(assumes.get(0)).isEqualTo("assumes: workload database (the default for"
                + " persistent disks; choose one under workloads: in .virtlint.yaml); the guest flushes"
                + " (its OS is unknown); a sparse image (space allocated on first write); host memory"
                + " 16 GiB, all of it dirtyable (neither this guest's memory nor other guests' is taken off:"
                + " guests' memory is not dirtyable, so a host they fill has lower dirty thresholds), and"
                + " Linux's default dirty page settings (no host profile); per-inode expiry: the host page"
                + " cache figures are the upper bound (the image's inode goes clean at each writeback); an"
                + " image that never goes clean is written at every flusher wake-up, about 5 s of writes");
        // The fix line's clause is not repeated on the assumptions line.
        String fix = line(text, "fix (unsafe: assumes ");
        assertThat(fix).contains("O_DIRECT works on /var/lib/libvirt/images/app.raw");
        assertThat(assumes.get(0)).doesNotContain("O_DIRECT");
    }

    @Test
    void storageThatIgnoresFlushesIsNotCalledADeviceCache() {
        // ZFS sync=disabled (samples/config/hosts: zfs 2.3): the model keeps acknowledged writes
        // volatile for two transaction groups, 10 s; that is not a 64 MiB device cache.
        String text = Cli.run("lint", "samples/config/filesystems/zfs-2.3-none.xml").out();
        String loss = evidence(text).stream().filter(l -> l.startsWith("predicted on") && l.contains("~40 MB"))
                .findFirst().orElseThrow(() -> new AssertionError(text));
        assertThat(loss).contains("writes in the storage that does not honour flushes, which makes them"
                + " stable within 10 s (see the note), 10 s of the assumed 4 MB/s database workload")
                .doesNotContain("GiB").doesNotContain("volatile write cache");
    }

    @Test
    void anImageOnTmpfsUnderAnOverlayUpperLayerLosesEverything() throws IOException {
        Path host = write("overlay.yaml", "kernel: \"6.1.90\"\nmounts:\n  - path: \"/\"\n    fstype: overlay\n"
                + "    options: \"rw,lowerdir=/layers/l1,upperdir=/upper/diff,workdir=/upper/work\"\n"
                + "  - {path: /upper, fstype: tmpfs}\n");
        // cache='none': O_DIRECT is refused on tmpfs before Linux 6.6, so there is a finding.
        Path f = write("launcher.xml", domain("launcher", "4", fileDisk("disk", "none",
                "/var/lib/vm/launcher.raw", "vda", "virtio")));
        String text = Cli.run("lint", "--host", host.toString(), f.toString()).out();
        assertThat(line(text, "predicted")).isEqualTo("predicted on host crash and power loss: everything"
                + " written to the disk is lost, in every cache mode (/upper is tmpfs: its files are in host"
                + " RAM only)");
        assertThat(text).doesNotContain("host RAM caching");
    }

    @Test
    void anImageInHostRamHasNoSpeedRatiosAndItsJsonLossesAreNotTheRunsWrites() throws IOException {
        Path host = write("ram.yaml", "kernel: \"6.1.90\"\nmounts:\n  - {path: /, fstype: ext4}\n"
                + "  - {path: /srv/ram, fstype: tmpfs}\nimages:\n  - {path: /srv/ram/small.raw, size: 100000000}\n");
        Path f = write("bench.xml", domain("bench", "16", fileDisk("disk", "none",
                "/srv/ram/bench.raw", "vda", "virtio")));
        String text = Cli.run("lint", "--host", host.toString(), f.toString()).out();
        assertThat(line(text, "speed with")).isEqualTo("speed with cache='writeback': not modelled for an"
                + " image in host RAM (the model prices a device's writes and flushes; tmpfs has no device and"
                + " its fsync does nothing)");
        assertThat(text).doesNotContainPattern("[0-9.]+x (writes|reads)");
        String json = Cli.run("lint", "--format", "json", "--host", host.toString(), f.toString()).out();
        assertThat(json).contains("\"speedScale\": \"not modelled\"", "\"hostCrash\": null",
                "\"powerLoss\": null");
        // The fix's write ratio is not modelled either: no "(writes 0.5x)" from a device tmpfs lacks.
        assertThat(json).contains("\"fixWriteRatio\": null").contains("\"fix\": \"cache=");
        // With the size stated, everything written is at most the disk.
        Path small = write("small.xml", domain("small", "16", fileDisk("disk", "none",
                "/srv/ram/small.raw", "vda", "virtio")));
        String sized = Cli.run("lint", "--format", "json", "--host", host.toString(), small.toString()).out();
        assertThat(p95(sized, "current", "powerLoss")).isEqualTo(100_000_000L);
        assertThat(p95(sized, "current", "hostCrash")).isEqualTo(100_000_000L);
        String table = Cli.run("simulate", "--host", host.toString(), f.toString()).out();
        assertThat(table).contains("speeds not modelled for an image in host RAM")
                .doesNotContain("speeds are ratios");
    }

    @Test
    void theHostCacheIsBoundedByTheMemoryTheGuestLeaves() throws IOException {
        // A 64 GiB guest on a 64 GiB host: half the guest's memory (34 GB) cannot be cached
        // beside it; a 48 GiB guest leaves 16 GiB, less than half of it (24 GiB).
        Path host = write("h.yaml", "memory: 68719476736\n");
        Path big = write("big.xml", domain("big", "64", fileDisk("disk", "writeback",
                "/var/lib/libvirt/images/big.raw", "vda", "virtio")));
        String text = Cli.run("lint", "--host", host.toString(), big.toString()).out();
        assertThat(text).doesNotContain("~34 GB").doesNotContain("half the guest's");
        Path mid = write("mid.xml", domain("mid", "48", fileDisk("disk", "writeback",
                "/var/lib/libvirt/images/mid.raw", "vda", "virtio")));
        String json = Cli.run("lint", "--format", "json", "--host", host.toString(), mid.toString()).out();
        assertThat(json).contains("\"hostCacheDuplicateBytes\": " + (16L << 30));
        assertThat(line(Cli.run("lint", "--host", host.toString(), mid.toString()).out(), "predicted"))
                .isEqualTo("predicted host RAM caching what the guest caches too: ~" + twoFigures((16L << 30) / 1e9)
                        + " GB (at most the host memory the guest leaves, 64 GiB less the guest's 48 GiB),"
                        + " 0 B with cache='none'");
    }

    @Test
    void measuredSpeedsGiveBothModesAndTheOfferedRateApart() throws IOException {
        StringBuilder costs = new StringBuilder("costs:\n");
        DeviceCosts.builtIn().asMap().forEach((k, v) -> costs.append("  ").append(k).append(": ")
                .append(v).append('\n'));
        Path bench = write("bench.yaml", costs.toString());
        Path unsafe = write("db.xml", domain("db", "8", fileDisk("disk", "unsafe",
                "/srv/vm/db.raw", "vda", "virtio")));
        assertThat(line(Cli.run("lint", "--host", bench.toString(), unsafe.toString()).out(), "speed with"))
                .matches("speed with cache='none': [0-9.]+x writes, [0-9.]+x reads \\(database workload; as"
                        + " fast as its access pattern runs, at the scale measured on .*bench.yaml: writes"
                        + " [0-9.]+ MB/s now, [0-9.]+ MB/s with cache='none', reads [0-9.]+ MB/s now,"
                        + " [0-9.]+ MB/s; the losses take the workload's offered 4 MB/s\\)");
    }

    @Test
    void librbdsTextFollowsCephsOptions() throws IOException {
        // Ceph src/common/options/rbd.yaml.in: rbd_cache_policy defaults to writearound, and
        // rbd_cache_max_dirty_age is when writeback starts (writeback policy only).
        String rbd = """
                    <disk type='network' device='disk'>
                      <driver name='qemu' type='raw'/>
                      <source protocol='rbd' name='vms/app'>
                        <host name='mon1' port='6789'/>
                      </source>
                      <target dev='vda' bus='virtio'/>
                    </disk>""";
        String text = Cli.run("lint", write("rbd.xml", domain("rbd", "4", rbd)).toString()).out();
        assertThat(text).contains("rbd_cache_policy writearound")
                .contains("under the writeback policy writeback starts after rbd_cache_max_dirty_age, 1 s")
                .doesNotContain("for at most 1 s");
    }

    /** Digits that count in a figure: without a leading zero, a sign or the point. */
    private static int significant(String number) {
        String digits = number.replace(".", "").replaceFirst("^0+", "");
        // Trailing zeros of a whole number (140) are not significant.
        if (!number.contains(".")) {
            digits = digits.replaceFirst("0+$", "");
        }
        return digits.length();
    }

    @Test
    void everyFigureOverTheSamplesHasAtMostTwoSignificantFigures() {
        String text = Cli.run("lint", "samples/").out();
        Pattern figure = Pattern.compile("([0-9]+(?:\\.[0-9]+)?) ?(B|kB|MB|GB|TB|x|s|MB/s)\\b");
        int seen = 0;
        for (String l : evidence(text)) {
            if (!l.startsWith("predicted") && !l.startsWith("speed with")) {
                continue;
            }
            Matcher m = figure.matcher(l.replaceAll("vm\\.dirty_(background_)?ratio [0-9]+ %|[0-9]+ GiB memory"
                    + "|simulated [0-9]+ s run", ""));
            while (m.find()) {
                seen++;
                assertThat(significant(m.group(1))).as("%s in: %s", m.group(), l).isLessThanOrEqualTo(2);
            }
        }
        assertThat(seen).isGreaterThan(100);
        // Figures are decimal; a setting is quoted in its own unit beside the figure derived from
        // it (half the guest's 8 GiB memory): a whole
        // number, never a computed binary figure.
        List<String> figures = evidence(text).stream()
                .filter(l -> l.startsWith("predicted") || l.startsWith("speed with")).toList();
        String all = String.join("\n", figures);
        assertThat(all).doesNotContainPattern("[0-9]\\.[0-9]+ (KiB|MiB|GiB)")
                .doesNotContainPattern(": ~?[0-9.]+ (KiB|MiB|GiB)");
        Matcher binary = Pattern.compile("[0-9]+ (KiB|MiB|GiB)").matcher(all);
        while (binary.find()) {
            String before = all.substring(Math.max(0, binary.start() - 40), binary.start());
            assertThat(before).as(binary.group()).containsPattern(
                    "(the |guest's |assumed |GiB less |leaves, |memory, |cache, )$");
        }
    }
}
