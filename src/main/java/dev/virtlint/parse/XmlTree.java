package dev.virtlint.parse;

import dev.virtlint.model.Located;
import dev.virtlint.model.SourceText;
import dev.virtlint.model.Span;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.Document;
import org.dom4j.Element;
import org.dom4j.Node;

/**
 * A dom4j document joined to the source text it came from: every element knows its start tag's
 * offsets, every attribute its value's. Rules select nodes through dom4j (and XPath); findings and
 * fixes use the spans from here.
 */
public final class XmlTree {

    private final SourceText source;
    private final Document document;
    private final Map<Element, XmlScanner.StartTag> tags;
    private final List<XmlScanner.Comment> comments;
    private final List<XmlScanner.StartTag> inOrder;
    /**
     * The elements by their start tag's span, built on the first {@link #elementAt}: rules and the
     * fixer look up every disk's element, and a scan of all tags per lookup made a domain with
     * 10,000 disks take seconds (issue 15).
     */
    private volatile Map<Span, Element> bySpan;
    /** How many times {@link #bySpan} was built; a test checks that it is once per tree. */
    private int indexBuilds;

    private XmlTree(SourceText source, Document document, Map<Element, XmlScanner.StartTag> tags,
                    List<XmlScanner.Comment> comments, List<XmlScanner.StartTag> inOrder) {
        this.source = source;
        this.document = document;
        this.tags = tags;
        this.comments = comments;
        this.inOrder = inOrder;
    }

    /** Joins elements and start tags by document order; both must name the same elements. */
    static XmlTree join(SourceText source, Document document, XmlScanner.Result scan) {
        Map<Element, XmlScanner.StartTag> tags = new IdentityHashMap<>();
        int[] next = {0};
        visit(document.getRootElement(), scan.tags(), tags, next);
        if (next[0] != scan.tags().size()) {
            throw new IllegalStateException(source.name() + ": found " + scan.tags().size()
                    + " start tags but the parser built " + next[0] + " elements");
        }
        return new XmlTree(source, document, tags, scan.comments(), scan.tags());
    }

    private static void visit(Element e, List<XmlScanner.StartTag> scanned, Map<Element, XmlScanner.StartTag> tags, int[] next) {
        if (next[0] >= scanned.size()) {
            throw new IllegalStateException("no start tag left for element " + e.getQualifiedName());
        }
        XmlScanner.StartTag tag = scanned.get(next[0]++);
        if (!tag.name().equals(e.getQualifiedName())) {
            throw new IllegalStateException("start tag <" + tag.name() + "> at offset " + tag.span().start()
                    + " does not match element " + e.getQualifiedName());
        }
        tags.put(e, tag);
        for (Element child : e.elements()) {
            visit(child, scanned, tags, next);
        }
    }

    public SourceText source() {
        return source;
    }

    public Document document() {
        return document;
    }

    /** The span of an element's start tag, from {@code <} to {@code >}. */
    public Span tagSpan(Element e) {
        return tag(e).span();
    }

    /** The element's start tag as a located value holding the element's name. */
    public Located element(Element e) {
        return e == null ? null : new Located(e.getQualifiedName(), tagSpan(e));
    }

    /** An attribute's value (as the parser decoded it) and the span between its quotes, or null. */
    public Located attribute(Element e, String qname) {
        if (e == null) {
            return null;
        }
        XmlScanner.Attr a = tag(e).attribute(qname);
        if (a == null) {
            return null;
        }
        String value = e.attributeValue(qname);
        if (value == null) {
            org.dom4j.Attribute attr = findByQualifiedName(e, qname);
            value = attr == null ? source.slice(a.valueSpan()) : attr.getValue();
        }
        return new Located(value, a.valueSpan());
    }

    /** The quote character of an attribute, or 0 when absent. */
    public char quote(Element e, String qname) {
        XmlScanner.Attr a = tag(e).attribute(qname);
        return a == null ? 0 : a.quote();
    }

    /** An attribute's value decoded from the raw text, each character mapped to its source offsets. */
    public MappedText attributeText(Element e, String qname) {
        XmlScanner.Attr a = tag(e).attribute(qname);
        if (a == null) {
            return null;
        }
        return decodeAttribute(source.text(), a.valueSpan());
    }

    /** The span a node points at: an element's start tag, an attribute's value, otherwise its parent's tag. */
    public Span spanOf(Node node) {
        if (node instanceof Element e) {
            return tagSpan(e);
        }
        if (node instanceof org.dom4j.Attribute a && a.getParent() != null) {
            XmlScanner.Attr scanned = tag(a.getParent()).attribute(a.getQualifiedName());
            if (scanned != null) {
                return scanned.valueSpan();
            }
        }
        if (node != null && node.getParent() != null) {
            return tagSpan(node.getParent());
        }
        return tagSpan(document.getRootElement());
    }

    /** The comments of the document, in order, for suppressions and test markers. */
    public List<Comment> comments() {
        return comments.stream().map(c -> new Comment(c.span(), c.body())).toList();
    }

    /** The span of the first start tag at or after an offset: what a comment just before an element is about. */
    public java.util.Optional<Span> nextTagAfter(int offset) {
        int at = firstTagAt(offset);
        return at < inOrder.size() ? java.util.Optional.of(inOrder.get(at).span())
                : java.util.Optional.empty();
    }

    /** The index of the first start tag (in text order) that starts at or after an offset. */
    private int firstTagAt(int offset) {
        int lo = 0;
        int hi = inOrder.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (inOrder.get(mid).span().start() < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The stretch of text an element covers, from its start tag to where the next element that is
     * not inside it starts (or the end of the text): enough to tell whether a span lies inside it.
     */
    public Span extentOf(Element e) {
        int start = tagSpan(e).start();
        Element last = e;
        while (!last.elements().isEmpty()) {
            last = last.elements().get(last.elements().size() - 1);
        }
        // The tags are in text order: the last one's place is found by its offset, not by a scan.
        int index = firstTagAt(tagSpan(last).start());
        int end = index + 1 < inOrder.size() ? inOrder.get(index + 1).span().start() : source.text().length();
        return new Span(start, end);
    }

    /** The element whose start tag has this span, if any. */
    public java.util.Optional<Element> elementAt(Span tagSpan) {
        Map<Span, Element> index = bySpan;
        if (index == null) {
            index = new HashMap<>(tags.size() * 2);
            for (Map.Entry<Element, XmlScanner.StartTag> e : tags.entrySet()) {
                index.put(e.getValue().span(), e.getKey());
            }
            bySpan = index;
            indexBuilds++;
        }
        return java.util.Optional.ofNullable(index.get(tagSpan));
    }

    /** How many times the span index of {@link #elementAt} was built (once per tree at most). */
    int indexBuilds() {
        return indexBuilds;
    }

    /** A comment and its span, from {@code <!--} to {@code -->}. */
    public record Comment(Span span, String body) {
    }

    private XmlScanner.StartTag tag(Element e) {
        XmlScanner.StartTag t = tags.get(e);
        if (t == null) {
            throw new IllegalArgumentException("element " + e.getQualifiedName() + " is not from " + source.name());
        }
        return t;
    }

    private static org.dom4j.Attribute findByQualifiedName(Element e, String qname) {
        for (org.dom4j.Attribute a : e.attributes()) {
            if (a.getQualifiedName().equals(qname)) {
                return a;
            }
        }
        return null;
    }

    /** XML attribute value normalisation: entities decoded, each white-space character read as a space. */
    static MappedText decodeAttribute(String text, Span raw) {
        MappedText.Builder out = new MappedText.Builder(raw.start());
        int i = raw.start();
        while (i < raw.end()) {
            char c = text.charAt(i);
            if (c == '&') {
                int semi = text.indexOf(';', i);
                if (semi > i && semi < raw.end()) {
                    String ref = text.substring(i + 1, semi);
                    String decoded = entity(ref);
                    if (decoded != null) {
                        for (int k = 0; k < decoded.length(); k++) {
                            out.append(decoded.charAt(k), i, semi + 1);
                        }
                        i = semi + 1;
                        continue;
                    }
                }
                out.append(c, i, i + 1);
                i++;
            } else if (c == '\r' && i + 1 < raw.end() && text.charAt(i + 1) == '\n') {
                out.append(' ', i, i + 2);
                i += 2;
            } else if (c == '\t' || c == '\n' || c == '\r') {
                out.append(' ', i, i + 1);
                i++;
            } else {
                out.append(c, i, i + 1);
                i++;
            }
        }
        return out.build();
    }

    private static String entity(String ref) {
        switch (ref) {
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "amp":
                return "&";
            case "apos":
                return "'";
            case "quot":
                return "\"";
            default:
                break;
        }
        try {
            if (ref.startsWith("#x")) {
                return new String(Character.toChars(Integer.parseInt(ref.substring(2), 16)));
            }
            if (ref.startsWith("#")) {
                return new String(Character.toChars(Integer.parseInt(ref.substring(1))));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }
}
