package dev.virtlint.rules;

import dev.virtlint.advise.Advisor;
import dev.virtlint.advise.Recommendation;
import dev.virtlint.facts.GuestFact;
import dev.virtlint.facts.GuestTable;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Annotations;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Domain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Runs the catalogue over every disk of a parsed file and applies the domain's own suppressions. */
public final class Linter {

    /**
     * What a run is configured with.
     *
     * @param select rule ids to run; empty means all
     * @param ignore rule ids not to run
     */
    public record Settings(Set<String> select, Set<String> ignore, Advisor.Policy policy, HostFacts host) {

        public static Settings defaults() {
            return new Settings(Set.of(), Set.of(), Advisor.Policy.AVOID, HostFacts.defaults());
        }

        boolean enabled(String id) {
            return (select.isEmpty() || select.contains(id)) && !ignore.contains(id);
        }
    }

    private Linter() {
    }

    public static List<Finding> lint(ParsedFile file, Settings settings) {
        Domain domain = file.domain();
        Annotations notes = domain == null ? Annotations.NONE : domain.annotations();
        GuestFact guest = GuestTable.builtIn().resolve(
                notes.guestNote().map(Annotations.Guest::flushes).orElse(null),
                domain == null ? null : domain.osId());
        List<Finding> findings = new ArrayList<>();
        for (Disk disk : file.disks()) {
            boolean scratch = disk.isTransient() || declaredScratch(notes, disk.target());
            Optional<Recommendation> advice = Advisor.advise(disk, guest, settings.host(), scratch, settings.policy());
            DiskCheck check = new DiskCheck(disk, guest, settings.host(), scratch, advice);
            for (Rule rule : Catalogue.rules()) {
                if (settings.enabled(rule.info().id())) {
                    rule.check(check, findings);
                }
            }
        }
        List<Suppressions.Suppression> suppressions = Suppressions.of(file, notes);
        boolean[] used = new boolean[suppressions.size()];
        findings.removeIf(f -> {
            boolean hit = false;
            for (int i = 0; i < suppressions.size(); i++) {
                if (suppressions.get(i).covers(f)) {
                    used[i] = true;
                    hit = true;
                }
            }
            return hit;
        });
        UnusedSuppressionRule unused = new UnusedSuppressionRule();
        if (settings.enabled(unused.info().id())) {
            for (int i = 0; i < suppressions.size(); i++) {
                Suppressions.Suppression s = suppressions.get(i);
                boolean known = s.rules().stream().allMatch(id -> Catalogue.byId(id).isPresent());
                boolean ran = s.rules().stream().anyMatch(settings::enabled);
                if (!used[i] && (!known || ran)) {
                    findings.add(unused.report(s, known));
                }
            }
        }
        findings.sort(Comparator.comparingInt((Finding f) -> f.span().start()).thenComparing(Finding::rule));
        return findings;
    }

    private static boolean declaredScratch(Annotations notes, String target) {
        return notes.disks().stream().anyMatch(n -> target.equals(n.target()) && Boolean.TRUE.equals(n.scratch()));
    }

}
