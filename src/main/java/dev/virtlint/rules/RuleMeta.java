package dev.virtlint.rules;

/**
 * What every rule says about itself, whether written in Java ({@link RuleInfo}) or declared in a
 * rule file.
 *
 * @param id       kebab-case, stable forever
 * @param summary  one line, no trailing period
 * @param severity the default severity
 * @param category {@code safety}, {@code speed} or {@code correctness}
 */
public record RuleMeta(String id, String summary, Severity severity, String category) {

    /** The metadata of each Java rule class, read from its annotation once (rules ask for it per disk). */
    static final ClassValue<RuleMeta> ANNOTATED = new ClassValue<>() {
        @Override
        protected RuleMeta computeValue(Class<?> type) {
            RuleInfo info = type.getAnnotation(RuleInfo.class);
            if (info == null) {
                throw new IllegalStateException(type.getName() + " has no @RuleInfo");
            }
            return of(info);
        }
    };

    static RuleMeta of(RuleInfo info) {
        return new RuleMeta(info.id(), info.summary(), info.severity(), info.category());
    }
}
