package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.DiskDevice;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.Setting;
import dev.virtlint.model.SourceKind;
import dev.virtlint.model.SourceText;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DriveParserTest {

    private static Disk drive(String s) {
        List<Disk> disks = DriveParser.parseDrive(SourceText.of("t", s), MappedText.identity(s, 0), Dialect.DRIVE);
        assertThat(disks).hasSize(1);
        return disks.get(0);
    }

    /** Argument words separated by spaces; the spans of each word are offsets into the joined line. */
    private static List<Disk> argv(String line) throws ParseException {
        SourceText source = SourceText.of("t", line);
        return ArgsParser.parse(source, Dialect.ARGS);
    }

    private static String slice(String s, Disk d, Setting key) {
        var span = d.setting(key).orElseThrow().span();
        return s.substring(span.start(), span.end());
    }

    @ParameterizedTest
    @CsvSource({
        "writeback, true, false, false",
        "none, true, true, false",
        "off, true, true, false",
        "writethrough, false, false, false",
        "directsync, false, true, false",
        "unsafe, true, false, true"})
    void cachePresetSetsTheThreeSwitches(String mode, boolean writeback, boolean direct, boolean noFlush) {
        Disk d = drive("file=/vm.img,if=virtio,cache=" + mode);
        assertThat(d.cache()).isEqualTo(new CacheMode(writeback, direct, noFlush, true));
    }

    @Test
    void cdromsAreReadOnlyWhateverTheOptionsSay() throws ParseException {
        assertThat(drive("file=/iso/a.iso,media=cdrom,cache=unsafe").readonlyBy()).contains("cdrom");
        List<Disk> disks = argv("qemu-system-x86_64 -cdrom /iso/b.iso"
                + " -drive file=/iso/c.iso,if=none,id=c,cache=writeback -device scsi-cd,drive=c,id=cd1"
                + " -drive file=/iso/d.iso,if=none,id=d -device ide-cd,drive=d,id=cd2"
                + " -blockdev driver=file,node-name=e,filename=/iso/e.iso -device ide-cd,drive=e,id=cd3");
        assertThat(disks).hasSize(4).allSatisfy(d -> {
            assertThat(d.device()).isEqualTo(DiskDevice.CDROM);
            assertThat(d.readonly()).isTrue();
            assertThat(d.readonlyBy()).contains("cdrom");
            assertThat(d.noCacheAdvice()).contains("a CD-ROM, which libvirt and QEMU open read-only");
        });
        assertThat(drive("file=/vm/base.img,if=virtio,readonly=on").readonlyBy()).contains("stated");
        Disk writable = drive("file=/vm/a.img,if=virtio");
        assertThat(writable.readonly()).isFalse();
        assertThat(writable.readonlyBy()).isEmpty();
        assertThat(writable.noCacheAdvice()).isEmpty();
    }

    @Test
    void scsiBlockAndScsiGenericArePassthroughButVirtioBlkIsNot() throws ParseException {
        List<Disk> disks = argv("qemu-system-x86_64 -drive file=/dev/sdb,if=none,id=l0,cache=unsafe"
                + " -device scsi-block,drive=l0,id=lun0 -drive file=/dev/sg2,if=none,id=l1"
                + " -device scsi-generic,drive=l1,id=lun1 -drive file=/dev/sdc,if=none,id=h"
                + " -device virtio-blk-pci,drive=h,id=disk0");
        assertThat(disks.get(0).noCacheAdvice()).hasValueSatisfying(r -> assertThat(r).contains("SG_IO"));
        assertThat(disks.get(1).noCacheAdvice()).hasValueSatisfying(r -> assertThat(r).contains("SG_IO"));
        assertThat(disks.get(2).noCacheAdvice()).isEmpty();
    }

    @Test
    void theCdromShorthandRecordsNoBusPositionItDoesNotHave() throws ParseException {
        Disk d = argv("qemu-system-x86_64 -cdrom /iso/b.iso").get(0);
        assertThat(d.bus()).contains("ide");
        assertThat(d.setting(Setting.BUS)).isEmpty();
    }

    @Test
    void aDriveWithoutIfIsIdeOnlyWhereTheMachineDefaultsToIde() throws ParseException {
        // QEMU takes the machine's block_default_type: IF_IDE for x86 pc and q35 (the
        // MachineClass default), IF_VIRTIO on arm virt (hw/arm/virt.c) and s390-ccw-virtio.
        assertThat(argv("qemu-system-x86_64 -drive file=/a.img").get(0).busImplied()).isFalse();
        assertThat(argv("qemu-system-x86_64 -M q35 -hda /a.img").get(0).busImplied()).isFalse();
        assertThat(argv("qemu-system-x86_64 -machine type=pc-i440fx-8.2,accel=kvm"
                + " -drive file=/a.img").get(0).busImplied()).isFalse();
        Disk arm = argv("qemu-system-aarch64 -M virt -drive file=/a.img").get(0);
        assertThat(arm.busImplied()).isTrue();
        assertThat(arm.bus()).contains("ide"); // the JSON report and disk names are unchanged
        assertThat(argv("qemu-system-s390x -hda /a.img").get(0).busImplied()).isTrue();
        assertThat(argv("qemu-system-x86_64 -M microvm -drive file=/a.img").get(0).busImplied())
                .isTrue();
        // A written interface, or a -device, says what it is.
        assertThat(argv("qemu-system-aarch64 -M virt -drive file=/a.img,if=virtio").get(0)
                .busImplied()).isFalse();
        assertThat(drive("file=/a.img").busImplied()).isTrue();
        assertThat(drive("file=/a.img,if=ide").busImplied()).isFalse();
    }

    @Test
    void noCacheOptionMeansTheImplicitWritebackDefault() {
        Disk d = drive("file=/vm.img,if=virtio");
        assertThat(d.cache()).isEqualTo(CacheMode.DEFAULT);
        assertThat(d.cache().modeName()).isEqualTo("writeback");
        assertThat(d.cache().explicit()).isFalse();
    }

    @Test
    void specificSwitchesTakePrecedenceOverTheMode() {
        Disk d = drive("file=/vm.img,cache.direct=off,cache=none");
        assertThat(d.cache()).isEqualTo(new CacheMode(true, false, false, true));
        assertThat(drive("file=/vm.img,cache=unsafe,cache.no-flush=off").cache().modeName()).isEqualTo("writeback");
        assertThat(drive("file=/vm.img,cache=none,cache.writeback=off").cache().modeName()).isEqualTo("directsync");
    }

    @Test
    void switchesAloneChangeTheDefault() {
        assertThat(drive("file=/vm.img,cache.direct=on").cache()).isEqualTo(new CacheMode(true, true, false, true));
        assertThat(drive("file=/vm.img,cache.no-flush=on").cache().modeName()).isEqualTo("unsafe");
        assertThat(drive("file=/vm.img,cache.writeback=off").cache().modeName()).isEqualTo("writethrough");
        assertThat(drive("file=/vm.img,cache.writeback=off,cache.no-flush=on").cache().modeName()).isEqualTo("custom");
    }

    @Test
    void everyOptionValueHasItsOwnSpan() {
        String s = "file=/srv/a,,b.img,if=virtio,format=qcow2,cache=unsafe,aio=native,discard=unmap,"
                + "detect-zeroes=unmap,readonly=off,snapshot=on,id=data0,cache.direct=off";
        Disk d = drive(s);
        assertThat(slice(s, d, Setting.SOURCE)).isEqualTo("/srv/a,,b.img");
        assertThat(d.source()).contains("/srv/a,b.img");
        assertThat(slice(s, d, Setting.CACHE)).isEqualTo("unsafe");
        assertThat(slice(s, d, Setting.IO)).isEqualTo("native");
        assertThat(slice(s, d, Setting.DISCARD)).isEqualTo("unmap");
        assertThat(slice(s, d, Setting.DETECT_ZEROES)).isEqualTo("unmap");
        assertThat(slice(s, d, Setting.FORMAT)).isEqualTo("qcow2");
        assertThat(slice(s, d, Setting.BUS)).isEqualTo("virtio");
        assertThat(slice(s, d, Setting.TRANSIENT)).isEqualTo("on");
        assertThat(slice(s, d, Setting.TARGET)).isEqualTo("data0");
        assertThat(slice(s, d, Setting.CACHE_DIRECT)).isEqualTo("off");
        assertThat(d.isTransient()).isTrue();
        assertThat(d.target()).isEqualTo("data0");
        assertThat(d.io()).contains("native");
    }

    @Test
    void unnamedDrivesAreNamedAfterInterfaceAndIndex() {
        assertThat(drive("file=/a.img,if=virtio").target()).isEqualTo("virtio0");
        assertThat(drive("file=/a.img").target()).isEqualTo("ide0-hd0");
        assertThat(drive("file=/a.iso,media=cdrom,index=2").target()).isEqualTo("ide1-cd0");
    }

    @Test
    void networkFileValuesAreNetworkSources() {
        Disk d = drive("file=rbd:pool/image:id=admin,format=raw,if=virtio");
        assertThat(d.sourceKind()).isEqualTo(SourceKind.NETWORK);
        assertThat(d.protocol()).contains("rbd");
        Disk n = drive("file=nbd://backup.example.net:10809/export,if=virtio");
        assertThat(n.host()).contains("backup.example.net:10809");
        assertThat(drive("file=/dev/sdb,if=virtio").sourceKind()).isEqualTo(SourceKind.BLOCK);
    }

    @Test
    void jsonBlockdevJoinsWithItsDeviceIntoOneDisk() throws ParseException {
        String line = "qemu -blockdev '{\"driver\":\"file\",\"filename\":\"/img/a.qcow2\",\"node-name\":\"s\","
                + "\"cache\":{\"direct\":true,\"no-flush\":false}}'"
                + " -blockdev '{\"node-name\":\"f\",\"read-only\":false,\"cache\":{\"direct\":true,\"no-flush\":false},"
                + "\"driver\":\"qcow2\",\"file\":\"s\"}'"
                + " -device '{\"driver\":\"virtio-blk-pci\",\"drive\":\"f\",\"id\":\"virtio-disk0\",\"write-cache\":\"off\"}'";
        List<Disk> disks = argv(line);
        assertThat(disks).hasSize(1);
        Disk d = disks.get(0);
        assertThat(d.cache()).isEqualTo(new CacheMode(false, true, false, true));
        assertThat(d.cache().modeName()).isEqualTo("directsync");
        assertThat(d.target()).isEqualTo("virtio-disk0");
        assertThat(d.format()).contains("qcow2");
        assertThat(d.source()).contains("/img/a.qcow2");
        assertThat(d.bus()).contains("virtio");
        assertThat(slice(line, d, Setting.WRITE_CACHE)).isEqualTo("off");
        assertThat(slice(line, d, Setting.CACHE_DIRECT)).isEqualTo("true");
        assertThat(slice(line, d, Setting.SOURCE)).isEqualTo("/img/a.qcow2");
        assertThat(line.substring(d.span().start(), d.span().start() + 11)).isEqualTo("{\"driver\":\"");
    }

    @Test
    void keyValueBlockdevAndDeviceAreReadLikeJson() throws ParseException {
        String line = "qemu -blockdev driver=file,node-name=s,filename=/img/b.raw,cache.direct=off,cache.no-flush=on"
                + " -device virtio-blk-pci,drive=s,id=d1,write-cache=on";
        Disk d = argv(line).get(0);
        assertThat(d.cache().modeName()).isEqualTo("unsafe");
        assertThat(d.format()).contains("raw");
        assertThat(slice(line, d, Setting.CACHE_NO_FLUSH)).isEqualTo("on");
    }

    @Test
    void nestedJsonFileNodeIsFollowed() throws ParseException {
        String line = "qemu -blockdev '{\"driver\":\"qcow2\",\"node-name\":\"top\",\"file\":{\"driver\":\"file\","
                + "\"filename\":\"/img/n.qcow2\",\"cache\":{\"no-flush\":true}}}' -device virtio-blk-pci,drive=top,id=x";
        Disk d = argv(line).get(0);
        assertThat(d.source()).contains("/img/n.qcow2");
        assertThat(d.cache().noFlush()).isTrue();
        assertThat(d.format()).contains("qcow2");
    }

    /** A qcow2 node over a file node, in JSON, each with its own cache object (or none). */
    private static String graph(String fileCache, String formatCache, String device) {
        return "qemu -blockdev '{\"driver\":\"file\",\"filename\":\"/img/g.qcow2\",\"node-name\":\"s\""
                + (fileCache == null ? "" : ",\"cache\":" + fileCache) + "}'"
                + " -blockdev '{\"driver\":\"qcow2\",\"node-name\":\"f\",\"file\":\"s\""
                + (formatCache == null ? "" : ",\"cache\":" + formatCache) + "}'"
                + " -device '{\"driver\":\"virtio-blk-pci\",\"drive\":\"f\",\"id\":\"vd0\"" + device + "}'";
    }

    @Test
    void oDirectIsTheFileNodesNotTheFormatNodes() throws ParseException {
        String line = graph("{\"direct\":false}", "{\"direct\":true}", "");
        Disk d = argv(line).get(0);
        assertThat(d.cache().direct()).isFalse();
        assertThat(d.cache().explicit()).isTrue();
        // The switch that acts is the file node's: its position is inside the first -blockdev.
        assertThat(d.setting(Setting.CACHE_DIRECT).orElseThrow().span().start()).isLessThan(line.indexOf("\"driver\":\"qcow2\""));
        assertThat(d.inertCacheOptions()).singleElement()
                .satisfies(o -> assertThat(o.where()).isEqualTo("on node f"));
        assertThat(d.cacheNote()).hasValueSatisfying(n -> assertThat(n)
                .isEqualTo("cache.direct=true on node f has no effect: O_DIRECT is decided by node s, which opens the image"));

        Disk other = argv(graph("{\"direct\":true}", "{\"direct\":false}", "")).get(0);
        assertThat(other.cache().direct()).isTrue();
    }

    @Test
    void aFormatNodeWithoutFlushesStillFlushesItsFileNode() throws ParseException {
        Disk d = argv(graph("{\"direct\":true,\"no-flush\":false}", "{\"direct\":true,\"no-flush\":true}", "")).get(0);
        assertThat(d.cache()).isEqualTo(new CacheMode(true, true, false, true));
        Disk onFormatOnly = argv(graph(null, "{\"no-flush\":true}", "")).get(0);
        assertThat(onFormatOnly.cache()).isEqualTo(CacheMode.DEFAULT);
    }

    @Test
    void aFileNodeWithoutFlushesLosesThemWhateverTheFormatNodeSays() throws ParseException {
        Disk d = argv(graph("{\"no-flush\":true}", "{\"no-flush\":false}", "")).get(0);
        assertThat(d.cache().noFlush()).isTrue();
        assertThat(d.cacheOptions()).singleElement().satisfies(o -> {
            assertThat(o.key()).isEqualTo("cache.no-flush");
            assertThat(o.value()).isEqualTo("true");
            assertThat(o.where()).isEqualTo("on node s");
        });
    }

    @Test
    void theGuestSeesTheDevicesWriteCacheElseOn() throws ParseException {
        assertThat(argv(graph("{\"direct\":true}", null, ",\"write-cache\":\"off\"")).get(0).cache())
                .isEqualTo(new CacheMode(false, true, false, true));
        assertThat(argv(graph("{\"direct\":true}", null, ",\"write-cache\":\"on\"")).get(0).cache())
                .isEqualTo(new CacheMode(true, true, false, true));
        assertThat(argv(graph("{\"direct\":true}", null, "")).get(0).cache().writeback()).isTrue();
    }

    @Test
    void anInlineFileChildInheritsTheSwitchesItDoesNotSet() throws ParseException {
        Disk json = argv("qemu -blockdev '{\"driver\":\"qcow2\",\"node-name\":\"t\",\"cache\":{\"direct\":true},"
                + "\"file\":{\"driver\":\"file\",\"filename\":\"/img/i.qcow2\"}}' -device virtio-blk-pci,drive=t,id=x")
                .get(0);
        assertThat(json.cache().direct()).isTrue();
        assertThat(json.inertCacheOptions()).isEmpty();
        Disk dotted = argv("qemu -blockdev driver=qcow2,node-name=t,cache.direct=on,file.driver=file,"
                + "file.filename=/img/i.qcow2 -device virtio-blk-pci,drive=t,id=x").get(0);
        assertThat(dotted.cache().direct()).isTrue();
        Disk own = argv("qemu -blockdev driver=qcow2,node-name=t,cache.direct=on,file.driver=file,"
                + "file.filename=/img/i.qcow2,file.cache.direct=off -device virtio-blk-pci,drive=t,id=x").get(0);
        assertThat(own.cache().direct()).isFalse();
        assertThat(own.cacheOptions()).singleElement().satisfies(o -> assertThat(o.key()).isEqualTo("file.cache.direct"));
    }

    @Test
    void theDottedFormReadsTheGraphLikeJson() throws ParseException {
        Disk d = argv("qemu -blockdev driver=file,node-name=s,filename=/img/k.qcow2,cache.direct=off"
                + " -blockdev driver=qcow2,node-name=f,file=s,cache.direct=on,cache.no-flush=on"
                + " -device virtio-blk-pci,drive=f,id=k").get(0);
        assertThat(d.cache()).isEqualTo(new CacheMode(true, false, false, true));
        assertThat(d.inertCacheOptions()).hasSize(2);
    }

    @Test
    void detectZeroesAndDiscardAreReadFromTheSameNode() throws ParseException {
        Disk d = argv("qemu -blockdev '{\"driver\":\"file\",\"filename\":\"/img/z\",\"node-name\":\"s\","
                + "\"discard\":\"unmap\"}' -blockdev '{\"driver\":\"qcow2\",\"node-name\":\"f\",\"file\":\"s\","
                + "\"detect-zeroes\":\"unmap\"}' -device virtio-blk-pci,drive=f,id=z").get(0);
        assertThat(d.detectZeroes()).contains("unmap");
        assertThat(d.discard()).isEmpty();
    }

    @Test
    void blockdevWithoutCacheKeysOrWriteCacheIsTheDefault() throws ParseException {
        Disk d = argv("qemu -blockdev '{\"driver\":\"file\",\"filename\":\"/a\",\"node-name\":\"n\"}'"
                + " -device virtio-blk-pci,drive=n,id=v").get(0);
        assertThat(d.cache()).isEqualTo(CacheMode.DEFAULT);
    }

    @Test
    void legacyDriveTakesWriteCacheFromItsDevice() throws ParseException {
        String line = "qemu -drive file=/a.img,format=raw,if=none,id=drive-virtio-disk0,cache=writethrough"
                + " -device virtio-blk-pci,drive=drive-virtio-disk0,id=virtio-disk0,write-cache=on";
        Disk d = argv(line).get(0);
        assertThat(d.cache().modeName()).isEqualTo("writeback");
        assertThat(d.target()).isEqualTo("virtio-disk0");
        assertThat(d.dialect()).isEqualTo(Dialect.ARGS);
    }

    @Test
    void unattachedIfNoneDrivesAndFirmwareAreNotDisks() throws ParseException {
        assertThat(argv("qemu -drive file=/a.img,if=none,id=x -drive file=/OVMF.fd,if=pflash,readonly=on")).isEmpty();
    }

    @Test
    void floppyControllerPropertiesAttachDrives() throws ParseException {
        List<Disk> disks = argv("qemu -drive file=/f.img,format=raw,if=none,id=drive-fdc0-0-0"
                + " -device isa-fdc,driveA=drive-fdc0-0-0,bootindexA=1");
        assertThat(disks).hasSize(1);
        assertThat(disks.get(0).device()).isEqualTo(DiskDevice.FLOPPY);
    }

    @Test
    void emptyCdromKeepsItsWriteCache() throws ParseException {
        Disk d = argv("qemu -device '{\"driver\":\"ide-cd\",\"bus\":\"ide.1\",\"id\":\"ide0-1-0\",\"write-cache\":\"off\"}'").get(0);
        assertThat(d.isEmptyRemovable()).isTrue();
        assertThat(d.cache().writeback()).isFalse();
    }

    @Test
    void malformedJsonIsAnErrorAtItsPosition() {
        String line = "qemu -blockdev '{\"driver\":\"file\",\"filename\" \"/a\"}'";
        assertThatThrownBy(() -> argv(line))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("expected ':'")
                .satisfies(e -> assertThat(((ParseException) e).position().column()).isEqualTo(line.indexOf("\"/a\"") + 1));
    }

    @Test
    void jsonNestedDeeperThanQemusLimitIsAnErrorNotAStackOverflow() throws ParseException {
        String deep = "{\"file\":".repeat(3000) + "{}" + "}".repeat(3000);
        String line = "qemu -blockdev '{\"node-name\":\"n\",\"file\":" + deep + "}'";
        assertThatThrownBy(() -> argv(line))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("nested deeper than 1024");
        String ok = "{\"a\":".repeat(1023) + "1" + "}".repeat(1023);
        argv("qemu -blockdev '" + ok + "'");
    }

    @Test
    void shorthandDriveOptionsAreDisks() throws ParseException {
        List<Disk> disks = argv("qemu -hda /vm/a.img -cdrom /iso/b.iso");
        assertThat(disks).extracting(Disk::device).containsExactly(DiskDevice.DISK, DiskDevice.CDROM);
        assertThat(Arrays.asList(disks.get(0).cache().explicit())).containsExactly(false);
    }

    // Values read the way QEMU reads them (block.c, blockdev.c, util/qapi-util.c).

    @ParameterizedTest
    @CsvSource({"on, unmap", "unmap, unmap", "off, ignore", "ignore, ignore"})
    void discardOnAndOffAreQemusSpellingsOfUnmapAndIgnore(String written, String read) {
        Disk d = drive("file=/vm.img,if=virtio,cache=none,discard=" + written);
        assertThat(d.discard()).contains(read);
        assertThat(d.refused()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"readonly=on", "read-only=on", "read-only=yes", "readonly=true"})
    void readOnlyIsReadInBothSpellingsAndEveryBooleanForm(String option) {
        Disk d = drive("file=/vm.img,if=virtio," + option);
        assertThat(d.readonly()).isTrue();
        assertThat(d.setting(Setting.READONLY)).isPresent();
        assertThat(d.refused()).isEmpty();
    }

    @Test
    void cacheDirectTakesTheWiderBooleanSpellings() {
        Disk d = drive("file=/vm.img,if=virtio,cache.direct=yes,cache.no-flush=n,"
                + "cache.writeback=true");
        assertThat(d.cache()).isEqualTo(new CacheMode(true, true, false, true));
        assertThat(d.refused()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "cache=unsafee, cache, unsafee, unsafe",
        "cache=None, cache, None, none",
        "cache=invalid, cache, invalid, ",
        "aio=nativ, aio, nativ, native",
        "discard=yes, discard, yes, ",
        "detect-zeroes=unamp, detect-zeroes, unamp, unmap",
        "if=virtoi, if, virtoi, virtio",
        "media=cd, media, cd, ",
        "snapshot=maybe, snapshot, maybe, ",
        "format=qcow3, format, qcow3, qcow2"})
    void aValueQemuRefusesIsRecordedAtTheValueWithTheClosestNames(String option, String key,
                                                                 String value, String first) {
        String s = "file=/vm.img,if=virtio," + option;
        Disk d = drive(s);
        assertThat(d.refused()).hasSize(1);
        var r = d.refused().get(0);
        assertThat(r.name()).isEqualTo(key);
        assertThat(r.value()).isEqualTo(value);
        assertThat(r.unknownName()).isFalse();
        assertThat(s.substring(r.span().start(), r.span().end())).isEqualTo(value);
        if (first == null) {
            assertThat(r.closest()).isEmpty();
        } else {
            assertThat(r.closest()).first().isEqualTo(first);
        }
    }

    @Test
    void anInvalidCacheValueIsNoModeNotAPreset() {
        assertThat(drive("file=/vm.img,if=virtio,cache=None").cache().explicit()).isFalse();
    }

    @Test
    void anOptionNameCloseToADriveOptionIsRecordedAtTheName() {
        String s = "file=/vm.img,if=virtio,cahce=none,cache.dirct=on";
        Disk d = drive(s);
        assertThat(d.refused()).extracting(r -> r.name()).containsExactly("cahce", "cache.dirct");
        assertThat(d.refused()).allMatch(r -> r.unknownName());
        var first = d.refused().get(0);
        assertThat(s.substring(first.span().start(), first.span().end())).isEqualTo("cahce");
        assertThat(first.closest()).containsExactly("cache");
        assertThat(d.refused().get(1).closest()).containsExactly("cache.direct");
    }

    @Test
    void driverOptionsChildOptionsAndFarNamesAreNotReported() {
        // l2-cache-size is qcow2's, locking a file node's, and a name far from every -drive option
        // may belong to a block driver virtlint does not list.
        Disk d = drive("file=/vm.qcow2,if=virtio,format=qcow2,cache=none,l2-cache-size=8M,"
                + "file.locking=off,file.cahce=x,x-check-cache-dropped=on,frobnicate=1,werror=stop,"
                + "serial=abc,nosnapshot");
        assertThat(d.refused()).isEmpty();
    }

    @Test
    void aValueALaunchScriptLeavesToAVariableIsNotRefusedAndTheDiskGetsNoAdvice() throws ParseException {
        // ArgsParser keeps ${CACHE:-none} as written; QEMU would see what the shell makes of it.
        List<Disk> disks = argv("qemu -drive file=/a.img,if=none,id=d0,cache=$CACHE,aio=${AIO:-threads}"
                + " -device virtio-blk-pci,drive=d0,write-cache=$WCE -drive file=/b.img,if=virtio,$OPT=on");
        assertThat(disks.get(0).refused()).isEmpty();
        assertThat(disks.get(0).noCacheAdvice()).hasValueSatisfying(
                why -> assertThat(why).contains("cache=$CACHE", "write-cache=$WCE", "left to the shell"));
        assertThat(disks.get(1).refused()).isEmpty();
        // An option named by a variable may be a cache switch (OPT=cache.direct).
        assertThat(disks.get(1).noCacheAdvice()).hasValueSatisfying(why -> assertThat(why).contains("$OPT"));
        assertThat(drive("file=/c.img,if=virtio,cache=nonee").refused()).hasSize(1);
        // An item that is a variable as a whole may hold cache=unsafe: a cache= appended after it
        // would override it (QEMU takes the last of two).
        assertThat(argv("qemu -drive file=/d.img,if=virtio,$CACHE_OPT").get(0).noCacheAdvice())
                .hasValueSatisfying(why -> assertThat(why).contains("$CACHE_OPT", "left to the shell"));
        assertThat(argv("qemu -drive file=$IMG,if=virtio").get(0).noCacheAdvice()).isEmpty();
        assertThat(argv("qemu -blockdev driver=file,node-name=f,filename=/e.raw,$BD_OPTS"
                + " -blockdev driver=raw,node-name=r,file=f -device virtio-blk-pci,drive=r").get(0)
                .noCacheAdvice()).hasValueSatisfying(why -> assertThat(why).contains("$BD_OPTS"));
        assertThat(argv("qemu -drive file=/f.img,if=none,id=d9,cache=none"
                + " -device virtio-blk-pci,drive=d9,$DEV_OPTS").get(0).noCacheAdvice()).hasValueSatisfying(why -> assertThat(why).contains("$DEV_OPTS"));
    }

    @Test
    void writeCacheIsAnOnOffAutoProperty() throws ParseException {
        List<Disk> disks = argv("qemu -drive file=/a.img,if=none,id=d0,cache=none"
                + " -device virtio-blk-pci,drive=d0,write-cache=yes"
                + " -drive file=/b.img,if=none,id=d1,cache=none"
                + " -device virtio-blk-pci,drive=d1,write-cache=off");
        assertThat(disks.get(0).refused()).extracting(r -> r.name() + "=" + r.value())
                .containsExactly("write-cache=yes");
        assertThat(disks.get(0).cache().writeback()).isTrue();
        assertThat(disks.get(1).refused()).isEmpty();
        assertThat(disks.get(1).cache().writeback()).isFalse();
    }

    @Test
    void editDistanceCountsASwapOfNeighboursAsOne() {
        assertThat(Accepted.distance("cahce", "cache")).isEqualTo(1);
        assertThat(Accepted.distance("unsafee", "unsafe")).isEqualTo(1);
        assertThat(Accepted.distance("writeback", "writethrough")).isGreaterThan(2);
        assertThat(Accepted.closest("writeback-please", Accepted.QEMU_CACHE, true))
                .containsExactly("writeback");
        assertThat(Accepted.closest("writeback-please", Accepted.QEMU_CACHE, false)).isEmpty();
    }

    @Test
    void unnamedDrivesAreNamedByTheirSlotAsQemuDoes() throws ParseException {
        // blockdev.c drive_new: index -> bus/unit, else the first free unit; "%s%i%s%i" with -cd/-hd.
        List<Disk> disks = argv("qemu -drive file=/a.iso,media=cdrom,index=1 -drive file=/b.img"
                + " -drive file=/c.iso,media=cdrom -drive file=/d.iso,media=cdrom"
                + " -drive file=/e.img,if=virtio -drive file=/f.img,if=virtio,index=3 -drive file=/g.img,if=virtio"
                + " -drive file=/h.img,if=scsi,index=9 -drive file=/i.img,if=scsi,bus=2"
                + " -drive file=/j.img,if=floppy -drive file=/k.img,if=sd -fdb /l.img");
        assertThat(disks).extracting(Disk::target).containsExactly("ide0-cd1", "ide0-hd0", "ide1-cd0", "ide1-cd1",
                "virtio0", "virtio3", "virtio1", "scsi1-hd2", "scsi2-hd0", "floppy0", "sd0", "floppy1");
    }

    @Test
    void theLegacyCdromIsIndexTwo() throws ParseException {
        List<Disk> disks = argv("qemu -cdrom /a.iso -drive file=/b.img -drive file=/c.img -hdd /d.img");
        assertThat(disks).extracting(Disk::target).containsExactly("ide1-cd0", "ide0-hd0", "ide0-hd1", "ide1-hd1");
    }
}
