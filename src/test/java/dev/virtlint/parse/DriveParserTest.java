package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.DiskDevice;
import dev.virtlint.model.Origin;
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
        List<Disk> disks = DriveParser.parseDrive(SourceText.of("t", s), MappedText.identity(s, 0), Origin.DRIVE);
        assertThat(disks).hasSize(1);
        return disks.get(0);
    }

    /** Argument words separated by spaces; the spans of each word are offsets into the joined line. */
    private static List<Disk> argv(String line) throws ParseException {
        SourceText source = SourceText.of("t", line);
        return ArgsParser.parse(source, Origin.ARGS);
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
        assertThat(d.origin()).isEqualTo(Origin.ARGS);
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
