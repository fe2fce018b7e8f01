package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.model.Annotations;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.DiskDevice;
import dev.virtlint.model.Domain;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.Position;
import dev.virtlint.model.Setting;
import dev.virtlint.model.SourceKind;
import dev.virtlint.model.SourceText;
import dev.virtlint.model.Span;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.SAXParserFactory;
import org.junit.jupiter.api.Test;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.helpers.DefaultHandler;

class DomainParserTest {

    private static final String DOMAIN = """
            <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
              <name>db01</name>
              <uuid>9e1c4f02-7a3b-4d55-8c19-2b7e6a0f3d48</uuid>
              <memory unit='GiB'>2</memory>
              <metadata>
                <osinfo:libosinfo xmlns:osinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
                  <osinfo:os id="http://centos.org/centos/5.5"/>
                </osinfo:libosinfo>
                <vl:virtlint xmlns:vl="http://virtlint.dev/xmlns/domain/1.0">
                  <vl:ignore rule="double-caching" disk="vdb" reason="benchmarked"/>
                  <vl:disk target="vdb" scratch="yes"/>
                  <vl:guest flushes="no"/>
                </vl:virtlint>
              </metadata>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2' cache='unsafe' io="native" discard='unmap' detect_zeroes='unmap'/>
                  <source file='/var/lib/libvirt/images/db01.qcow2'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <disk type="block" device="disk">
                  <driver name="qemu" type="raw"/>
                  <source dev="/dev/vg/data"/>
                  <target dev="vdb" bus="virtio"/>
                  <shareable/>
                  <transient/>
                </disk>
                <disk type='network' device='cdrom'>
                  <source protocol='nbd' name='iso'><host name='nbd.example' port='10809'/></source>
                  <target dev='sda' bus='sata'/>
                  <readonly/>
                </disk>
              </devices>
              <qemu:commandline>
                <qemu:arg value='-drive'/>
                <qemu:arg value='file=/a,,b&amp;c.img,if=virtio,cache=writethrough'/>
              </qemu:commandline>
            </domain>
            """;

    private static DomainParser.Parsed parse(String text) throws ParseException {
        return (DomainParser.Parsed) DomainParser.parse(SourceText.of("t.xml", text));
    }

    private static String slice(String text, Disk d, Setting key) {
        Span s = d.setting(key).orElseThrow().span();
        return text.substring(s.start(), s.end());
    }

    @Test
    void nelOrLineSeparatorInAnXml11DocumentIsAnErrorAtItsPosition() {
        for (String end : new String[] {"\u0085", "\u2028"}) {
            String text = "<?xml version='1.1' encoding='UTF-8'?>\n<domain" + end + "type='kvm'><name>a</name></domain>";
            assertThatThrownBy(() -> DomainParser.parse(SourceText.of("t.xml", text)))
                    .isInstanceOf(ParseException.class).hasMessageContaining("XML 1.1")
                    .satisfies(e -> assertThat(((ParseException) e).position().line()).isEqualTo(2));
        }
    }

    @Test
    void aCdromIsReadOnlyWithoutReadonlyAndOnlySomeLunsArePassthrough() throws ParseException {
        Domain d = parse("""
                <domain type='kvm'><name>m</name><devices>
                  <disk type='file' device='cdrom'><source file='/iso/a.iso'/><target dev='sda' bus='sata'/></disk>
                  <disk type='file' device='cdrom'><target dev='sdb' bus='sata'/></disk>
                  <disk type='file' device='disk'><source file='/vm/b.img'/><target dev='vda'/><readonly/></disk>
                  <disk type='block' device='lun'><source dev='/dev/sdc'/><target dev='sdc' bus='scsi'/></disk>
                  <disk type='block' device='lun'><source dev='/dev/sdd'/><target dev='sdd'/></disk>
                  <disk type='block' device='lun'><source dev='/dev/sde'/><target dev='vdb' bus='virtio'/></disk>
                  <disk type='block' device='lun'><source dev='/dev/sdf'/><target dev='vdc'/></disk>
                  <disk type='dir' device='disk'><driver name='qemu' type='fat'/><source dir='/srv/x'/>
                    <target dev='vdd' bus='virtio'/></disk>
                  <disk type='file' device='disk'><source file='/vm/c.img'/><target dev='vde' bus='virtio'/></disk>
                </devices></domain>
                """).domain();
        List<Disk> disks = d.disks();
        assertThat(disks.get(0).readonlyBy()).contains("cdrom");
        assertThat(disks.get(0).noCacheAdvice()).contains("a CD-ROM, which libvirt and QEMU open read-only");
        assertThat(disks.get(1).noCacheAdvice()).contains("an empty CD-ROM drive");
        assertThat(disks.get(2).readonlyBy()).contains("stated");
        assertThat(disks.get(2).noCacheAdvice()).contains("read-only");
        assertThat(disks.get(3).noCacheAdvice()).hasValueSatisfying(r -> assertThat(r).contains("SG_IO"));
        assertThat(disks.get(4).noCacheAdvice()).as("sd* without a bus is scsi").isPresent();
        assertThat(disks.get(5).noCacheAdvice()).as("a lun on virtio-blk").isEmpty();
        assertThat(disks.get(6).noCacheAdvice()).as("vd* without a bus is virtio").isEmpty();
        assertThat(disks.get(7).noCacheAdvice()).hasValueSatisfying(r -> assertThat(r).contains("vvfat"));
        assertThat(disks.get(8).readonlyBy()).isEmpty();
        assertThat(disks.get(8).noCacheAdvice()).isEmpty();
    }

    @Test
    void readsTheDomainAndItsDisks() throws ParseException {
        Domain d = parse(DOMAIN).domain();
        assertThat(d.name()).isEqualTo("db01");
        assertThat(d.uuid()).isEqualTo("9e1c4f02-7a3b-4d55-8c19-2b7e6a0f3d48");
        assertThat(d.memoryBytes()).isEqualTo(2L << 30);
        assertThat(d.osId()).isEqualTo("http://centos.org/centos/5.5");
        assertThat(d.disks()).extracting(Disk::target).containsExactly("vda", "vdb", "sda", "virtio0");

        Disk vda = d.disks().get(0);
        assertThat(vda.cache()).isEqualTo(CacheMode.Preset.UNSAFE.explicitMode());
        assertThat(vda.io()).contains("native");
        assertThat(vda.discard()).contains("unmap");
        assertThat(vda.detectZeroes()).contains("unmap");
        assertThat(vda.format()).contains("qcow2");

        Disk vdb = d.disks().get(1);
        assertThat(vdb.sourceKind()).isEqualTo(SourceKind.BLOCK);
        assertThat(vdb.shareable()).isTrue();
        assertThat(vdb.isTransient()).isTrue();
        assertThat(vdb.cache()).isEqualTo(CacheMode.DEFAULT);

        Disk sda = d.disks().get(2);
        assertThat(sda.device()).isEqualTo(DiskDevice.CDROM);
        assertThat(sda.readonly()).isTrue();
        assertThat(sda.source()).contains("nbd://nbd.example:10809/iso");
        assertThat(sda.host()).contains("nbd.example");

        Disk extra = d.disks().get(3);
        assertThat(extra.dialect()).isEqualTo(Dialect.QEMU_COMMANDLINE);
        assertThat(extra.source()).contains("/a,b&c.img");
        assertThat(extra.cache().modeName()).isEqualTo("writethrough");
    }

    @Test
    void spansPointExactlyAtAttributeValues() throws ParseException {
        Domain d = parse(DOMAIN).domain();
        Disk vda = d.disks().get(0);
        assertThat(slice(DOMAIN, vda, Setting.CACHE)).isEqualTo("unsafe");
        assertThat(slice(DOMAIN, vda, Setting.IO)).isEqualTo("native");
        assertThat(slice(DOMAIN, vda, Setting.DISCARD)).isEqualTo("unmap");
        assertThat(slice(DOMAIN, vda, Setting.DETECT_ZEROES)).isEqualTo("unmap");
        assertThat(slice(DOMAIN, vda, Setting.SOURCE)).isEqualTo("/var/lib/libvirt/images/db01.qcow2");
        assertThat(slice(DOMAIN, vda, Setting.TARGET)).isEqualTo("vda");
        assertThat(slice(DOMAIN, vda, Setting.DRIVER)).startsWith("<driver ").endsWith("/>");
        assertThat(DOMAIN.substring(vda.span().start(), vda.span().end())).isEqualTo("<disk type='file' device='disk'>");

        Disk vdb = d.disks().get(1);
        assertThat(slice(DOMAIN, vdb, Setting.SHAREABLE)).isEqualTo("<shareable/>");
        assertThat(slice(DOMAIN, vdb, Setting.TRANSIENT)).isEqualTo("<transient/>");
        assertThat(vdb.setting(Setting.CACHE)).isEmpty();
    }

    @Test
    void positionsOfADiskAreItsStartTag() throws ParseException {
        DomainParser.Parsed p = parse(DOMAIN);
        Disk vda = p.domain().disks().get(0);
        assertThat(p.tree().source().start(vda.span())).isEqualTo(new Position(16, 5));
        Span cache = vda.setting(Setting.CACHE).orElseThrow().span();
        assertThat(p.tree().source().positionOf(cache.start()))
                .isEqualTo(new Position(17, DOMAIN.split("\n")[16].indexOf("unsafe") + 1));
    }

    @Test
    void qemuCommandlineSpansMapThroughEntitiesAndDoubledCommas() throws ParseException {
        Disk extra = parse(DOMAIN).domain().disks().get(3);
        assertThat(slice(DOMAIN, extra, Setting.SOURCE)).isEqualTo("/a,,b&amp;c.img");
        assertThat(slice(DOMAIN, extra, Setting.CACHE)).isEqualTo("writethrough");
    }

    @Test
    void metadataAnnotationsAreReadWithAnyPrefix() throws ParseException {
        Annotations a = parse(DOMAIN).domain().annotations();
        assertThat(a.ignores()).singleElement().satisfies(i -> {
            assertThat(i.rule()).isEqualTo("double-caching");
            assertThat(i.disk()).isEqualTo("vdb");
            assertThat(i.reason()).isEqualTo("benchmarked");
        });
        assertThat(a.disks()).singleElement().satisfies(n -> assertThat(n.scratch()).isTrue());
        assertThat(a.guestNote().orElseThrow().flushes()).isEqualTo("no");
    }

    @Test
    void anotherNamespaceUnderTheSamePrefixIsNotOurs() throws ParseException {
        String text = """
                <domain><name>x</name><metadata>
                  <libosinfo:libosinfo xmlns:libosinfo="http://example.com/other"><libosinfo:os id="nope"/></libosinfo:libosinfo>
                </metadata></domain>""";
        assertThat(parse(text).domain().osId()).isNull();
    }

    @Test
    void crlfAndBomKeepPositionsExact() throws ParseException {
        String lf = DOMAIN;
        String crlf = lf.replace("\n", "\r\n");
        byte[] body = crlf.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);

        SourceText source = TextDecoder.decode("bom.xml", withBom);
        assertThat(source.bom()).isTrue();
        assertThat(source.text()).isEqualTo(crlf);
        DomainParser.Parsed p = (DomainParser.Parsed) DomainParser.parse(source);
        DomainParser.Parsed plain = parse(lf);
        for (int i = 0; i < plain.domain().disks().size(); i++) {
            Disk a = plain.domain().disks().get(i);
            Disk b = p.domain().disks().get(i);
            for (Setting key : a.settings().keySet()) {
                Span sa = a.setting(key).orElseThrow().span();
                Span sb = b.setting(key).orElseThrow().span();
                assertThat(plain.tree().source().positionOf(sa.start()))
                        .as("%s of %s", key, a.target())
                        .isEqualTo(source.positionOf(sb.start()));
                if (key != Setting.DRIVER) {
                    assertThat(source.slice(sb)).isEqualTo(lf.substring(sa.start(), sa.end()));
                }
            }
        }
    }

    @Test
    void aNetworkDefinitionIsSkippedNotAnError() throws ParseException {
        DomainParser.Result r = DomainParser.parse(SourceText.of("net.xml", "<network><name>default</name></network>"));
        assertThat(r).isInstanceOf(DomainParser.Skipped.class);
        assertThat(((DomainParser.Skipped) r).reason()).contains("<network>");
    }

    @Test
    void malformedXmlReportsLineAndColumn() {
        String text = "<domain>\n  <name>x</name>\n  <devices>\n    <disk type='file'\n  </devices>\n</domain>\n";
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(ParseException.class)
                .hasMessageStartingWith("malformed XML")
                .satisfies(e -> assertThat(((ParseException) e).position().line()).isEqualTo(5));
    }

    @Test
    void externalEntityIsNeitherReadNorPrinted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path secret = tmp.resolve("virtlint-secret.txt");
        java.nio.file.Files.writeString(secret, "TOP-SECRET-HOSTNAME");
        String text = "<?xml version=\"1.0\"?>\n<!DOCTYPE domain [ <!ENTITY x SYSTEM \"" + secret.toUri() + "\"> ]>\n"
                + "<domain><name>&x;</name></domain>\n";
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining("TOP-SECRET")
                .satisfies(e -> assertThat(((ParseException) e).position()).isEqualTo(new Position(2, 1)));
    }

    @Test
    void parameterEntityIsRefused() {
        String text = "<!DOCTYPE domain [ <!ENTITY % p SYSTEM \"http://127.0.0.1:1/evil.dtd\"> %p; ]><domain/>";
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ParseException.class).hasMessageContaining("DOCTYPE");
    }

    @Test
    void billionLaughsFailsFastWithAClearError() {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            b.append(" <!ENTITY lol").append(i).append(" \"");
            for (int k = 0; k < 10; k++) {
                b.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            b.append("\">\n");
        }
        b.append("]>\n<domain><name>&lol9;</name></domain>\n");
        // Refused at the DOCTYPE itself (line 2), before any entity is declared, let alone expanded:
        // no wall-clock bound needed.
        assertThatThrownBy(() -> parse(b.toString()))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("DOCTYPE declarations are refused")
                .satisfies(e -> assertThat(((ParseException) e).position()).isEqualTo(new Position(2, 1)));
    }

    @Test
    void nestingDeeperThanLibxml2AcceptsIsRefusedAtTheElementInsteadOfOverflowingTheStack() {
        String tooDeep = nested(100_000);
        assertThatThrownBy(() -> parse(tooDeep))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("maxElementDepth")
                // The parser stops at the '>' of the first start tag one level too deep: <x> number MAX_DEPTH.
                .satisfies(e -> assertThat(((ParseException) e).position())
                        .isEqualTo(new Position(3, 3 * HardenedXml.MAX_DEPTH)));
    }

    @Test
    void nestingUpToTheLimitIsRead() throws Exception {
        assertThat(DomainParser.parseTree(SourceText.of("t", nested(HardenedXml.MAX_DEPTH - 1))).document().getRootElement().getName())
                .isEqualTo("domain");
    }

    /** A domain whose third line nests {@code depth} elements inside {@code <domain>}. */
    private static String nested(int depth) {
        return "<domain type='kvm'>\n  <name>deep</name>\n" + "<x>".repeat(depth) + "</x>".repeat(depth)
                + "\n</domain>\n";
    }

    @Test
    void theHardenedReaderRefusesADoctypeEvenWithoutOurPrecheck() {
        String text = "<!DOCTYPE domain [ <!ENTITY x \"y\"> ]><domain><name>&x;</name></domain>";
        assertThatThrownBy(() -> HardenedXml.reader().read(new StringReader(text)))
                .hasMessageContaining("DOCTYPE");
    }

    /**
     * Pins why positions come from {@link XmlScanner}: the SAX locator reports a start tag where
     * it ends, after {@code >}, not where {@code <} is.
     */
    @Test
    void saxLocatorReportsTheEndOfAStartTag() throws Exception {
        String text = "<domain>\n  <disk type='file'\n        device='disk'>\n  </disk>\n</domain>";
        List<String> seen = new ArrayList<>();
        DefaultHandler handler = new DefaultHandler() {
            private Locator locator;

            @Override
            public void setDocumentLocator(Locator l) {
                locator = l;
            }

            @Override
            public void startElement(String uri, String local, String qname, Attributes atts) {
                seen.add(qname + "@" + locator.getLineNumber() + ":" + locator.getColumnNumber());
            }
        };
        SAXParserFactory.newInstance().newSAXParser().parse(new InputSource(new StringReader(text)), handler);
        assertThat(seen).containsExactly("domain@1:9", "disk@3:23");

        XmlTree tree = DomainParser.parseTree(SourceText.of("t", text));
        var disk = tree.document().getRootElement().element("disk");
        assertThat(tree.source().start(tree.tagSpan(disk))).isEqualTo(new Position(2, 3));
    }

    @Test
    void invalidUtf8IsAnErrorWithAPosition() {
        byte[] bytes = "<domain>\n<name>ab\u00ff</name></domain>".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> TextDecoder.decode("bad.xml", bytes))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("not valid UTF-8")
                .satisfies(e -> assertThat(((ParseException) e).position()).isEqualTo(new Position(2, 9)));
    }

    @Test
    void declaredLatin1EncodingIsHonoured() throws ParseException {
        byte[] bytes = "<?xml version='1.0' encoding='ISO-8859-1'?><domain><name>b\u00fcro</name></domain>"
                .getBytes(StandardCharsets.ISO_8859_1);
        SourceText source = TextDecoder.decode("latin1.xml", bytes);
        assertThat(source.charset()).isEqualTo("ISO-8859-1");
        assertThat(((DomainParser.Parsed) DomainParser.parse(source)).domain().name()).isEqualTo("b\u00fcro");
    }

    @Test
    void commentsAndCdataDoNotConfuseTheTagScanner() throws ParseException {
        String text = """
                <domain>
                  <!-- <disk type='file'><driver cache='unsafe'/></disk> -->
                  <description><![CDATA[ <disk> is not a tag here ]]></description>
                  <devices>
                    <disk type='file' device='disk'><driver name='qemu' cache='none' /><target dev='vda' attr='a>b'/></disk>
                  </devices>
                </domain>""";
        DomainParser.Parsed p = parse(text);
        assertThat(p.domain().disks()).singleElement().satisfies(d -> {
            assertThat(d.cache().modeName()).isEqualTo("none");
            assertThat(slice(text, d, Setting.CACHE)).isEqualTo("none");
            assertThat(slice(text, d, Setting.TARGET)).isEqualTo("vda");
        });
        assertThat(p.tree().comments()).singleElement().satisfies(c -> assertThat(c.body()).contains("unsafe"));
    }

    private static Disk oneDisk(String driver, String target) throws ParseException {
        String text = "<domain type='kvm'><name>t</name><devices><disk type='file' device='disk'>"
                + driver + "<source file='/i/a.qcow2'/>" + target + "</disk></devices></domain>";
        return parse(text).domain().disks().get(0);
    }

    @Test
    void libvirtValuesAreReadExactlyAndAnythingElseIsRefused() throws ParseException {
        Disk d = oneDisk("<driver name='qemu' type='qcow3' cache='writeback-please' io='default'"
                + " discard='on' detect_zeroes='unamp'/>", "<target dev='vda' bus='virtoi'/>");
        assertThat(d.refused()).extracting(r -> r.name() + "=" + r.value() + " " + r.closest())
                .containsExactly("type=qcow3 [qcow, qcow2, cow]",
                        "cache=writeback-please [writeback]", "io=default []", "discard=on []",
                        "detect_zeroes=unamp [unmap]", "bus=virtoi [virtio]");
        assertThat(d.refused()).allMatch(r -> r.reader().equals("libvirt") && !r.unknownName());
        assertThat(d.cache().explicit()).isFalse();
    }

    @Test
    void qemusCacheOffIsNotALibvirtMode() throws ParseException {
        Disk d = oneDisk("<driver name='qemu' cache='off'/>", "<target dev='vda' bus='virtio'/>");
        assertThat(d.cache().explicit()).isFalse();
        assertThat(d.refused()).extracting(r -> r.value()).containsExactly("off");
    }

    @Test
    void cacheDefaultAndEveryEnumValueAreAccepted() throws ParseException {
        for (String driver : List.of("<driver cache='default'/>", "<driver cache='directsync'"
                + " io='io_uring' discard='ignore' detect_zeroes='off' type='raw'/>",
                "<driver type='aio'/>")) {
            Disk d = oneDisk(driver, "<target dev='sda' bus='sata'/>");
            assertThat(d.refused()).as(driver).isEmpty();
        }
    }
}
