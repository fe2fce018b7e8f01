package dev.virtlint.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InOrderTest {

    private static String work(int i) {
        if (i == 2) {
            throw new IllegalStateException("bug on item " + i);
        }
        if (i == 4) {
            return work(i);
        }
        return "ok " + i;
    }

    @Test
    void aFailureInTheMiddleBecomesThatItemsResultAndTheOthersStillRun() {
        List<Integer> items = List.of(0, 1, 2, 3, 4, 5);
        for (int jobs : new int[] {1, 3}) {
            List<String> out = InOrder.map(items, jobs, InOrderTest::work,
                    (i, t) -> "failed " + i + ": " + t.getClass().getSimpleName());
            assertThat(out).as("jobs=" + jobs).containsExactly("ok 0", "ok 1", "failed 2: IllegalStateException",
                    "ok 3", "failed 4: StackOverflowError", "ok 5");
        }
    }
}
