package dev.virtlint.rules;

import java.util.List;
import java.util.Optional;

/**
 * Every built-in rule, as an explicit list sorted by id; no classpath scanning. Rules written as
 * data come from the configuration ({@code custom-rules:}).
 */
public final class Catalogue {

    private static final List<Rule> RULES = List.of(
            new CacheModeRefusedRule(),
            new DetectZeroesUnmapWithoutDiscardRule(),
            new DirectIoUnsupportedFsRule(),
            new DoubleCachingRule(),
            new FlushlessGuestWriteCacheRule(),
            new HostCacheOnShareableDiskRule(),
            new ImplicitCacheModeRule(),
            new InvalidSettingRule(),
            new NativeAioWithoutDirectIoRule(),
            new RbdCacheDisabledRule(),
            new SuppressionWithoutReasonRule(),
            new UnsafeCachePersistentDiskRule(),
            new UnusedSuppressionRule(),
            new WritethroughOnFlushingGuestRule());

    private Catalogue() {
    }

    public static List<Rule> rules() {
        return RULES;
    }

    public static Optional<Rule> byId(String id) {
        return RULES.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
