package dev.virtlint.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.rules.FixPlan;
import dev.virtlint.model.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

    private static String numbered(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            b.append("line ").append(i).append('\n');
        }
        return b.toString();
    }

    @Test
    void oneChangedLineHasThreeLinesOfContext() {
        String text = numbered(10);
        int at = text.indexOf("line 5") + 5;
        String diff = UnifiedDiff.of("d/f.xml", text, List.of(new FixPlan.Replace(new Span(at, at + 1), "V")));
        assertThat(diff).isEqualTo("""
                --- a/d/f.xml
                +++ b/d/f.xml
                @@ -2,7 +2,7 @@
                 line 2
                 line 3
                 line 4
                -line 5
                +line V
                 line 6
                 line 7
                 line 8
                """);
    }

    @Test
    void anInsertedLineShiftsTheNewNumbersOfLaterHunks() {
        String text = numbered(30);
        int second = text.indexOf("line 2\n");
        int late = text.indexOf("line 25") + 5;
        String diff = UnifiedDiff.of("f", text, List.of(
                new FixPlan.Replace(Span.at(second), "new\n"),
                new FixPlan.Replace(new Span(late, late + 2), "XX")));
        assertThat(diff).contains("@@ -1,5 +1,6 @@\n line 1\n-line 2\n+new\n+line 2\n line 3\n")
                .contains("@@ -22,7 +23,7 @@\n");
    }

    @Test
    void nearbyChangesShareAHunkAndAMissingFinalNewlineIsMarked() {
        String text = "a\nb\nc\nd\ne";
        String diff = UnifiedDiff.of("f", text, List.of(
                new FixPlan.Replace(new Span(0, 1), "A"),
                new FixPlan.Replace(new Span(8, 9), "E")));
        assertThat(diff).isEqualTo("""
                --- a/f
                +++ b/f
                @@ -1,5 +1,5 @@
                -a
                +A
                 b
                 c
                 d
                -e
                \\ No newline at end of file
                +E
                \\ No newline at end of file
                """);
    }

    @Test
    void editsThatChangeNothingGiveNoDiff() {
        assertThat(UnifiedDiff.of("f", "abc\n", List.of(new FixPlan.Replace(new Span(0, 1), "a")))).isEmpty();
        assertThat(UnifiedDiff.of("f", "abc\n", List.of())).isEmpty();
    }
}
