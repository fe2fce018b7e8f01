package dev.virtlint.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.model.Span;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextEditsTest {

    private static final String TEXT = "0123456789abcdefghij";

    private static boolean applies(TextEdits edits) {
        try {
            edits.apply(TEXT);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Issue 15: the fixer added each disk's edits by applying all edits so far to the whole text
     * (quadratic in disks); {@link TextEdits.Disjoint} must take exactly the edit sets that such an
     * apply takes, and build the same text.
     */
    @Test
    void disjointTakesExactlyWhatApplyingEverythingAgainTakes() {
        Random random = new Random(15);
        for (int round = 0; round < 3000; round++) {
            TextEdits.Disjoint disjoint = new TextEdits.Disjoint();
            TextEdits all = new TextEdits();
            for (int set = 0; set < 4; set++) {
                TextEdits mine = new TextEdits();
                int count = 1 + random.nextInt(2);
                for (int k = 0; k < count; k++) {
                    int start = random.nextInt(TEXT.length());
                    int end = Math.min(TEXT.length(), start + random.nextInt(4));
                    mine.add(new Span(start, end), "x" + set + k);
                }
                if (!applies(mine)) {
                    assertThatThrownBy(() -> mine.check(TEXT.length())).isInstanceOf(IllegalArgumentException.class);
                    continue;
                }
                mine.check(TEXT.length());
                boolean expected = applies(new TextEdits().addAll(all).addAll(mine));
                boolean taken;
                try {
                    disjoint.add(mine);
                    taken = true;
                } catch (TextEdits.OverlapException e) {
                    taken = false;
                }
                assertThat(taken).as("round %d set %d", round, set).isEqualTo(expected);
                if (expected) {
                    all.addAll(mine);
                }
                assertThat(disjoint.edits().apply(TEXT)).isEqualTo(all.apply(TEXT));
            }
        }
    }

    @Test
    void checkRefusesAnEditBeyondTheEndAndOverlaps() {
        assertThatThrownBy(() -> new TextEdits().add(new Span(3, 21), "").check(TEXT.length()))
                .hasMessageContaining("beyond the end");
        assertThatThrownBy(() -> new TextEdits().add(Span.at(4), "a").add(Span.at(4), "b").check(TEXT.length()))
                .isInstanceOf(TextEdits.OverlapException.class);
        new TextEdits().add(new Span(2, 4), "a").add(Span.at(4), "b").check(TEXT.length());
    }
}
