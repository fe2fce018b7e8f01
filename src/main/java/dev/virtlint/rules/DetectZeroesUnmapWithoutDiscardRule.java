package dev.virtlint.rules;

import java.util.List;
import org.dom4j.Attribute;
import org.dom4j.Element;

/**
 * {@code detect_zeroes='unmap'} needs {@code discard='unmap'} on the same {@code <driver>}: without
 * it libvirt passes {@code detect-zeroes=on} (libvirt {@code virDomainDiskGetDetectZeroesMode}),
 * and QEMU refuses the option on a node whose discard is not {@code unmap} (QEMU {@code block.c}
 * {@code bdrv_parse_detect_zeroes}). The disk is read as its {@code <disk>} element ({@link
 * DiskView}), which a QEMU string gets written the way libvirt would write it, so one check covers
 * {@code -drive detect-zeroes=} and {@code discard=} as well.
 */
final class DetectZeroesUnmapWithoutDiscardRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("detect-zeroes-unmap-without-discard",
            "detect_zeroes='unmap' without discard='unmap' is silently downgraded to 'on'",
            Severity.WARNING, "speed");

    @Override
    public RuleMeta info() {
        return META;
    }

    private static final String UNMAP = "unmap";

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        // Read-only disks never write zeroes, so only writable ones matter.
        if (!c.writable()) {
            return;
        }
        DiskView view = c.view().get();
        for (Element driver : view.element().elements()) {
            if (!driver.getName().equals("driver") || !driver.getNamespaceURI().isEmpty()) {
                continue;
            }
            Attribute zeroes = attribute(driver, "detect_zeroes");
            Attribute discard = attribute(driver, "discard");
            if (zeroes != null && zeroes.getValue().equals(UNMAP)
                    && (discard == null || !discard.getValue().equals(UNMAP))) {
                out.add(finding(c, view, driver, zeroes));
            }
        }
    }

    /** The attribute of that name in no namespace, as an XPath name test without prefix finds. */
    private static Attribute attribute(Element owner, String name) {
        for (Attribute a : owner.attributes()) {
            if (a.getName().equals(name) && a.getNamespaceURI().isEmpty()) {
                return a;
            }
        }
        return null;
    }

    private Finding finding(DiskCheck c, DiskView view, Element driver, Attribute zeroes) {
        String setting = view.render(driver, zeroes.getName(), zeroes.getValue());
        boolean qemu = !c.disk().dialect().libvirt();
        String message = qemu
                ? c.name() + " sets " + setting + " but does not set discard=unmap on the same"
                        + " drive or node: QEMU refuses to open it (\"setting detect-zeroes to"
                        + " unmap is not allowed without setting discard operation to unmap\"), so"
                        + " the VM does not start"
                : c.name() + " sets " + setting + " but does not set discard to unmap: libvirt"
                        + " then passes detect-zeroes=on, so zeroed blocks are written out instead"
                        + " of being freed";
        // The fix sets discard='unmap' on the same element, when the source has an option for it.
        // It is safe (Finding#fixAssumptions stays empty): it rests only on what the file says
        // (detect_zeroes='unmap' asks for freed blocks), and it cannot stop the VM from starting,
        // since QEMU takes discard=unmap on every image (block.c bdrv_parse_discard_flags) and a
        // driver that cannot discard answers -ENOTSUP, which block/io.c bdrv_co_pdiscard ignores.
        String fix = null;
        List<Edit> edits = List.of();
        String discardName = view.sourceName(driver, "discard").orElse(null);
        if (discardName != null) {
            String old = driver.attributeValue("discard");
            String now = view.render(driver, "discard", UNMAP);
            fix = old == null ? "add " + now : view.render(driver, "discard", old) + " -> " + now;
            edits = List.of(new Edit(view.spanOf(driver), discardName, UNMAP));
        }
        Severity severity = qemu ? Severity.ERROR : info().severity();
        return new Finding(id(), severity, message, view.spanOf(zeroes), c.disk(),
                c.advice().orElse(null), fix, edits);
    }
}
