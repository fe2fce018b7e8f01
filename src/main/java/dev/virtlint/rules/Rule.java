package dev.virtlint.rules;

import java.util.List;

/** One rule: flags one hazard on one disk. Rules are stateless; what they compute lives in locals. */
public interface Rule {

    void check(DiskCheck check, List<Finding> out);

    /** Java rules carry their metadata in {@link RuleInfo}; declarative rules override this. */
    default RuleMeta info() {
        return RuleMeta.ANNOTATED.get(getClass());
    }
}
