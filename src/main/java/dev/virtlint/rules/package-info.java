/** The rule catalogue: one class per rule, each flagging one hazard on one disk. */
package dev.virtlint.rules;
