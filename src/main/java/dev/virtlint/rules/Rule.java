package dev.virtlint.rules;

/**
 * One rule of the catalogue: what it is called and says about itself. A rule is of one of two kinds:
 * a {@link DiskRule} checks one disk at a time, a {@link FileRule} checks a whole file once the disk
 * rules have run (what its suppressions did). Rules are stateless; what they compute lives in locals.
 */
public sealed interface Rule permits DiskRule, FileRule {

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
