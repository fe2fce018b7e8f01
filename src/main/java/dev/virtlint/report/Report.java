package dev.virtlint.report;

import dev.virtlint.rules.Rule;
import java.util.List;

/**
 * One output format of {@code lint}: renders a whole run. {@link Format} lists the formats by their
 * {@code --format} name; a new format is a class implementing this and one line there.
 */
public interface Report {

    /**
     * The report of a run.
     *
     * @param run     every file's findings, fix plan and the input errors, in input order
     * @param rules   the rules that ran on some file, in catalogue order
     * @param settings virtlint's version and what the options and the terminal ask of the report
     */
    String render(RunResult run, List<Rule> rules, ReportSettings settings);

    /** Whether the report prints the simulator's figures; if not, the lint does not simulate. */
    default boolean evidence() {
        return true;
    }
}
