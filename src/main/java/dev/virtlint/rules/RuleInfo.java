package dev.virtlint.rules;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A rule's metadata; the long explanation lives in {@code rules/<id>.md}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RuleInfo {

    /** Kebab-case, stable forever; names the class, the page and the samples. */
    String id();

    /** One line, no trailing period. */
    String summary();

    /** The default severity. */
    Severity severity();

    /** {@code safety}, {@code speed} or {@code correctness}. */
    String category();
}
