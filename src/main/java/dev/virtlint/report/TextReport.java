package dev.virtlint.report;

/** The report for people: one line per finding, then a summary. */
public final class TextReport {

    private TextReport() {
    }

    public static String render(RunResult run) {
        int files = run.files().size();
        long skipped = run.skippedCount();
        StringBuilder out = new StringBuilder();
        out.append("checked ").append(files - skipped).append(plural(files - skipped, " file"))
                .append(" (").append(run.diskCount()).append(plural(run.diskCount(), " disk")).append(")");
        if (skipped > 0) {
            out.append(", skipped ").append(skipped).append(" that ").append(skipped == 1 ? "is" : "are")
                    .append(" not a domain");
        }
        if (!run.errors().isEmpty()) {
            out.append(", ").append(run.errors().size()).append(plural(run.errors().size(), " input"))
                    .append(" could not be read");
        }
        out.append(": no findings\n");
        return out.toString();
    }

    private static String plural(long n, String word) {
        return n == 1 ? word : word + "s";
    }
}
