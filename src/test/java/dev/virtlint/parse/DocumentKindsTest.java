package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Position;
import dev.virtlint.model.SourceText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Files that are not one domain: XML of other tools (skipped, their DOCTYPE never read), a
 * standalone {@code <disk>} (one disk of an unknown domain), and two domains in one file (one
 * clear error at the second root).
 */
class DocumentKindsTest {

    /** Counts every request, so a test can show that nothing was fetched. */
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "<!ENTITY leak \"FETCHED\">".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static DomainParser.Result parse(String text) throws ParseException {
        return DomainParser.parse(SourceText.of("t.xml", text));
    }

    @Test
    void anApplePlistWithItsDoctypeIsSkippedAndItsDtdNeverFetched() throws Exception {
        String plist = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"" + url("/PropertyList-1.0.dtd") + "\">\n"
                + "<plist version=\"1.0\">\n<dict>\n  <key>Label</key>\n  <string>dev.example.agent</string>\n"
                + "</dict>\n</plist>\n";
        DomainParser.Result r = parse(plist);
        assertThat(r).isInstanceOfSatisfying(DomainParser.Skipped.class, s -> {
            assertThat(s.root()).isEqualTo("plist");
            assertThat(s.reason()).contains("<plist>").contains("DOCTYPE");
        });
        assertThat(requests).hasValue(0);
    }

    @Test
    void xhtmlWithADoctypeAndUndeclaredEntitiesIsSkipped() throws Exception {
        String xhtml = "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"" + url("/xhtml1-strict.dtd")
                + "\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>a&nbsp;b</title></head></html>\n";
        assertThat(parse(xhtml)).isInstanceOfSatisfying(DomainParser.Skipped.class,
                s -> assertThat(s.root()).isEqualTo("html"));
        assertThat(requests).hasValue(0);
    }

    @Test
    void anExternalEntityInAFileThatIsNotADomainIsNeitherFetchedNorReadFromDisk() throws Exception {
        Path secret = Files.createTempFile("virtlint-secret", ".txt");
        Files.writeString(secret, "TOP-SECRET-HOSTNAME");
        try {
            String text = "<!DOCTYPE project [\n <!ENTITY net SYSTEM \"" + url("/entity") + "\">\n"
                    + " <!ENTITY file SYSTEM \"" + secret.toUri() + "\">\n <!ENTITY % p SYSTEM \"" + url("/p.dtd")
                    + "\"> %p;\n]>\n<project><name>&net;&file;&leak;</name></project>\n";
            assertThat(parse(text)).isInstanceOfSatisfying(DomainParser.Skipped.class, s -> {
                assertThat(s.root()).isEqualTo("project");
                assertThat(s.reason()).doesNotContain("TOP-SECRET").doesNotContain("FETCHED");
            });
            assertThat(requests).hasValue(0);
        } finally {
            Files.delete(secret);
        }
    }

    @Test
    void aBillionLaughsInAFileThatIsNotADomainIsSkippedWithoutExpandingIt() throws Exception {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            b.append(" <!ENTITY lol").append(i).append(" \"");
            for (int k = 0; k < 10; k++) {
                b.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            b.append("\">\n");
        }
        // A '>' and a fake root inside the internal subset must not be taken for the document's root.
        b.append(" <!ENTITY fake \"<domain>\"> <!-- <domain> -->\n]>\n<lolz>&lol9;</lolz>\n");
        long start = System.nanoTime();
        assertThat(parse(b.toString())).isInstanceOfSatisfying(DomainParser.Skipped.class,
                s -> assertThat(s.root()).isEqualTo("lolz"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aDoctypeInADomainIsStillRefusedAndItsExternalDtdNotFetched() {
        String text = "<!DOCTYPE domain SYSTEM \"" + url("/domain.dtd") + "\">\n<domain type='kvm'><name>a</name></domain>";
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ParseException.class)
                .hasMessageContaining("DOCTYPE declarations are refused");
        assertThat(requests).hasValue(0);
    }

    @Test
    void aDoctypeInADiskDocumentIsRefusedLikeOneInADomain() {
        String text = "<!DOCTYPE disk [<!ENTITY x \"y\">]>\n<disk type='file'><source file='/&x;'/></disk>";
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ParseException.class)
                .hasMessageContaining("DOCTYPE declarations are refused");
    }

    @Test
    void aMavenPomIsSkipped() throws Exception {
        String pom = "<?xml version=\"1.0\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                + "  <modelVersion>4.0.0</modelVersion>\n</project>\n";
        assertThat(parse(pom)).isInstanceOfSatisfying(DomainParser.Skipped.class,
                s -> assertThat(s.reason()).isEqualTo("not a domain: the root element is <project>"));
    }

    @Test
    void aStandaloneDiskIsOneDiskOfAnUnknownDomain() throws Exception {
        String disk = "<disk type='file' device='disk'>\n  <driver name='qemu' type='qcow2' cache='writeback'/>\n"
                + "  <source file='/var/lib/libvirt/images/data.qcow2'/>\n  <target dev='vdb' bus='virtio'/>\n</disk>\n";
        DomainParser.Result r = parse(disk);
        assertThat(r).isInstanceOfSatisfying(DomainParser.Parsed.class, p -> {
            assertThat(p.standaloneDisk()).isTrue();
            assertThat(p.domain().name()).isNull();
            assertThat(p.domain().osId()).isNull();
            assertThat(p.domain().memoryBytes()).isNull();
            assertThat(p.domain().disks()).singleElement().satisfies(d -> {
                assertThat(d.target()).isEqualTo("vdb");
                assertThat(d.source()).contains("/var/lib/libvirt/images/data.qcow2");
                assertThat(d.cache().preset()).contains(CacheMode.Preset.WRITEBACK);
                assertThat(disk.substring(d.span().start(), d.span().end())).isEqualTo("<disk type='file' device='disk'>");
            });
        });
    }

    @Test
    void aDiskInAnotherNamespaceIsSkipped() throws Exception {
        assertThat(parse("<x:disk xmlns:x='urn:other'/>")).isInstanceOf(DomainParser.Skipped.class);
    }

    @Test
    void twoDomainsInOneFileAreOneErrorAtTheSecondRoot() {
        String text = "<domain type='kvm'>\n  <name>a</name>\n</domain>\n<domain type='kvm'>\n  <name>b</name>\n</domain>\n";
        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(ParseException.class, e -> {
            assertThat(e.getMessage())
                    .isEqualTo("this file holds more than one domain document; libvirt reads one per file");
            assertThat(e.position()).isEqualTo(new Position(4, 1));
        });
    }

    @Test
    void aSecondXmlDeclarationBeforeTheSecondDomainStillNamesTheSecondRoot() {
        String text = "<?xml version='1.0'?>\n<domain><name>a</name></domain>\n<?xml version='1.0'?>\n"
                + "  <domain><name>b</name></domain>\n";
        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(ParseException.class, e -> {
            assertThat(e.getMessage()).contains("more than one domain document");
            assertThat(e.position()).isEqualTo(new Position(4, 3));
        });
    }

    @Test
    void anErrorInsideTheFirstOfTwoDomainsIsTheParsersOwn() {
        String text = "<domain>\n  <name>a</nam>\n</domain>\n<domain><name>b</name></domain>\n";
        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(ParseException.class, e -> {
            assertThat(e.getMessage()).startsWith("malformed XML");
            assertThat(e.position().line()).isEqualTo(2);
        });
    }

    @Test
    void anotherRootAfterADomainIsNamed() {
        String text = "<domain><name>a</name></domain>\n<network><name>n</name></network>\n";
        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(ParseException.class, e -> {
            assertThat(e.getMessage()).contains("a second root element <network> follows the <domain> document");
            assertThat(e.position()).isEqualTo(new Position(2, 1));
        });
    }

    @Test
    void aStandaloneDiskIsLintedAndFixedWithWhatIsUnknownSaid() {
        String disk = "<disk type='file'>\n  <driver name='qemu' type='qcow2' cache='unsafe'/>\n"
                + "  <source file='/var/lib/libvirt/images/scratch.qcow2'/>\n  <target dev='vdc' bus='virtio'/>\n"
                + "</disk>\n";
        dev.virtlint.lint.ParsedFile file = dev.virtlint.lint.Loader.load(new dev.virtlint.lint.Input("d.xml", null,
                dev.virtlint.lint.Input.Kind.XML, disk.getBytes(java.nio.charset.StandardCharsets.UTF_8))).file();
        assertThat(file.kind()).isEqualTo(dev.virtlint.lint.ParsedFile.Kind.DISK);
        var findings = dev.virtlint.rules.Linter.lint(file, dev.virtlint.rules.Linter.Settings.defaults());
        assertThat(findings).extracting(dev.virtlint.rules.Finding::rule)
                .containsExactly("double-caching", "unsafe-cache-persistent-disk");
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.message()).startsWith("disk vdc (/var/lib/libvirt/images/scratch.qcow2; standalone <disk>,"
                    + " domain and guest OS unknown) uses cache='unsafe'");
            assertThat(f.evidence().assumptions()).contains(
                    "the guest flushes (a standalone <disk>: its domain and guest OS are unknown)",
                    "guest memory 2 GiB (a standalone <disk>: its domain is unknown)");
        });
        // Its guest is unknown, so its fix is unsafe: planned with unsafe fixes.
        assertThat(dev.virtlint.rewrite.Fixer.plan(file, findings, true).text())
                .isEqualTo(disk.replace("cache='unsafe'", "cache='none'"));
    }
}
