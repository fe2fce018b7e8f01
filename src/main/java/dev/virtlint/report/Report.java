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
     * @param version virtlint's version, for formats that name the tool
     */
    String render(RunResult run, List<Rule> rules, String version);

    /** Whether the report prints the simulator's figures; without them the lint skips simulating. */
    default boolean evidence() {
        return true;
    }
}
