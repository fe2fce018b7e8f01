package dev.virtlint.rules;

import java.util.List;

/** One rule: flags one hazard on one disk. Rules are stateless; what they compute lives in locals. */
public interface Rule {

    void check(DiskCheck check, List<Finding> out);

    /**
     * The rule's id. A Java rule's follows from its class name by the naming convention
     * ({@code DoubleCachingRule} is {@code double-caching}; the catalogue test holds it to the
     * annotation), so choosing and running rules reads no annotation: reading one builds a proxy
     * class, which a lint without findings need not pay for at start-up.
     */
    default String id() {
        return RuleMeta.ID_FROM_CLASS.get(getClass());
    }

    /** Java rules carry their metadata in {@link RuleInfo}; declarative rules override this. */
    default RuleMeta info() {
        return RuleMeta.ANNOTATED.get(getClass());
    }
}
