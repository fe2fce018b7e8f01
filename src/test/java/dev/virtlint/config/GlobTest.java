package dev.virtlint.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void singleStarStaysInOneSegment() {
        Glob g = Glob.path("legacy/*.xml");
        assertThat(g.matches("legacy/a.xml")).isTrue();
        assertThat(g.matches("legacy/sub/a.xml")).isFalse();
        assertThat(g.matches("other/legacy/a.xml")).isFalse();
    }

    @Test
    void doubleStarCrossesSegmentsAndMatchesNoneAfterASlash() {
        Glob g = Glob.path("hosts/**/vm-*.xml");
        assertThat(g.matches("hosts/vm-1.xml")).isTrue();
        assertThat(g.matches("hosts/node1/rack/vm-2.xml")).isTrue();
        assertThat(g.matches("hosts/node1/db.xml")).isFalse();
        assertThat(Glob.path("/srv/ci/**").matches("/srv/ci/a/b.qcow2")).isTrue();
        assertThat(Glob.path("/srv/ci/**").matches("/srv/cid/b.qcow2")).isFalse();
    }

    @Test
    void trailingSlashMeansEverythingUnderIt() {
        assertThat(Glob.path("legacy/").matches("legacy/x/y.xml")).isTrue();
        assertThat(Glob.path("legacy/").matches("legacy.xml")).isFalse();
    }

    @Test
    void patternWithoutSlashMatchesTheFileNameAnywhere() {
        assertThat(Glob.path("*.args").matches("a/b/run.args")).isTrue();
        assertThat(Glob.path("*.args").matches("a/b/run.xml")).isFalse();
    }

    @Test
    void nameGlobsTreatSlashLikeAnyCharacterAndQuoteRegexCharacters() {
        assertThat(Glob.name("web-*").matches("web-01")).isTrue();
        assertThat(Glob.name("web-*").matches("db-01")).isFalse();
        assertThat(Glob.name("a.b?").matches("a.bc")).isTrue();
        assertThat(Glob.name("a.b?").matches("axbc")).isFalse();
    }
}
