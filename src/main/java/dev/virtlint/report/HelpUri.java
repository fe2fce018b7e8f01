package dev.virtlint.report;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a rule's page is published, from {@code --help-uri-base}: the base followed by the rule's
 * id, or, when the base holds {@code {id}}, the base with the id in its place (rule pages kept as
 * {@code rules/<id>.md} in a repository: {@code https://git.example/virtlint/blob/v1/rules/{id}.md}).
 * A base without {@code {id}} must end where an id can follow ({@code /}, {@code =}, {@code #} or
 * {@code :}): {@code https://x.example/rules} would give {@code .../rulesdouble-caching}, and adding
 * the slash could be wrong for a base that meant a query, so it is refused and the user says which.
 */
public final class HelpUri {

    /** What the base may hold for the id. */
    public static final String ID = "{id}";

    private HelpUri() {
    }

    /** The page of rule {@code id}. */
    public static String of(String base, String id) {
        return base.contains(ID) ? base.replace(ID, id) : base + id;
    }

    /**
     * Why {@code base} cannot be a base, or null when it can: SARIF's helpUri is an absolute URI
     * (SARIF 2.1.0, reportingDescriptor.helpUri, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html),
     * so every rule's page must parse as one, with a scheme.
     */
    public static String problem(String base) {
        if (!base.contains(ID) && !base.isEmpty() && "/=#:".indexOf(base.charAt(base.length() - 1)) < 0) {
            return "--help-uri-base " + base + " does not end in /, =, # or : and holds no " + ID
                    + ", so the id would be run into it (" + base + "double-caching): end it with / or use " + ID;
        }
        String page = of(base, "double-caching");
        try {
            URI uri = new URI(page);
            if (!uri.isAbsolute()) {
                return "--help-uri-base " + base + " is not an absolute URI (e.g. https://example.org/virtlint/rules/)";
            }
            return null;
        } catch (URISyntaxException e) {
            return "--help-uri-base " + base + " is not a valid URI: " + e.getReason();
        }
    }
}
