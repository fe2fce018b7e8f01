package dev.virtlint.sweep;

import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Disk;
import dev.virtlint.model.DiskDevice;
import java.util.Optional;
import org.dom4j.Element;

/**
 * Known libvirt behaviours that make the command line differ from the XML, each said in one line.
 * Every explanation checks the condition it names, so an unrelated difference still fails.
 */
final class Explanations {

    private Explanations() {
    }

    /** Why an XML disk has no counterpart on the command line, if libvirt means it so. */
    static Optional<String> unmatched(Disk xml, ParsedFile file) {
        Element disk = element(xml, file);
        if (disk == null) {
            return Optional.empty();
        }
        Element transientDisk = disk.element("transient");
        if (transientDisk != null && "yes".equals(transientDisk.attributeValue("shareBacking"))) {
            return Optional.of("<transient shareBacking='yes'/>: libvirt hot-plugs the disk after start,"
                    + " so it is not on the command line");
        }
        Element source = disk.element("source");
        if (source != null && "optional".equals(source.attributeValue("startupPolicy"))) {
            return Optional.of("startupPolicy='optional' on a source that is missing: libvirt drops the disk");
        }
        return Optional.empty();
    }

    /** Why the cache switches of a matched pair differ, if libvirt means it so. */
    static Optional<String> differs(Disk xml, Disk args, ParsedFile file) {
        if (xml.shareable() && !xml.readonly() && !xml.cache().explicit()
                && args.cache().modeName().equals("none")) {
            return Optional.of("writable <shareable/> disk without cache: libvirt uses cache='none'");
        }
        if (xml.isEmptyRemovable() && xml.cache().writeback() == args.cache().writeback()
                && !args.cache().direct() && !args.cache().noFlush()) {
            return Optional.of("empty " + xml.device().id() + " has no image to open: only write-cache reaches QEMU");
        }
        if (xml.device() == DiskDevice.LUN && xml.cache().direct() == args.cache().direct()
                && xml.cache().noFlush() == args.cache().noFlush()) {
            return Optional.of("device='lun' has no write-cache: the guest sees the real device's cache");
        }
        return Optional.empty();
    }

    private static Element element(Disk disk, ParsedFile file) {
        if (file.tree() == null) {
            return null;
        }
        Element devices = file.tree().document().getRootElement().element("devices");
        if (devices == null) {
            return null;
        }
        for (Element e : devices.elements("disk")) {
            if (file.tree().tagSpan(e).equals(disk.span())) {
                return e;
            }
        }
        return null;
    }
}
