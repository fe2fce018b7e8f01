package dev.virtlint.rules;

/**
 * One rule of the catalogue: what it is called and says about itself. A rule is of one of two
 * kinds: a {@link DiskRule} checks one disk at a time, a {@link FileRule} checks a whole file once
 * the disk rules have run (what its suppressions did). Rules are stateless; what they compute
 * lives in locals.
 */
public sealed interface Rule permits DiskRule, FileRule {

    /** The rule's id: kebab-case, stable forever; a Java rule's class is named after it. */
    default String id() {
        return info().id();
    }

    /**
     * What the rule says about itself. A Java rule returns a constant of its class (a plain field,
     * not an annotation: reading an annotation makes the JDK generate proxy classes, about 10 ms of
     * a one-file lint with findings); a declarative rule returns what its file says.
     */
    RuleMeta info();
}
