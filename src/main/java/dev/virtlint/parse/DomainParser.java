package dev.virtlint.parse;

import dev.virtlint.model.Annotations;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.DiskDevice;
import dev.virtlint.model.Domain;
import dev.virtlint.model.Located;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.Position;
import dev.virtlint.model.Setting;
import dev.virtlint.model.SourceKind;
import dev.virtlint.model.SourceText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dom4j.Document;
import org.dom4j.DocumentException;
import org.dom4j.Element;
import org.xml.sax.SAXParseException;

/**
 * Reads a libvirt domain XML into a {@link Domain} whose every disk value knows its offsets. Any
 * namespace prefix works for the qemu, libosinfo and virtlint namespaces. A well-formed file whose
 * root is not {@code <domain>} (a network, a pool) is {@link Skipped}, not an error, and so is a
 * file with a DOCTYPE whose root is neither {@code <domain>} nor {@code <disk>} (an Apple plist,
 * XHTML): its root's name is read off the text, and its DOCTYPE is never parsed, fetched or
 * expanded. A standalone {@code <disk>} (what {@code virsh attach-device} and {@code attach-disk
 * --print-xml} take) is {@link Parsed} as the one disk of an unknown domain.
 */
public final class DomainParser {

    public static final String QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0";
    public static final String LIBOSINFO_NS = "http://libosinfo.org/xmlns/libvirt/domain/1.0";
    public static final String VIRTLINT_NS = "http://virtlint.dev/xmlns/domain/1.0";

    private static final Map<String, Long> MEMORY_UNITS = Map.ofEntries(
            Map.entry("b", 1L), Map.entry("bytes", 1L),
            Map.entry("kb", 1000L), Map.entry("k", 1024L), Map.entry("kib", 1024L),
            Map.entry("mb", 1000_000L), Map.entry("m", 1L << 20), Map.entry("mib", 1L << 20),
            Map.entry("gb", 1000_000_000L), Map.entry("g", 1L << 30), Map.entry("gib", 1L << 30),
            Map.entry("tb", 1000_000_000_000L), Map.entry("t", 1L << 40), Map.entry("tib", 1L << 40),
            Map.entry("pb", 1000_000_000_000_000L), Map.entry("p", 1L << 50), Map.entry("pib", 1L << 50));

    /** What parsing an XML file gave. */
    public sealed interface Result permits Parsed, Skipped {
    }

    /**
     * A domain, with the tree it was read from; {@code standaloneDisk} when the file is one
     * {@code <disk>} element and {@code domain} only holds that disk (no name, guest OS or memory).
     */
    public record Parsed(XmlTree tree, Domain domain, boolean standaloneDisk) implements Result {

        public Parsed(XmlTree tree, Domain domain) {
            this(tree, domain, false);
        }
    }

    /**
     * A file that is not a domain; {@code root} is its root element's name, {@code note} says how
     * it was read (empty when the whole file was parsed).
     */
    public record Skipped(String root, String note) implements Result {

        public Skipped(String root) {
            this(root, "");
        }

        public String reason() {
            return "not a domain: the root element is <" + root + ">" + note;
        }
    }

    /** The root elements virtlint reads: libvirt's domain, and the disk device it attaches. */
    private static final java.util.Set<String> READ = java.util.Set.of("domain", "disk");

    private final SourceText source;
    private XmlTree tree;

    private DomainParser(SourceText source) {
        this.source = source;
    }

    public static Result parse(SourceText source) throws ParseException {
        return new DomainParser(source).run();
    }

    /** Parses the XML only, without reading a domain out of it. */
    static XmlTree parseTree(SourceText source) throws ParseException {
        return parseTree(source, XmlScanner.scan(source.text()));
    }

    private static XmlTree parseTree(SourceText source, XmlScanner.Result scan) throws ParseException {
        if (scan.doctype() >= 0) {
            throw ParseException.at(source, scan.doctype(), "DOCTYPE declarations are refused: domain XML has none,"
                    + " and their entities could read local files or expand without bound");
        }
        refuseXml11LineEnds(source);
        Document document;
        try {
            document = HardenedXml.read(source.text());
        } catch (DocumentException e) {
            throw secondDocument(source, scan, fromSax(e));
        }
        return XmlTree.join(source, document, scan);
    }

    /**
     * A file that holds two documents, one after the other ({@code virsh dumpxml a b > f}, test data
     * kept together): the parser only says that markup follows the root element, one character into
     * the second root. libvirt reads one document per file (src/util/virxml.c parses with libxml2,
     * whose xmlParseDocument refuses "Extra content at the end of the document"), so the error is
     * said as such, at the second root's {@code <}. An error inside the first document stays the
     * parser's own.
     */
    private static ParseException secondDocument(SourceText source, XmlScanner.Result scan, ParseException e) {
        XmlScanner.StartTag first = scan.root();
        XmlScanner.StartTag second = scan.second();
        if (first == null || second == null || e.position() == null) {
            return e;
        }
        Position end = source.positionOf(scan.rootEnd());
        Position at = e.position();
        if (at.line() < end.line() || (at.line() == end.line() && at.column() < end.column())) {
            return e;
        }
        String message = first.name().equals(second.name()) && READ.contains(first.name())
                ? "this file holds more than one " + first.name() + " document; libvirt reads one per file"
                : "a second root element <" + second.name() + "> follows the <" + first.name()
                        + "> document; an XML file holds one document, and libvirt reads one per file";
        return ParseException.at(source, second.span().start(), message);
    }

    private static final java.util.regex.Pattern XML11 = java.util.regex.Pattern.compile(
            "\\A\uFEFF?<\\?xml\\s+version\\s*=\\s*[\"']1\\.1[\"']");

    /**
     * XML 1.1 (section 2.11) makes NEL (U+0085) and U+2028 line ends, which Java's parser turns into
     * LF, so offsets no longer match the text. libvirt's parser, libxml2, reads an XML 1.1 document
     * as 1.0 (xmlParseXMLDecl: "Unsupported version '1.1'" is only a warning), where these are plain
     * characters, so the two would not read the same domain: refused at the first one.
     */
    private static void refuseXml11LineEnds(SourceText source) throws ParseException {
        String t = source.text();
        if (!XML11.matcher(t).lookingAt()) {
            return;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\u0085' || c == '\u2028') {
                throw ParseException.at(source, i, String.format("U+%04X in an XML 1.1 document: a line end"
                        + " in XML 1.1, a plain character to libvirt's parser (libxml2 reads XML 1.1 as 1.0)",
                        (int) c));
            }
        }
    }

    private static ParseException fromSax(DocumentException e) {
        Throwable cause = e.getCause();
        while (cause != null && !(cause instanceof SAXParseException)) {
            cause = cause.getCause();
        }
        if (cause instanceof SAXParseException sax) {
            int line = Math.max(1, sax.getLineNumber());
            int column = Math.max(1, sax.getColumnNumber());
            return new ParseException("malformed XML: " + sax.getMessage(), new Position(line, column));
        }
        return new ParseException("malformed XML: " + e.getMessage(), new Position(1, 1));
    }

    private Result run() throws ParseException {
        XmlScanner.Result scan = XmlScanner.scan(source.text());
        XmlScanner.StartTag first = scan.root();
        if (scan.doctype() >= 0 && first != null && first.span().start() > scan.doctype()
                && !READ.contains(first.name())) {
            // Not a document virtlint reads: its name comes from the scan alone, so nothing of the
            // DOCTYPE (an external DTD, entities, a billion laughs) is parsed, fetched or expanded.
            return new Skipped(first.name(), " (read without its DOCTYPE, which was neither fetched nor expanded)");
        }
        tree = parseTree(source, scan);
        Element root = tree.document().getRootElement();
        if (root.getName().equals("disk") && root.getNamespaceURI().isEmpty()) {
            return standaloneDisk(root);
        }
        if (!root.getName().equals("domain") || !root.getNamespaceURI().isEmpty()) {
            return new Skipped(root.getQualifiedName());
        }
        List<Disk> disks = new ArrayList<>();
        Element devices = root.element("devices");
        if (devices != null) {
            for (Element disk : devices.elements("disk")) {
                disks.add(disk(disk));
            }
        }
        for (Element commandline : children(root, QEMU_NS, "commandline")) {
            List<MappedText> argv = new ArrayList<>();
            for (Element arg : children(commandline, QEMU_NS, "arg")) {
                MappedText value = tree.attributeText(arg, "value");
                if (value != null) {
                    argv.add(value);
                }
            }
            disks.addAll(DriveParser.parseArgv(source, argv, Dialect.QEMU_COMMANDLINE));
        }
        Element metadata = root.element("metadata");
        Domain domain = new Domain(text(root, "name"), text(root, "uuid"), memory(root), osId(metadata),
                disks, annotations(metadata));
        return new Parsed(tree, domain);
    }

    /**
     * A {@code <disk>} document: libvirt's virDomainDiskDefParse (src/conf/domain_conf.c) reads it
     * with the root {@code disk} through virDomainDiskDefParseXML, the same code as a {@code <disk>}
     * under {@code <devices>}, and virDomainDeviceDefParse (attach-device) does so for a root named
     * {@code disk}. It holds the disk alone: no domain name, guest OS, memory or metadata.
     */
    private Result standaloneDisk(Element root) {
        Domain domain = new Domain(null, null, null, null, List.of(disk(root)), Annotations.NONE);
        return new Parsed(tree, domain, true);
    }

    private static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Element e : parent.elements()) {
            if (e.getName().equals(localName) && e.getNamespaceURI().equals(namespace)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = parent.element(name);
        return e == null ? null : e.getTextTrim();
    }

    private static Long memory(Element root) {
        Element memory = root.element("memory");
        if (memory == null) {
            return null;
        }
        String unit = Optional.ofNullable(memory.attributeValue("unit")).orElse("KiB").toLowerCase(Locale.ROOT);
        Long factor = MEMORY_UNITS.get(unit);
        try {
            long value = Long.parseLong(memory.getTextTrim());
            return factor == null ? null : Math.multiplyExact(value, factor);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static String osId(Element metadata) {
        for (Element info : children(metadata, LIBOSINFO_NS, "libosinfo")) {
            for (Element os : children(info, LIBOSINFO_NS, "os")) {
                String id = os.attributeValue("id");
                if (id != null) {
                    return id;
                }
            }
        }
        return null;
    }

    private Annotations annotations(Element metadata) {
        List<Annotations.Ignore> ignores = new ArrayList<>();
        List<Annotations.DiskNote> notes = new ArrayList<>();
        Annotations.Guest guest = null;
        for (Element block : children(metadata, VIRTLINT_NS, "virtlint")) {
            for (Element e : children(block, VIRTLINT_NS, "ignore")) {
                ignores.add(new Annotations.Ignore(e.attributeValue("rule"), e.attributeValue("disk"),
                        e.attributeValue("reason"), tree.tagSpan(e)));
            }
            for (Element e : children(block, VIRTLINT_NS, "disk")) {
                String scratch = e.attributeValue("scratch");
                notes.add(new Annotations.DiskNote(e.attributeValue("target"),
                        scratch == null ? null : Options.parseBool(scratch).orElse(null), tree.tagSpan(e)));
            }
            for (Element e : children(block, VIRTLINT_NS, "guest")) {
                guest = new Annotations.Guest(e.attributeValue("flushes"), tree.tagSpan(e));
            }
        }
        return new Annotations(ignores, notes, guest);
    }

    private Disk disk(Element e) {
        Disk.Builder b = Disk.builder(Dialect.XML, tree.tagSpan(e));
        String type = Optional.ofNullable(e.attributeValue("type")).orElse("file");
        SourceKind kind = SourceKind.byId(type).orElse(SourceKind.FILE);
        b.sourceKind(kind);
        String device = Optional.ofNullable(e.attributeValue("device")).orElse("disk");
        b.device(DiskDevice.byId(device).orElse(DiskDevice.DISK)).at(Setting.DEVICE, tree.attribute(e, "device"));
        refuse(b, "type", tree.attribute(e, "type"), Accepted.LIBVIRT_DISK_TYPE);
        refuse(b, "device", tree.attribute(e, "device"), Accepted.LIBVIRT_DEVICE);

        Element driver = e.element("driver");
        if (driver != null) {
            b.at(Setting.DRIVER, tree.element(driver));
            Located format = tree.attribute(driver, "type");
            if (format != null) {
                b.format(format.value()).at(Setting.FORMAT, format);
                // The format list grows with libvirt; only a near miss of a known one is reported.
                Accepted.nearMiss("type", format.value(), format.span(), Accepted.LIBVIRT_FORMATS,
                        Accepted.LIBVIRT).ifPresent(b::refuse);
            }
            Located cache = tree.attribute(driver, "cache");
            if (cache != null) {
                b.at(Setting.CACHE, cache);
                // Exactly a libvirt mode name: QEMU's "off" is not one; "default" is no mode.
                Optional<CacheMode.Preset> preset = Optional.of(cache.value())
                        .filter(Accepted.LIBVIRT_CACHE::contains).flatMap(CacheMode.Preset::byName);
                preset.ifPresent(p -> b.cache(p.explicitMode()));
                refuse(b, "cache", cache, Accepted.LIBVIRT_CACHE);
            }
            refuse(b, "io", tree.attribute(driver, "io"), Accepted.LIBVIRT_IO);
            refuse(b, "discard", tree.attribute(driver, "discard"), Accepted.LIBVIRT_DISCARD);
            refuse(b, "detect_zeroes", tree.attribute(driver, "detect_zeroes"),
                    Accepted.LIBVIRT_DETECT_ZEROES);
            Located io = tree.attribute(driver, "io");
            if (io != null) {
                b.io(io.value()).at(Setting.IO, io);
            }
            Located discard = tree.attribute(driver, "discard");
            if (discard != null) {
                b.discard(discard.value()).at(Setting.DISCARD, discard);
            }
            Located zeroes = tree.attribute(driver, "detect_zeroes");
            if (zeroes != null) {
                b.detectZeroes(zeroes.value()).at(Setting.DETECT_ZEROES, zeroes);
            }
        }
        source(b, kind, e.element("source"));
        // QEMU opens a backing file with its parent's cache.direct (block.c bdrv_backing_options:
        // "The cache mode is inherited unmodified for backing files"), so O_DIRECT must work on
        // every layer; libvirt writes the chain as nested <backingStore> elements
        // (docs/formatdomain.rst, "backingStore").
        for (Element layer = e.element("backingStore"); layer != null;
                layer = layer.element("backingStore")) {
            Element file = layer.element("source");
            String path = file == null ? null : file.attributeValue("file");
            if ("file".equals(layer.attributeValue("type")) && path != null && !path.isEmpty()) {
                b.backingFile(path);
            }
        }
        Element target = e.element("target");
        if (target != null) {
            Located dev = tree.attribute(target, "dev");
            if (dev != null) {
                b.target(dev.value()).at(Setting.TARGET, dev);
            }
            Located bus = tree.attribute(target, "bus");
            if (bus != null) {
                b.bus(bus.value()).at(Setting.BUS, bus);
                refuse(b, "bus", bus, Accepted.LIBVIRT_BUS);
            }
        }
        Element readonly = e.element("readonly");
        b.readonly(readonly != null).at(Setting.READONLY, tree.element(readonly));
        Element shareable = e.element("shareable");
        b.shareable(shareable != null).at(Setting.SHAREABLE, tree.element(shareable));
        Element transientDisk = e.element("transient");
        b.transientDisk(transientDisk != null).at(Setting.TRANSIENT, tree.element(transientDisk));
        return b.build();
    }

    /**
     * Records an attribute whose value libvirt's enum does not hold: virXMLPropEnum fails with
     * "Invalid value for attribute" and the domain is not defined (src/conf/domain_conf.c
     * virDomainDiskDefParseXML and virDomainDiskDefDriverParseXML).
     */
    private static void refuse(Disk.Builder b, String name, Located attribute,
                               List<String> accepted) {
        if (attribute != null) {
            Accepted.value(name, attribute.value(), attribute.span(), accepted, Accepted.LIBVIRT)
                    .ifPresent(b::refuse);
        }
    }

    private void source(Disk.Builder b, SourceKind kind, Element source) {
        if (source == null) {
            return;
        }
        switch (kind) {
            case FILE -> located(b, source, "file");
            case BLOCK, VHOSTVDPA -> located(b, source, "dev");
            case DIR -> located(b, source, "dir");
            case VHOSTUSER -> located(b, source, "path");
            case VOLUME -> {
                Located volume = tree.attribute(source, "volume");
                if (volume != null) {
                    b.source(Optional.ofNullable(source.attributeValue("pool")).orElse("") + "/" + volume.value())
                            .at(Setting.SOURCE, volume);
                }
            }
            case NVME -> {
                Element address = source.element("address");
                String pci = address == null ? "" : hex(address, "domain") + ":" + hex(address, "bus")
                        + ":" + hex(address, "slot") + "." + hex(address, "function");
                b.source("nvme://" + pci + "/" + Optional.ofNullable(source.attributeValue("namespace")).orElse("1"))
                        .at(Setting.SOURCE, tree.element(source));
            }
            case NETWORK -> {
                String protocol = source.attributeValue("protocol");
                Located name = tree.attribute(source, "name");
                Element host = source.element("host");
                String hostName = host == null ? null : host.attributeValue("name");
                if (hostName == null && host != null) {
                    hostName = host.attributeValue("socket");
                }
                String port = host == null ? null : host.attributeValue("port");
                String authority = hostName == null ? "" : hostName + (port == null ? "" : ":" + port);
                b.protocol(protocol).host(hostName)
                        .source((protocol == null ? "network" : protocol) + "://" + authority + "/"
                                + (name == null ? "" : name.value()))
                        .at(Setting.SOURCE, name != null ? name : tree.element(source));
            }
        }
    }

    private static String hex(Element address, String attribute) {
        String v = address.attributeValue(attribute);
        return v == null ? "0" : v.replaceFirst("^0x", "");
    }

    private void located(Disk.Builder b, Element source, String attribute) {
        Located value = tree.attribute(source, attribute);
        if (value != null && !value.value().isEmpty()) {
            b.source(value.value()).at(Setting.SOURCE, value);
        }
    }
}
