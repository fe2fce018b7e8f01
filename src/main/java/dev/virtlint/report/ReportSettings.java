package dev.virtlint.report;

import dev.virtlint.rules.Severity;

/**
 * How one run's report is written, besides its findings: what {@code lint}'s options and the
 * terminal say. Each format reads what applies to it and ignores the rest.
 *
 * @param version     virtlint's version, for formats that name the tool
 * @param failOn      the least severe finding that fails the run ({@code --fail-on}), or null when
 *                    nothing fails it ({@code --fail-on never}); formats with a pass/fail notion
 *                    (JUnit) agree with the exit code through it
 * @param colour      whether the text may carry ANSI colour (a terminal, {@code NO_COLOR} unset, or
 *                    {@code FORCE_COLOR} set)
 * @param display     what the user asked to see
 */
public record ReportSettings(String version, Severity failOn, boolean colour, Display display) {

    /**
     * What the user asked to see.
     *
     * @param quiet       findings only, no summary ({@code --quiet})
     * @param statistics  counts per rule instead of the findings ({@code --statistics})
     * @param showSource  the offending line with a caret under each finding ({@code --show-source})
     * @param verbose     also list what was skipped ({@code --verbose})
     * @param helpUriBase where rule pages are published (a rule's page is this followed by its id), or
     *                    null when they are not: SARIF then gives no {@code helpUri}
     */
    public record Display(boolean quiet, boolean statistics, boolean showSource, boolean verbose,
                          String helpUriBase) {

        /** Everything shown, nothing extra, no published rule pages. */
        public static final Display DEFAULT = new Display(false, false, false, false, null);
    }

    /** Plain settings: no colour, the default display, warnings and errors fail the run. */
    public static ReportSettings plain(String version) {
        return new ReportSettings(version, Severity.WARNING, false, Display.DEFAULT);
    }
}
