package dev.virtlint.rules;

/**
 * What every rule says about itself, whether written in Java (a constant of the rule's class)
 * or declared in a rule file.
 *
 * @param id       kebab-case, stable forever
 * @param summary  one line, no trailing period
 * @param severity the default severity
 * @param category {@code safety}, {@code speed} or {@code correctness}
 */
public record RuleMeta(String id, String summary, Severity severity, String category) {
}
