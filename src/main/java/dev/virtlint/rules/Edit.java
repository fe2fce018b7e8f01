package dev.virtlint.rules;

import dev.virtlint.model.Span;

/**
 * One change a fix makes to the source: set, add or remove one attribute or option.
 *
 * @param owner where the change goes: an element's start tag in XML, the option string of a QEMU drive
 * @param name  the attribute (XML) or option (QEMU) name
 * @param value the new value, or null to remove it
 */
public record Edit(Span owner, String name, String value) {
}
