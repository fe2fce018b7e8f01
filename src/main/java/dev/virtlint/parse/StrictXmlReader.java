package dev.virtlint.parse;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.xml.sax.ContentHandler;
import org.xml.sax.DTDHandler;
import org.xml.sax.EntityResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.ext.LexicalHandler;
import org.xml.sax.helpers.AttributesImpl;

/**
 * A SAX parser for the plain XML that domain files are written in: an XML declaration, elements,
 * attributes, namespace declarations, character data with the five predefined entities and
 * character references, and comments. It exists for start-up speed: setting up the JDK's parser
 * costs more than reading a domain.
 *
 * <p>It never decides that a document is malformed. Anything outside that subset, and anything it
 * is not sure is well-formed, makes it {@linkplain Declined decline} before the document is used,
 * and {@link HardenedXml} reads the text again with the JDK's parser, which accepts or reports it
 * as before. So what it accepts must be exactly what the JDK's parser accepts and produce the same
 * events; {@code StrictXmlReaderTest} compares the two trees over the samples and thousands of
 * damaged variants, and the corpus sweep ({@code bin/corpus-check}, {@code ReaderAgreement}) over
 * libvirt's test data. Its checks are therefore deliberately narrower
 * than XML: ASCII names only, no CDATA sections, no processing instructions, no DOCTYPE, no
 * characters outside the Basic Multilingual Plane, and limits well inside the JDK's.
 *
 * <p>Events follow the JDK parser's, for a namespace-aware reader without the namespace-prefixes
 * feature: prefix mappings before their element's start and after its end, {@code xmlns}
 * attributes not among an element's attributes, each run of character data in one
 * {@code characters} call (dom4j merges adjacent text either way).
 */
final class StrictXmlReader implements org.xml.sax.XMLReader {

    /** Thrown when the text is outside what this reader handles; the caller parses it with the JDK's parser. */
    static final class Declined extends SAXException {
        private static final long serialVersionUID = 1L;

        Declined(String why) {
            super(why);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    static final String XML_NS = "http://www.w3.org/XML/1998/namespace";
    static final String XMLNS_NS = "http://www.w3.org/2000/xmlns/";
    static final int MAX_DEPTH = 128;
    static final int MAX_ATTRIBUTES = 256;
    static final int MAX_NAME = 256;

    private ContentHandler content;
    private LexicalHandler lexical;
    private EntityResolver entityResolver;
    private DTDHandler dtdHandler;
    private ErrorHandler errorHandler;

    // The document being read.
    private String text;
    private char[] chars;
    private int n;
    private int pos;
    /** Namespace bindings in scope, innermost last: prefix, uri pairs. */
    private final List<String> bindings = new ArrayList<>();
    private final StringBuilder buffer = new StringBuilder();

    @Override
    public void parse(InputSource input) throws IOException, SAXException {
        Reader reader = input.getCharacterStream();
        if (reader == null) {
            throw new Declined("only character streams are read");
        }
        StringBuilder all = new StringBuilder();
        char[] chunk = new char[8192];
        for (int r; (r = reader.read(chunk)) >= 0; ) {
            all.append(chunk, 0, r);
        }
        text = all.toString();
        chars = text.toCharArray();
        n = chars.length;
        pos = 0;
        bindings.clear();
        try {
            document();
        } finally {
            text = null;
            chars = null;
        }
    }

    private void document() throws SAXException {
        checkCharacters();
        content.startDocument();
        if (text.startsWith("<?xml", pos) && n > pos + 5 && isSpace(chars[pos + 5])) {
            xmlDeclaration();
        }
        misc();
        if (pos >= n || chars[pos] != '<') {
            throw decline("no root element");
        }
        element(1);
        misc();
        if (pos != n) {
            throw decline("content after the root element");
        }
        content.endDocument();
    }

    /** Every character must be one XML allows; surrogates (valid or not) are left to the JDK's parser. */
    private void checkCharacters() throws Declined {
        for (int i = 0; i < n; i++) {
            char c = chars[i];
            if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : c >= 0xD800 && (c <= 0xDFFF || c >= 0xFFFE)) {
                throw decline("character U+" + Integer.toHexString(c));
            }
        }
    }

    /** {@code <?xml version="1.0" (encoding="...")? (standalone="yes|no")? S??>}, in that order. */
    private void xmlDeclaration() throws Declined {
        pos += 5;
        if (!pseudoAttribute("version", true) || !quoted().equals("1.0")) {
            throw decline("XML declaration without version 1.0");
        }
        if (pseudoAttribute("encoding", false) && !encodingName(quoted())) {
            throw decline("XML declaration: encoding name");
        }
        if (pseudoAttribute("standalone", false)) {
            String value = quoted();
            if (!value.equals("yes") && !value.equals("no")) {
                throw decline("XML declaration: standalone");
            }
        }
        skipSpace();
        if (!text.startsWith("?>", pos)) {
            throw decline("XML declaration");
        }
        pos += 2;
    }

    /** White space then the name: true, past the name; otherwise false, where it was (or a decline if required). */
    private boolean pseudoAttribute(String name, boolean required) throws Declined {
        int before = pos;
        skipSpace();
        if (pos > before && text.startsWith(name, pos)) {
            pos += name.length();
            return true;
        }
        if (required) {
            throw decline("XML declaration without " + name);
        }
        pos = before;
        return false;
    }

    private static boolean encodingName(String v) {
        if (v.isEmpty() || !isAsciiLetter(v.charAt(0))) {
            return false;
        }
        for (int i = 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** {@code S? = S? "value"} of a declaration, with no references in it. */
    private String quoted() throws Declined {
        skipSpace();
        if (pos >= n || chars[pos] != '=') {
            throw decline("expected =");
        }
        pos++;
        skipSpace();
        if (pos >= n || (chars[pos] != '"' && chars[pos] != '\'')) {
            throw decline("expected a quote");
        }
        int close = text.indexOf(chars[pos], pos + 1);
        if (close < 0) {
            throw decline("unclosed quote");
        }
        String value = text.substring(pos + 1, close);
        pos = close + 1;
        return value;
    }

    /** White space and comments. */
    private void misc() throws SAXException {
        while (true) {
            skipSpace();
            if (text.startsWith("<!--", pos)) {
                comment();
            } else {
                return;
            }
        }
    }

    private void comment() throws SAXException {
        int end = text.indexOf("--", pos + 4);
        if (end < 0 || end + 2 >= n || chars[end + 2] != '>') {
            throw decline("comment");
        }
        if (lexical != null) {
            // Line ends read as in character data: CR LF and a lone CR are each one LF.
            StringBuilder body = new StringBuilder(end - pos - 4);
            for (int i = pos + 4; i < end; i++) {
                char c = chars[i];
                if (c == '\r') {
                    body.append('\n');
                    if (i + 1 < end && chars[i + 1] == '\n') {
                        i++;
                    }
                } else {
                    body.append(c);
                }
            }
            char[] run = body.toString().toCharArray();
            lexical.comment(run, 0, run.length);
        }
        pos = end + 3;
    }

    /** An element from its {@code <}, with its content and end tag. */
    private void element(int depth) throws SAXException {
        if (depth > MAX_DEPTH) {
            throw decline("nesting");
        }
        pos++;
        String qname = name();
        if (qname.regionMatches(true, 0, "xml", 0, 3)) {
            throw decline("element name starting with xml");
        }
        int mark = bindings.size();
        List<String> attributeNames = new ArrayList<>();
        List<String> attributeValues = new ArrayList<>();
        boolean empty;
        while (true) {
            int before = pos;
            skipSpace();
            if (pos >= n) {
                throw decline("unclosed start tag");
            }
            if (chars[pos] == '>') {
                pos++;
                empty = false;
                break;
            }
            if (chars[pos] == '/' && pos + 1 < n && chars[pos + 1] == '>') {
                pos += 2;
                empty = true;
                break;
            }
            if (pos == before) {
                throw decline("attribute without white space before it");
            }
            String attribute = name();
            if (attribute.regionMatches(true, 0, "xml", 0, 3) && !attribute.equals("xmlns")
                    && !attribute.startsWith("xmlns:")) {
                throw decline("attribute name starting with xml");
            }
            skipSpace();
            if (pos >= n || chars[pos] != '=') {
                throw decline("attribute without =");
            }
            pos++;
            skipSpace();
            String value = attributeValue();
            if (attributeNames.contains(attribute) || attributeNames.size() >= MAX_ATTRIBUTES) {
                throw decline("repeated attribute or too many");
            }
            attributeNames.add(attribute);
            attributeValues.add(value);
        }
        // Namespace declarations first: they apply to the element's own name and attributes.
        for (int i = 0; i < attributeNames.size(); i++) {
            String a = attributeNames.get(i);
            if (a.equals("xmlns") || a.startsWith("xmlns:")) {
                declare(a.equals("xmlns") ? "" : a.substring(6), attributeValues.get(i));
            }
        }
        AttributesImpl attributes = new AttributesImpl();
        for (int i = 0; i < attributeNames.size(); i++) {
            String a = attributeNames.get(i);
            if (a.equals("xmlns") || a.startsWith("xmlns:")) {
                continue;
            }
            int colon = a.indexOf(':');
            String uri = colon < 0 ? "" : resolve(a.substring(0, colon));
            String local = a.substring(colon + 1);
            for (int k = 0; k < attributes.getLength(); k++) {
                if (attributes.getLocalName(k).equals(local) && attributes.getURI(k).equals(uri)) {
                    throw decline("attribute repeated in one namespace");
                }
            }
            attributes.addAttribute(uri, local, a, "CDATA", attributeValues.get(i));
        }
        int colon = qname.indexOf(':');
        String uri = resolve(colon < 0 ? "" : qname.substring(0, colon));
        String local = qname.substring(colon + 1);
        for (int b = mark; b < bindings.size(); b += 2) {
            content.startPrefixMapping(bindings.get(b), bindings.get(b + 1));
        }
        content.startElement(uri, local, qname, attributes);
        if (!empty) {
            content(depth);
            // The end tag: </name S?>
            pos += 2;
            if (!text.startsWith(qname, pos)) {
                throw decline("end tag does not match");
            }
            pos += qname.length();
            skipSpace();
            if (pos >= n || chars[pos] != '>') {
                throw decline("end tag");
            }
            pos++;
        }
        content.endElement(uri, local, qname);
        for (int b = bindings.size() - 2; b >= mark; b -= 2) {
            content.endPrefixMapping(bindings.get(b));
        }
        while (bindings.size() > mark) {
            bindings.remove(bindings.size() - 1);
        }
    }

    /** Character data, child elements and comments, up to the {@code </} of the end tag. */
    private void content(int depth) throws SAXException {
        buffer.setLength(0);
        while (true) {
            if (pos >= n) {
                throw decline("unclosed element");
            }
            char c = chars[pos];
            if (c == '<') {
                flushText();
                if (pos + 1 < n && chars[pos + 1] == '/') {
                    return;
                }
                if (text.startsWith("<!--", pos)) {
                    comment();
                } else if (pos + 1 < n && (chars[pos + 1] == '!' || chars[pos + 1] == '?')) {
                    throw decline("CDATA, DOCTYPE or processing instruction");
                } else {
                    element(depth + 1);
                }
                buffer.setLength(0);
            } else if (c == '&') {
                reference(buffer);
            } else if (c == '\r') {
                buffer.append('\n');
                pos += pos + 1 < n && chars[pos + 1] == '\n' ? 2 : 1;
            } else {
                if (c == '>' && pos >= 2 && chars[pos - 1] == ']' && chars[pos - 2] == ']') {
                    throw decline("]]> in character data");
                }
                buffer.append(c);
                pos++;
            }
        }
    }

    private void flushText() throws SAXException {
        if (buffer.length() > 0) {
            char[] run = new char[buffer.length()];
            buffer.getChars(0, run.length, run, 0);
            content.characters(run, 0, run.length);
            buffer.setLength(0);
        }
    }

    /** A quoted attribute value, normalised as XML does without a DTD: references decoded, each white-space character a space. */
    private String attributeValue() throws Declined {
        if (pos >= n || (chars[pos] != '"' && chars[pos] != '\'')) {
            throw decline("attribute value without quotes");
        }
        char quote = chars[pos++];
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= n) {
                throw decline("unclosed attribute value");
            }
            char c = chars[pos];
            if (c == quote) {
                pos++;
                return value.toString();
            }
            if (c == '<') {
                throw decline("< in an attribute value");
            }
            if (c == '&') {
                reference(value);
            } else if (c == '\r' && pos + 1 < n && chars[pos + 1] == '\n') {
                value.append(' ');
                pos += 2;
            } else {
                value.append(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
                pos++;
            }
        }
    }

    /** One of the five predefined entities or a character reference, appended decoded. */
    private void reference(StringBuilder out) throws Declined {
        int semi = text.indexOf(';', pos + 1);
        if (semi < 0 || semi - pos > 12) {
            throw decline("reference");
        }
        String ref = text.substring(pos + 1, semi);
        switch (ref) {
            case "lt" -> out.append('<');
            case "gt" -> out.append('>');
            case "amp" -> out.append('&');
            case "apos" -> out.append('\'');
            case "quot" -> out.append('"');
            default -> out.append(characterReference(ref));
        }
        pos = semi + 1;
    }

    private char characterReference(String ref) throws Declined {
        boolean hex = ref.startsWith("#x");
        String digits = hex ? ref.substring(2) : ref.startsWith("#") ? ref.substring(1) : "";
        if (digits.isEmpty() || digits.length() > 6) {
            throw decline("reference &" + ref + ";");
        }
        int code = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), hex ? 16 : 10);
            if (d < 0 || digits.charAt(i) > 'f') {
                throw decline("reference &" + ref + ";");
            }
            code = code * (hex ? 16 : 10) + d;
        }
        boolean allowed = code == '\t' || code == '\n' || code == '\r' || (code >= 0x20 && code < 0xD800)
                || (code >= 0xE000 && code < 0xFFFE);
        if (!allowed) {
            throw decline("reference &" + ref + ";");
        }
        return (char) code;
    }

    /** {@code xmlns:prefix="uri"} or {@code xmlns="uri"}; the reserved prefixes and namespaces are left to the JDK's parser. */
    private void declare(String prefix, String uri) throws Declined {
        if (prefix.startsWith("xml") || prefix.startsWith("XML") || uri.equals(XML_NS) || uri.equals(XMLNS_NS)
                || (!prefix.isEmpty() && uri.isEmpty())) {
            throw decline("namespace declaration");
        }
        bindings.add(prefix);
        bindings.add(uri);
    }

    private String resolve(String prefix) throws Declined {
        for (int b = bindings.size() - 2; b >= 0; b -= 2) {
            if (bindings.get(b).equals(prefix)) {
                return bindings.get(b + 1);
            }
        }
        if (!prefix.isEmpty()) {
            throw decline("undeclared prefix " + prefix);
        }
        return "";
    }

    /** A name of ASCII letters, digits, {@code _ - .}, with at most one colon between two non-empty parts. */
    private String name() throws Declined {
        int start = pos;
        int colon = -1;
        while (pos < n) {
            char c = chars[pos];
            if (isAsciiLetter(c) || c == '_' || (pos > start && ((c >= '0' && c <= '9') || c == '-' || c == '.'))) {
                pos++;
            } else if (c == ':' && colon < 0 && pos > start) {
                colon = pos++;
                if (pos >= n || !(isAsciiLetter(chars[pos]) || chars[pos] == '_')) {
                    throw decline("name");
                }
            } else {
                break;
            }
        }
        if (pos == start || pos - start > MAX_NAME) {
            throw decline("name");
        }
        return text.substring(start, pos);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private void skipSpace() {
        while (pos < n && isSpace(chars[pos])) {
            pos++;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }

    private static Declined decline(String why) {
        return new Declined(why);
    }

    // The rest of XMLReader: handlers are kept; features and properties are what dom4j sets.

    @Override
    public boolean getFeature(String name) {
        return name.equals("http://xml.org/sax/features/namespaces");
    }

    @Override
    public void setFeature(String name, boolean value) {
        // Always namespace-aware, never validating: dom4j asks for exactly that.
    }

    @Override
    public Object getProperty(String name) {
        return name.equals("http://xml.org/sax/properties/lexical-handler") ? lexical : null;
    }

    @Override
    public void setProperty(String name, Object value) {
        if (name.equals("http://xml.org/sax/properties/lexical-handler") && value instanceof LexicalHandler l) {
            lexical = l;
        }
    }

    @Override
    public void setEntityResolver(EntityResolver resolver) {
        this.entityResolver = resolver;
    }

    @Override
    public EntityResolver getEntityResolver() {
        return entityResolver;
    }

    @Override
    public void setDTDHandler(DTDHandler handler) {
        this.dtdHandler = handler;
    }

    @Override
    public DTDHandler getDTDHandler() {
        return dtdHandler;
    }

    @Override
    public void setContentHandler(ContentHandler handler) {
        this.content = handler;
    }

    @Override
    public ContentHandler getContentHandler() {
        return content;
    }

    @Override
    public void setErrorHandler(ErrorHandler handler) {
        this.errorHandler = handler;
    }

    @Override
    public ErrorHandler getErrorHandler() {
        return errorHandler;
    }

    @Override
    public void parse(String systemId) throws SAXException {
        throw new Declined("only character streams are read");
    }
}
