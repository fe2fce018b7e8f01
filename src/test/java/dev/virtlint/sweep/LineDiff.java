package dev.virtlint.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain line diff (longest common subsequence over the lines between the common head and tail),
 * independent of the fixer's own record of its edits, for the sweep to check what a fix changed.
 */
final class LineDiff {

    static final int SAME = 0;
    static final int CHANGED = 1;
    static final int ADDED = 2;
    static final int REMOVED = 3;

    private LineDiff() {
    }

    /** The steps from {@code a} to {@code b}: SAME and CHANGED take a line of each, ADDED of b, REMOVED of a. */
    static int[][] of(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        int n = a.size() - head - tail;
        int m = b.size() - head - tail;
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(head + i).equals(b.get(head + j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<int[]> steps = new ArrayList<>();
        for (int k = 0; k < head; k++) {
            steps.add(new int[] {SAME});
        }
        int i = 0;
        int j = 0;
        int removed = 0;
        int added = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(head + i).equals(b.get(head + j))) {
                flush(steps, removed, added);
                removed = 0;
                added = 0;
                steps.add(new int[] {SAME});
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                added++;
                j++;
            } else {
                removed++;
                i++;
            }
        }
        flush(steps, removed, added);
        for (int k = 0; k < tail; k++) {
            steps.add(new int[] {SAME});
        }
        return steps.toArray(new int[0][]);
    }

    /** A run of removed and added lines: as many changed lines as both have, then the rest. */
    private static void flush(List<int[]> steps, int removed, int added) {
        int changed = Math.min(removed, added);
        for (int k = 0; k < changed; k++) {
            steps.add(new int[] {CHANGED});
        }
        for (int k = changed; k < removed; k++) {
            steps.add(new int[] {REMOVED});
        }
        for (int k = changed; k < added; k++) {
            steps.add(new int[] {ADDED});
        }
    }
}
