package dev.virtlint.parse;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.dom4j.io.SAXReader;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * A dom4j reader that cannot be turned against the machine it runs on: no DOCTYPE (so no external
 * entities, no parameter entities, no entity expansion), no external DTD, no XInclude, nothing
 * fetched from the file system or the network. {@link DomainParser} refuses a DOCTYPE with its own
 * message first; these settings are the second line.
 */
final class HardenedXml {

    private static final SAXParserFactory FACTORY = factory();

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

    /** This thread's reader. */
    static SAXReader reader() {
        return READER.get();
    }

    private static SAXReader newReader() {
        try {
            XMLReader xml;
            synchronized (FACTORY) {
                xml = FACTORY.newSAXParser().getXMLReader();
            }
            xml.setEntityResolver(HardenedXml::refuse);
            SAXReader reader = new SAXReader(xml);
            reader.setEntityResolver(HardenedXml::refuse);
            reader.setStripWhitespaceText(false);
            reader.setMergeAdjacentText(false);
            reader.setIncludeExternalDTDDeclarations(false);
            reader.setIncludeInternalDTDDeclarations(false);
            return reader;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot create an XML parser: " + e.getMessage(), e);
        }
    }

    private static InputSource refuse(String publicId, String systemId) throws SAXException {
        throw new SAXException("external entity refused: " + systemId);
    }
}
