package dev.virtlint.parse;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import java.io.StringReader;
import org.dom4j.Document;
import org.dom4j.DocumentException;
import org.dom4j.io.SAXReader;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * A dom4j reader that cannot be turned against the machine it runs on: no DOCTYPE (so no external
 * entities, no parameter entities, no entity expansion), no external DTD, no XInclude, nothing
 * fetched from the file system or the network. {@link DomainParser} refuses a DOCTYPE with its own
 * message first; these settings are the second line.
 *
 * <p>Most domains are read by {@link StrictXmlReader}, which knows no DOCTYPE, entity or external
 * resource at all; whatever it declines goes to the JDK's parser, set up as described here.
 */
final class HardenedXml {

    /**
     * The deepest element nesting accepted. libxml2, which libvirt parses domains with, stops at
     * 256 levels too; a domain is about eight deep. Deeper input would otherwise overflow the stack
     * of whatever walks the tree recursively, with no position to report.
     */
    static final int MAX_DEPTH = 256;

    /**
     * The JDK's XML limits, set on each parser this class makes, never as system properties
     * (which would change them for the whole JVM). The parser would otherwise take each from a
     * system property or {@code $JAVA_HOME/conf/jaxp.properties}; one set on the parser wins over
     * both (JDK 17 {@code com.sun.org.apache.xerces.internal.utils.XMLSecurityManager}: a
     * property set through the API outranks a system property), so these are the limits whatever
     * the JVM was started with. They are the JDK's defaults except the depth; entity limits
     * cannot matter, as a DOCTYPE is refused.
     */
    private static final String[][] LIMITS = {
        {"jdk.xml.maxElementDepth", String.valueOf(MAX_DEPTH)},
        {"jdk.xml.elementAttributeLimit", "10000"},
        {"jdk.xml.maxXMLNameLimit", "1000"},
        {"jdk.xml.maxOccurLimit", "5000"},
        {"jdk.xml.entityExpansionLimit", "64000"},
        {"jdk.xml.totalEntitySizeLimit", "50000000"},
        {"jdk.xml.maxGeneralEntitySizeLimit", "0"},
        {"jdk.xml.maxParameterEntitySizeLimit", "1000000"},
        {"jdk.xml.entityReplacementLimit", "3000000"},
        {"jdk.xml.cdataChunkSize", "0"},
        // Nothing external may be fetched (the JDK's default allows every protocol).
        {XMLConstants.ACCESS_EXTERNAL_DTD, ""},
    };

    /** The JDK's parser factory, set up on first use: a document the strict reader reads never needs it. */
    private static final class Jdk {
        static final SAXParserFactory FACTORY = factory();
    }

    private HardenedXml() {
    }

    private static SAXParserFactory factory() {
        try {
            // The JDK's own parser, not whatever a jar on the class path names (and no service lookup at start-up).
            SAXParserFactory f = SAXParserFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            // Catalogs off: the JDK's default would resolve through them.
            f.setFeature(XMLConstants.USE_CATALOG, false);
            f.setFeature("jdk.xml.resetSymbolTable", false);
            return f;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the XML parser cannot be hardened: " + e.getMessage(), e);
        }
    }

    /**
     * Building a parser costs more than parsing a small domain, and the factory is not thread-safe:
     * each thread keeps one reader and reuses it (a reader reads one document at a time).
     */
    private static final ThreadLocal<SAXReader> READER = ThreadLocal.withInitial(HardenedXml::newReader);

    /** The same, over {@link StrictXmlReader}: no JDK parser to set up. */
    private static final ThreadLocal<SAXReader> STRICT = ThreadLocal.withInitial(() -> configured(new StrictXmlReader()));

    /** This thread's reader (the JDK's parser). */
    static SAXReader reader() {
        return READER.get();
    }

    /**
     * Reads a document: with {@link StrictXmlReader} when the text is within what it handles, else
     * with the JDK's parser, which also reports every error. Both build the same tree.
     */
    static Document read(String text) throws DocumentException {
        Document document = readStrictly(text);
        return document != null ? document : reader().read(new StringReader(text));
    }

    /** The document as {@link StrictXmlReader} reads it, or null when it declines the text. */
    static Document readStrictly(String text) throws DocumentException {
        try {
            return STRICT.get().read(new StringReader(text));
        } catch (DocumentException e) {
            if (e.getCause() instanceof StrictXmlReader.Declined) {
                return null;
            }
            throw e;
        }
    }

    private static SAXReader newReader() {
        try {
            SAXParser parser;
            synchronized (Jdk.FACTORY) {
                parser = Jdk.FACTORY.newSAXParser();
            }
            for (String[] limit : LIMITS) {
                parser.setProperty(limit[0], limit[1]);
            }
            XMLReader xml = parser.getXMLReader();
            xml.setEntityResolver(HardenedXml::refuse);
            return configured(new Sax2Names(xml));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot create an XML parser: " + e.getMessage(), e);
        }
    }

    /**
     * A dom4j reader over a SAX parser. Adjacent text is merged into one node, as in XPath's data
     * model (a parser may split character data anywhere, at a reference or a buffer boundary).
     */
    private static SAXReader configured(XMLReader xml) {
        SAXReader reader = new SAXReader(xml);
        reader.setEntityResolver(HardenedXml::refuse);
        reader.setStripWhitespaceText(false);
        reader.setMergeAdjacentText(true);
        reader.setIncludeExternalDTDDeclarations(false);
        reader.setIncludeInternalDTDDeclarations(false);
        return reader;
    }

    /**
     * Before each read dom4j tries the lexical handler under its pre-SAX2 name first. The JDK's parser
     * answers an unknown name with a localised message, loading a resource bundle the first time
     * (several milliseconds of start-up); that one name is refused here without asking it.
     */
    private static final class Sax2Names extends XMLFilterImpl {

        private static final String SAX1_LEXICAL_HANDLER = "http://xml.org/sax/handlers/LexicalHandler";

        Sax2Names(XMLReader parser) {
            super(parser);
        }

        @Override
        public void setProperty(String name, Object value) throws SAXNotRecognizedException, SAXNotSupportedException {
            if (name.equals(SAX1_LEXICAL_HANDLER)) {
                throw new SAXNotRecognizedException(name);
            }
            super.setProperty(name, value);
        }
    }

    private static InputSource refuse(String publicId, String systemId) throws SAXException {
        throw new SAXException("external entity refused: " + systemId);
    }
}
