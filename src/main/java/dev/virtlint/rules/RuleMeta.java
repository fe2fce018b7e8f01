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

    /** {@code DoubleCachingRule} gives {@code double-caching}: each capital starts a word, {@code Rule} ends. */
    static final ClassValue<String> ID_FROM_CLASS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String name = type.getSimpleName();
            if (!name.endsWith("Rule")) {
                throw new IllegalStateException(type.getName() + ": a rule class's name ends in Rule");
            }
            StringBuilder id = new StringBuilder();
            for (char c : name.substring(0, name.length() - "Rule".length()).toCharArray()) {
                if (Character.isUpperCase(c) && id.length() > 0) {
                    id.append('-');
                }
                id.append(Character.toLowerCase(c));
            }
            return id.toString();
        }
    };

    static RuleMeta of(RuleInfo info) {
        return new RuleMeta(info.id(), info.summary(), info.severity(), info.category());
    }
}
