/**
 * The rule catalogue: one class per rule, each either a disk rule flagging one hazard on one disk or
 * a file rule checking a whole file (its suppressions), and the linter that runs both kinds.
 */
package dev.virtlint.rules;
