/**
 * The rule catalogue: one class per rule, each either a disk rule flagging one hazard on one disk
 * or a file rule checking a whole file (its suppressions), and the linter that runs both kinds.
 * Rules written as data are read by {@link dev.virtlint.rules.RuleReader} into a
 * {@link dev.virtlint.rules.RuleDefinition} and run by {@link dev.virtlint.rules.DeclarativeRule},
 * in the XPath dialect of {@link dev.virtlint.rules.RuleXPath}.
 */
package dev.virtlint.rules;
