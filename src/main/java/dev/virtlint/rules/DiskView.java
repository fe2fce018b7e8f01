package dev.virtlint.rules;

import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Located;
import dev.virtlint.model.Setting;
import dev.virtlint.model.SourceKind;
import dev.virtlint.model.Span;
import dev.virtlint.parse.XmlTree;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.dom4j.Attribute;
import org.dom4j.Document;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Node;

/**
 * A disk as a {@code <disk>} element, for declarative rules. A disk from domain XML is its own
 * element in the parsed document. A disk from a QEMU string gets a {@code <disk>} written the way
 * libvirt would write it, inside a {@code <domain>}, and every node of it remembers which option it
 * stands for, so an XPath written against libvirt's format works on both and points into the source.
 */
final class DiskView {

    private final Disk disk;
    private final Element element;
    private final XmlTree tree;
    private final Map<Node, Span> spans;

    private DiskView(Disk disk, Element element, XmlTree tree, Map<Node, Span> spans) {
        this.disk = disk;
        this.element = element;
        this.tree = tree;
        this.spans = spans;
    }

    /**
     * The view of a disk; {@code tree} is the file's XML tree, or null for files that are not XML.
     * A disk that is an element of the tree is viewed as that element; any other (a QEMU string,
     * even one inside {@code <qemu:commandline>}, whose span is an attribute's value) is written.
     */
    public static DiskView of(Disk disk, XmlTree tree, String domainName) {
        if (tree != null) {
            Optional<Element> e = tree.elementAt(disk.span());
            if (e.isPresent()) {
                return new DiskView(disk, e.get(), tree, Map.of());
            }
        }
        return synthesize(disk, domainName);
    }

    /** The {@code <disk>} element; its document is the whole domain. */
    public Element element() {
        return element;
    }

    public Disk disk() {
        return disk;
    }

    /** Whether the element is the source's own XML (not one written for a QEMU string). */
    public boolean isSourceXml() {
        return tree != null;
    }

    /** Where a node of the view sits in the source. */
    public Span spanOf(Node node) {
        if (tree != null) {
            return tree.spanOf(node);
        }
        for (Node n = node; n != null; n = n instanceof Attribute a ? a.getParent() : n.getParent()) {
            Span s = spans.get(n);
            if (s != null) {
                return s;
            }
        }
        return disk.span();
    }

    /**
     * The name an attribute of the view has in the source, as the disk's dialect names it: the
     * attribute's own name for XML, the QEMU option it stands for ({@code detect_zeroes} ->
     * {@code detect-zeroes}); empty when the source's syntax has no name for it.
     */
    public Optional<String> sourceName(Element owner, String attribute) {
        return Optional.ofNullable(disk.dialect().nameOfLibvirt(owner.getName(), attribute));
    }

    /** How an attribute reads in a message, as the disk's dialect writes it. */
    public String render(Element owner, String attribute, String value) {
        if (!disk.dialect().presetsOnly() && owner.getName().equals("driver")
                && attribute.equals("cache")
                && value.equals(owner.attributeValue("cache")) && !disk.cacheOptions().isEmpty()) {
            // The mode as the QEMU string writes it (cache.direct=off,...), not a name it does not use.
            return DiskCheck.describe(disk.dialect(), disk.cacheOptions());
        }
        String name = sourceName(owner, attribute).orElse(attribute);
        return disk.dialect().render(name, value);
    }

    private static DiskView synthesize(Disk disk, String domainName) {
        Map<Node, Span> spans = new IdentityHashMap<>();
        Document doc = DocumentHelper.createDocument();
        Element domain = doc.addElement("domain").addAttribute("type", "kvm");
        if (domainName != null) {
            domain.addElement("name").setText(domainName);
        }
        Element d = domain.addElement("devices").addElement("disk");
        spans.put(d, disk.span());
        d.addAttribute("type", disk.sourceKind().id());
        d.addAttribute("device", disk.device().id());
        put(spans, d, "device", disk, Setting.DEVICE);
        Element driver = d.addElement("driver").addAttribute("name", "qemu");
        spans.put(driver, disk.setting(Setting.DRIVER).map(Located::span).orElse(disk.span()));
        disk.format().ifPresent(f -> {
            driver.addAttribute("type", f);
            put(spans, driver, "type", disk, Setting.FORMAT);
        });
        CacheMode cache = disk.cache();
        if (cache.explicit()) {
            driver.addAttribute("cache", cache.modeName());
            put(spans, driver, "cache", disk, Setting.CACHE, Setting.CACHE_DIRECT, Setting.CACHE_NO_FLUSH,
                    Setting.CACHE_WRITEBACK, Setting.WRITE_CACHE);
        }
        disk.io().ifPresent(v -> {
            driver.addAttribute("io", v);
            put(spans, driver, "io", disk, Setting.IO);
        });
        disk.discard().ifPresent(v -> {
            driver.addAttribute("discard", v);
            put(spans, driver, "discard", disk, Setting.DISCARD);
        });
        disk.detectZeroes().ifPresent(v -> {
            driver.addAttribute("detect_zeroes", v);
            put(spans, driver, "detect_zeroes", disk, Setting.DETECT_ZEROES);
        });
        disk.source().ifPresent(path -> {
            Element source = d.addElement("source");
            String attr = switch (disk.sourceKind()) {
                case BLOCK -> "dev";
                case NETWORK -> "name";
                case DIR -> "dir";
                default -> "file";
            };
            if (disk.sourceKind() == SourceKind.NETWORK) {
                disk.protocol().ifPresent(p -> source.addAttribute("protocol", p));
            }
            source.addAttribute(attr, path);
            spans.put(source, disk.setting(Setting.SOURCE).map(Located::span).orElse(disk.span()));
            put(spans, source, attr, disk, Setting.SOURCE);
        });
        Element target = d.addElement("target").addAttribute("dev", disk.target());
        spans.put(target, disk.setting(Setting.TARGET).map(Located::span).orElse(disk.span()));
        put(spans, target, "dev", disk, Setting.TARGET);
        disk.bus().ifPresent(b -> {
            target.addAttribute("bus", b);
            put(spans, target, "bus", disk, Setting.BUS);
        });
        flag(spans, d, disk.readonly(), "readonly", disk, Setting.READONLY);
        flag(spans, d, disk.shareable(), "shareable", disk, Setting.SHAREABLE);
        flag(spans, d, disk.isTransient(), "transient", disk, Setting.TRANSIENT);
        return new DiskView(disk, d, null, spans);
    }

    private static void put(Map<Node, Span> spans, Element owner, String attribute, Disk disk, Setting... from) {
        for (Setting s : from) {
            Optional<Located> l = disk.setting(s);
            if (l.isPresent()) {
                spans.put(owner.attribute(attribute), l.get().span());
                return;
            }
        }
    }

    private static void flag(Map<Node, Span> spans, Element d, boolean on, String name, Disk disk, Setting s) {
        if (on) {
            Element e = d.addElement(name);
            spans.put(e, disk.setting(s).map(Located::span).orElse(disk.span()));
        }
    }
}
