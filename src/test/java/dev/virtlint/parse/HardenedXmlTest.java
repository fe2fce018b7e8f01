package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.Properties;
import org.dom4j.DocumentException;
import org.junit.jupiter.api.Test;

/**
 * The JDK parser's limits are the parser's own: they hold on the parser {@link HardenedXml} makes,
 * and reading a document changes no system property (a limit set as one would hold for every
 * parser in the JVM, a caller's too).
 */
class HardenedXmlTest {

    /** Elements nested {@code depth} deep, with a CDATA section: only the JDK's parser reads it. */
    private static String nested(int depth) {
        return "<a>".repeat(depth - 1) + "<a><![CDATA[x]]></a>" + "</a>".repeat(depth - 1);
    }

    @Test
    void theDepthLimitHoldsOnTheJdkParser() throws Exception {
        String deepest = nested(HardenedXml.MAX_DEPTH);
        // The strict reader declines a CDATA section, so both go to the JDK's parser.
        assertThat(HardenedXml.readStrictly(deepest)).isNull();
        assertThat(HardenedXml.read(deepest).getRootElement().getName()).isEqualTo("a");
        String tooDeep = nested(HardenedXml.MAX_DEPTH + 1);
        assertThatThrownBy(() -> HardenedXml.reader().read(new StringReader(tooDeep)))
                .isInstanceOf(DocumentException.class).hasMessageContaining("maxElementDepth");
    }

    @Test
    void theAttributeLimitHoldsOnTheJdkParser() {
        StringBuilder xml = new StringBuilder("<a");
        for (int i = 0; i <= 10_000; i++) {
            xml.append(" a").append(i).append("='v'");
        }
        String tooMany = xml.append("><![CDATA[x]]></a>").toString();
        assertThatThrownBy(() -> HardenedXml.reader().read(new StringReader(tooMany)))
                .isInstanceOf(DocumentException.class).hasMessageContaining("JAXP00010002");
    }

    @Test
    void readingChangesNoSystemProperty() throws Exception {
        Properties before = (Properties) System.getProperties().clone();
        HardenedXml.read(nested(3));
        // A parser made on another thread is set up again (one reader per thread).
        Thread other = new Thread(() -> {
            try {
                HardenedXml.read(nested(3));
            } catch (DocumentException e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        other.join();
        assertThat(System.getProperties()).isEqualTo(before);
        assertThat(System.getProperties().stringPropertyNames())
                .noneMatch(name -> name.startsWith("jdk.xml.") || name.startsWith("javax.xml."));
    }
}
