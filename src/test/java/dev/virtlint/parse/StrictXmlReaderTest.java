package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StrictXmlReader} is sound: whatever it accepts, the JDK's parser accepts too and builds the
 * same dom4j tree from (names, namespaces and their declarations, attributes in order, text,
 * comments). Everything else it declines, and the JDK's parser decides. Checked on hand-written
 * cases at the edges of well-formedness, on every sample and on thousands of randomly damaged
 * domains. The corpus sweep ({@code bin/corpus-check}, run by {@code .ci/run}) checks libvirt's test
 * domains the same way.
 */
class StrictXmlReaderTest {

    private static final Path SAMPLES = Path.of("samples");

    /** Reads with both; fails unless the strict reader declined or both built the same tree. True when it accepted. */
    static boolean agree(String text) {
        ReaderAgreement.Result r = ReaderAgreement.compare(text);
        if (r.verdict() == ReaderAgreement.Verdict.DISAGREE) {
            fail(r.problem() + "\nfor the text:\n" + text);
        }
        return r.verdict() == ReaderAgreement.Verdict.READ_ALIKE;
    }

    @Test
    void aDifferentTreeIsReportedAsDisagreement() throws Exception {
        // The comparison itself must notice a difference, or every agreement above proves nothing.
        org.dom4j.Document a = HardenedXml.reader().read(new StringReader("<d a='1'>x</d>"));
        org.dom4j.Document b = HardenedXml.reader().read(new StringReader("<d a='2'>x</d>"));
        org.dom4j.Document c = HardenedXml.reader().read(new StringReader("<d a='1'>x<!--c--></d>"));
        assertThat(ReaderAgreement.dump(a)).isNotEqualTo(ReaderAgreement.dump(b)).isNotEqualTo(ReaderAgreement.dump(c));
        assertThat(ReaderAgreement.compare("<d a='1'>x</d>").verdict()).isEqualTo(ReaderAgreement.Verdict.READ_ALIKE);
        assertThat(ReaderAgreement.compare("<d><![CDATA[x]]></d>").verdict()).isEqualTo(ReaderAgreement.Verdict.DECLINED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<domain/>",
        "<domain type='kvm'><name>vm</name></domain>",
        "<?xml version='1.0'?>\n<domain/>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><domain/>",
        "<?xml version='1.0' encoding='ISO-8859-1' standalone='yes'?><domain/>",
        "<?xml version = '1.0' ?><domain/>",
        "<!-- before --><domain/><!-- after -->\n",
        "<domain>a &amp; b &lt;c&gt; &apos;&quot; &#65;&#x42;&#x0063;&#9;&#10;&#13;</domain>",
        "<domain a='x&#10;y' b=\"tab\there\" c='cr\r\nlf' d='lone\rcr' e=\"'\" f='\"' g='&amp;&lt;&#x20AC;'/>",
        "<domain>\r\n  <name>x</name>\r  <!-- c -->\r\n</domain>",
        "<domain>]]&gt; ] ]> >> </domain>",
        "<domain\n  type = 'kvm'\n  id='1'\n></domain  >",
        "<domain xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:commandline>"
                + "<qemu:arg value='-drive'/></qemu:commandline></domain>",
        "<domain xmlns='urn:a'><b xmlns=''><c/></b><d xmlns:p='urn:p' p:x='1' x='2'/></domain>",
        "<a:domain xmlns:a='urn:a' xmlns:b='urn:b'><b:x a:y='1' b:y='2'/><a:z xmlns:a='urn:other' a:k=''/></a:domain>",
        "<domain><metadata><v:virtlint xmlns:v='http://virtlint.dev/xmlns/domain/1.0'><v:ignore rule='x'>why"
                + "</v:ignore></v:virtlint></metadata></domain>",
        "<domain>text<!---->more<!-- - -->end</domain>",
        "<domain>\u00e9t\u00e9 \u20ac \u0085 \u007f \ufeff</domain>",
        "<d-1.x_y _a='1' a.b-c='2'/>",
        "<domain><!-- line\r\nends\rin a comment --></domain>",
    })
    void plainDomainXmlIsReadAlikeByBoth(String text) {
        assertThat(agree(text)).as("accepted: %s", text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // malformed: the JDK's parser must be the one to say so
        "", "   ", "<domain>", "<domain></Domain>", "<domain/><domain/>", "text<domain/>", "<domain/>text",
        "<domain a='1' a='2'/>", "<domain a='1'b='2'/>", "<domain a=1/>", "<domain a='<'/>", "<domain a='&x;'/>",
        "<domain>&nbsp;</domain>", "<domain>&#0;</domain>", "<domain>&#xD800;</domain>", "<domain>&#X41;</domain>",
        "<domain>&#;</domain>", "<domain>& </domain>", "<domain>]]></domain>", "<domain><!-- a -- b --></domain>",
        "<domain><!-- a ---></domain>", "<p:domain/>", "<domain xmlns:p='urn:p' xmlns:q='urn:p' p:a='1' q:a='2'/>",
        "<domain xmlns:p=''/>", "<domain xmlns:xml='urn:x'/>", "<xmlns:domain/>", "<domain \u0001/>",
        "<1domain/>", "<domain:/>", "<:domain/>", "<a:b:c xmlns:a='u'/>", "<domain/ >", "<domain></domain x='1'>",
        // well-formed but outside what the strict reader handles
        "<!DOCTYPE domain><domain/>", "<domain><![CDATA[x]]></domain>", "<?pi x?><domain/>", "<domain><?pi?></domain>",
        "<?xml version='1.1'?><domain/>", " <?xml version='1.0'?><domain/>", "<?xml version='1.0' encoding='8bit'?><d/>",
        "<?xml encoding='UTF-8'?><d/>", "<?xmlversion='1.0'?><d/>", "<?xml version='1.0'standalone='yes'?><d/>",
        "<domain xml:lang='en'/>", "<d\u00e9/>", "<domain>\ud83d\udcbe</domain>", "\ufeff<domain/>",
        "<domain>\uffff</domain>", "<xmlfoo/>",
    })
    void everythingElseIsDeclined(String text) {
        assertThat(agree(text)).as("declined: %s", text).isFalse();
    }

    @Test
    void deepNestingIsLeftToTheJdkParser() {
        String deep = "<a>".repeat(StrictXmlReader.MAX_DEPTH + 1) + "</a>".repeat(StrictXmlReader.MAX_DEPTH + 1);
        String shallow = "<a>".repeat(StrictXmlReader.MAX_DEPTH) + "</a>".repeat(StrictXmlReader.MAX_DEPTH);
        assertThat(agree(deep)).isFalse();
        assertThat(agree(shallow)).isTrue();
    }

    @Test
    void everySampleIsReadAlikeAndEveryDomainSampleStrictly() throws IOException {
        int accepted = 0;
        List<Path> files = xmlFiles(SAMPLES);
        for (Path f : files) {
            boolean strict = agree(decoded(f));
            accepted += strict ? 1 : 0;
            // A refused sample (two domains in one file) is no plain domain.
            if (f.startsWith(SAMPLES.resolve("domains")) && !strict
                    && !decoded(f).contains("<!-- expect: input-error")) {
                fail("a plain domain sample was declined, so a lint of it pays for the JDK's parser: " + f);
            }
        }
        assertThat(files).hasSizeGreaterThan(50);
        assertThat(accepted).as("samples read strictly").isGreaterThan(files.size() * 9 / 10);
    }

    @Test
    void damagedDomainsAreNeverAcceptedWrongly() throws IOException {
        Random random = new Random(20261122);
        String alphabet = "<>/!?-=&;#x:'\" \n\r\tabAB09]_.\u00e9\u0000";
        String[] fragments = {"<!--", "-->", "]]>", "&amp;", "&#", "xmlns", "xmlns:p='u'", "p:", "<?xml version='1.0'?>",
            "</domain>", "<disk>", "/>", "<![CDATA[", "&#x0;", "''", "=\"\""};
        List<Path> domains = xmlFiles(SAMPLES.resolve("domains"));
        int accepted = 0;
        int tried = 0;
        for (Path f : domains) {
            String original = decoded(f);
            for (int k = 0; k < 1500; k++) {
                StringBuilder text = new StringBuilder(original);
                for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
                    int at = random.nextInt(text.length() + 1);
                    switch (random.nextInt(4)) {
                        case 0 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        case 1 -> text.insert(at, fragments[random.nextInt(fragments.length)]);
                        case 2 -> {
                            if (at < text.length()) {
                                text.deleteCharAt(at);
                            }
                        }
                        default -> {
                            if (at < text.length()) {
                                text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                            }
                        }
                    }
                }
                tried++;
                accepted += agree(text.toString()) ? 1 : 0;
            }
        }
        // Many damaged texts are still well-formed (an edit inside a value or a comment): those are read alike.
        assertThat(tried).isGreaterThan(10_000);
        assertThat(accepted).isBetween(tried / 10, tried - tried / 10);
    }

    /** The text as a lint reads it: decoded by its declared charset, without a byte order mark. */
    private static String decoded(Path f) throws IOException {
        try {
            return TextDecoder.decode(f.toString(), Files.readAllBytes(f)).text();
        } catch (ParseException e) {
            throw new AssertionError(f + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> xmlFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return new ArrayList<>(s.filter(p -> p.toString().endsWith(".xml")).sorted().toList());
        }
    }
}
