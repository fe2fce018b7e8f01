package dev.virtlint.rules;

import dev.virtlint.advise.Recommendation;
import dev.virtlint.model.Span;

/**
 * One hazard found on one disk.
 *
 * @param rule        the rule id
 * @param severity    as configured for this run
 * @param message     one sentence with the actual and the expected value
 * @param span        the element or option that causes it
 * @param disk        the disk's target
 * @param recommended the advisor's setting for the disk, or null
 * @param fix         what applying the recommendation changes, e.g. {@code cache='unsafe' -> cache='none'};
 *                    null when it changes nothing
 */
public record Finding(String rule, Severity severity, String message, Span span, String disk,
                      Recommendation recommended, String fix) {

    public boolean fixable() {
        return fix != null;
    }
}
