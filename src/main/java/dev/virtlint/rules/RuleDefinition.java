package dev.virtlint.rules;

import java.util.List;
import java.util.Map;

/**
 * What one rule file says, read and checked by {@link RuleReader}; {@link DeclarativeRule} runs it.
 * The XPaths are kept as text: compiling them is the running rule's business.
 *
 * @param meta         id, summary, default severity and category
 * @param file         the rule file, as messages name it
 * @param writableOnly {@code disks: writable}: the rule skips read-only disks
 * @param select       the XPath that selects, from a disk's element, the nodes that are wrong
 * @param prefixes     the namespace prefixes the file declares ({@code namespaces:}), in its order
 * @param message      the message template for disks from domain XML
 * @param qemu         the severity and template for disks from QEMU strings (the rule's own when
 *                     the file gives none)
 * @param fix          the attribute edit, or null when the rule has none
 */
record RuleDefinition(RuleMeta meta, String file, boolean writableOnly, String select,
                      Map<String, String> prefixes, String message, Said qemu, Fix fix) {

    /** A finding's severity and its message template. */
    record Said(Severity severity, String message) {
    }

    /**
     * An attribute edit on one element; {@code set} or {@code remove} is not empty.
     *
     * @param element the XPath from the selected node to the element to edit; null for the node
     *                itself, or the element of the selected attribute
     * @param set     attributes to set, by name
     * @param remove  attributes to remove
     */
    /**
     * @param set    the attributes to set, in the order the file writes them
     * @param unsafe the file says {@code safety: unsafe}, which only {@code fix --unsafe-fixes}
     *               applies
     */
    record Fix(String element, Map<String, String> set, List<String> remove, boolean unsafe) {
    }
}
