package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> RULES = List.of("double-caching", "implicit-cache-mode",
            "unsafe-cache-persistent-disk", "unused-suppression");

    @Test
    void countsInsertionsDeletionsReplacementsAndTranspositionsAsOneEditEach() {
        assertThat(Suggestions.distance("sysctl", "sysctls", 5)).isEqualTo(1);
        assertThat(Suggestions.distance("sysctl", "sysctk", 5)).isEqualTo(1);
        assertThat(Suggestions.distance("sysctl", "sysclt", 5)).isEqualTo(1);
        assertThat(Suggestions.distance("sysctl", "sytcl", 5)).isEqualTo(2);
        assertThat(Suggestions.distance("abc", "abcdefgh", 2)).isGreaterThan(2);
    }

    @Test
    void suggestsTheClosestKnownNameWhenItIsCloseEnough() {
        assertThat(Suggestions.closest("doubel-caching", RULES)).contains("double-caching");
        assertThat(Suggestions.closest("Implicit-Cache-Mod", RULES)).contains("implicit-cache-mode");
        assertThat(Suggestions.closest("unused-supression", RULES)).contains("unused-suppression");
        assertThat(Suggestions.closest("cache", RULES)).isEmpty();
        assertThat(Suggestions.closest("no-such-rule", RULES)).isEmpty();
        // A prefix of three characters or more counts as close.
        assertThat(Suggestions.closest("warn", List.of("error", "warning", "info"))).contains("warning");
        assertThat(Suggestions.closest("wa", List.of("error", "warning", "info"))).isEmpty();
        // The first of equally close names.
        assertThat(Suggestions.closest("ab", List.of("ax", "ay"))).contains("ax");
        assertThat(Suggestions.didYouMean("sysctls", List.of("kernel", "sysctl")))
                .isEqualTo("; did you mean 'sysctl'?");
        assertThat(Suggestions.didYouMean("zzz", List.of("kernel", "sysctl"))).isEmpty();
    }
}
