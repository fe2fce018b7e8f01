package dev.virtlint.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** Each row: a path glob, a path, and whether it matches (classes and braces, issue 20). */
    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            vm[0-9].xml            | vm7.xml              | true
            vm[0-9].xml            | vmx.xml              | false
            vm[0-9].xml            | vm10.xml             | false
            vm[a-cx].xml           | vmb.xml              | true
            vm[a-cx].xml           | vmx.xml              | true
            vm[a-cx].xml           | vmd.xml              | false
            vm[!0-9].xml           | vmx.xml              | true
            vm[!0-9].xml           | vm3.xml              | false
            vm[^0-9].xml           | vmx.xml              | true
            vm[^0-9].xml           | vm3.xml              | false
            a[!x]b                 | a/b                  | false
            a?b                    | a/b                  | false
            [-a].xml               | -.xml                | true
            [a-].xml               | -.xml                | true
            []].xml                | ].xml                | true
            [!]].xml               | ].xml                | false
            [!]].xml               | x.xml                | true
            [*].xml                | *.xml                | true
            [*].xml                | a.xml                | false
            [.]x                   | .x                   | true
            *.{xml,args}           | run.args             | true
            *.{xml,args}           | dir/vm.xml           | true
            *.{xml,args}           | run.sh               | false
            {legacy,old}/**        | old/a/b.xml          | true
            {legacy,old}/**        | new/a.xml            | false
            {legacy,old}/**        | x/old/a.xml          | false
            hosts/{a,b{1,2}}/*.xml | hosts/b2/vm.xml      | true
            hosts/{a,b{1,2}}/*.xml | hosts/a/vm.xml       | true
            hosts/{a,b{1,2}}/*.xml | hosts/b3/vm.xml      | false
            hosts/{a,b{1,2}}/*.xml | hosts/b/vm.xml       | false
            {a,}x.xml              | x.xml                | true
            {a,}x.xml              | ax.xml               | true
            a,b.xml                | a,b.xml              | true
            {**/,}tmp/*.xml        | deep/er/tmp/a.xml    | true
            ci-[0-9][0-9]/         | ci-07/runner.xml     | true
            ci-[0-9][0-9]/         | ci-7/runner.xml      | false
            """)
    void classesAndBracesMatchAsInRuff(String glob, String path, boolean matches) {
        assertThat(Glob.path(glob).matches(path)).isEqualTo(matches);
    }

    /** Each row: a domain name glob, a name, and whether it matches. */
    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            web-[0-9][0-9]     | web-07     | true
            web-[0-9][0-9]     | web-7a     | false
            {web,db}-*         | db-primary | true
            {web,db}-*         | cache-01   | false
            rack[!a]x          | rack/x     | true
            ci/[a-z]*          | ci/runner  | true
            """)
    void nameGlobsHaveClassesAndBracesTooAndASlashIsAnyCharacter(String glob, String name,
                                                                  boolean matches) {
        assertThat(Glob.name(glob).matches(name)).isEqualTo(matches);
    }

    /** Each row: a malformed glob, the character (1-based) and the words its error names. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            vm[0-9.xml    | 3 | '[' is never closed by ']'
            []            | 1 | '[' is never closed by ']'
            *.{xml,args   | 3 | '{' is never closed by '}'
            {a,{b,c}      | 1 | '{' is never closed by '}'
            a}.xml        | 2 | '}' without an opening '{'
            vm[z-a].xml   | 4 | the range z-a is reversed
            a[/]b         | 3 | never matches '/' in a path
            a[.-0]b       | 3 | never matches '/' in a path
            ./x[          | 4 | '[' is never closed by ']'
            """)
    void malformedGlobsAreRefusedWithWhereAndWhy(String glob, int character, String why) {
        assertThatThrownBy(() -> Glob.path(glob)).isInstanceOf(Glob.Invalid.class)
                .hasMessageContaining("invalid pattern '" + glob + "'")
                .hasMessageContaining(why)
                .hasMessageContaining("(character " + character + ")");
    }
}
