package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.advise.Advisor;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.CacheMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The safety of every fix the built-in rules make, as a case table: each rule on a disk that
 * triggers it, under a guest that is named (RHEL 9, known to flush), unnamed (assumed to flush)
 * or stated not to flush, and a host that a profile states or that nothing states. What each case
 * must rest on is derived from the advisor's principles (Advisor#assumptions), not from its
 * output: the guest's flushing when the mode shows the guest a write cache that passes flushes
 * and the guest is only assumed; O_DIRECT when the fix turns it on for a host file no profile
 * covers; an assumed mount; a pool. A fix is unsafe exactly when it rests on one of them.
 */
class FixSafetyTest {

    /** What a fix may rest on, each told by how its clause starts. */
    enum Basis {
        GUEST("assumes the guest flushes: "),
        ODIRECT("assumes O_DIRECT works on "),
        MOUNT("assumes /dev/shm is tmpfs: "),
        POOL("assumes pool ");

        final String prefix;

        Basis(String prefix) {
            this.prefix = prefix;
        }
    }

    enum Guest { NAMED, UNNAMED, NO_FLUSH }

    enum Host { STATED, NONE }

    /**
     * One disk that makes {@code rule} fire with a fix.
     *
     * @param current     the mode the disk has
     * @param recommended the advisor's mode for it, from design.md's table (for a flushing guest;
     *                    directsync for one stated not to flush)
     * @param facts       what the disk is: {@link #HOST_FILE}, {@link #ON_SHM}, {@link #VOLUME},
     *                    {@link #EDITS} (the fix is the rule's own edit, not the advisor's mode)
     * @param guests      the guests the case runs under
     */
    record Case(String rule, String disk, CacheMode.Preset current, CacheMode.Preset recommended,
                int facts, Set<Guest> guests) {

        boolean is(int fact) {
            return (facts & fact) != 0;
        }
    }

    static final int HOST_FILE = 1;
    static final int ON_SHM = 2;
    static final int VOLUME = 4;
    static final int EDITS = 8;

    private static final Set<Guest> FLUSHING = EnumSet.of(Guest.NAMED, Guest.UNNAMED);

    /** A {@code <disk>}: its type, its driver's attributes, its source, and more children. */
    private static String disk(String type, String driver, String source, String extra) {
        return "<disk type='" + type + "' device='disk'><driver name='qemu' type='raw'" + driver
                + "/>" + source + "<target dev='vda' bus='virtio'/>" + extra + "</disk>";
    }

    private static final String SRV = "<source file='/srv/vm/a.img'/>";
    private static final String SHM = "<source file='/dev/shm/vm/a.img'/>";

    private static Case file(String rule, String driver, String extra, CacheMode.Preset current,
                             CacheMode.Preset recommended, Set<Guest> guests) {
        return new Case(rule, disk("file", driver, SRV, extra), current, recommended, HOST_FILE,
                guests);
    }

    private static final CacheMode.Preset NONE = CacheMode.Preset.NONE;
    private static final CacheMode.Preset WRITEBACK = CacheMode.Preset.WRITEBACK;

    private static final List<Case> CASES = List.of(
            file("unsafe-cache-persistent-disk", " cache='unsafe'", "", CacheMode.Preset.UNSAFE,
                    NONE, FLUSHING),
            file("double-caching", " cache='writeback'", "", WRITEBACK, NONE, FLUSHING),
            // Alone only where nothing else follows from the missing mode (one cause, one
            // finding): a network disk, which has no host page cache to double.
            new Case("implicit-cache-mode", disk("network", "",
                    "<source protocol='rbd' name='pool/vm'><host name='mon1'/></source>", ""),
                    WRITEBACK, WRITEBACK, 0, FLUSHING),
            // The rule fires only on a guest known to flush.
            file("writethrough-on-flushing-guest", " cache='writethrough'", "",
                    CacheMode.Preset.WRITETHROUGH, NONE, EnumSet.of(Guest.NAMED)),
            file("host-cache-on-shareable-disk", " cache='writeback'", "<shareable/>", WRITEBACK,
                    NONE, FLUSHING),
            file("native-aio-without-direct-io", " cache='writethrough' io='native'", "",
                    CacheMode.Preset.WRITETHROUGH, NONE, FLUSHING),
            file("flushless-guest-write-cache", " cache='writeback'", "", WRITEBACK,
                    CacheMode.Preset.DIRECTSYNC, EnumSet.of(Guest.NO_FLUSH)),
            // /dev/shm: O_DIRECT refused (stated tmpfs on 6.1) or in doubt (assumed tmpfs, kernel
            // unknown), so the advice is writeback, and io='native' becomes 'threads'.
            new Case("direct-io-unsupported-fs", disk("file", " cache='none'", SHM, ""), NONE,
                    WRITEBACK, HOST_FILE | ON_SHM, FLUSHING),
            new Case("native-aio-without-direct-io", disk("file", " cache='writeback' io='native'",
                    SHM, ""), WRITEBACK, WRITEBACK, HOST_FILE | ON_SHM, FLUSHING),
            // A block device takes O_DIRECT whatever the host's filesystems (block/fops.c).
            new Case("double-caching", disk("block", " cache='writeback'",
                    "<source dev='/dev/mapper/vg0-vm'/>", ""), WRITEBACK, NONE, 0, FLUSHING),
            new Case("double-caching", disk("volume", " cache='writeback'",
                    "<source pool='san' volume='lun1'/>", ""), WRITEBACK, NONE, VOLUME, FLUSHING),
            new Case("cache-mode-refused", disk("vhostvdpa", " cache='writeback'",
                    "<source dev='/dev/vhost-vdpa-0'/>", ""), WRITEBACK, NONE, 0, FLUSHING),
            new Case("rbd-cache-disabled", disk("network", " cache='none'",
                    "<source protocol='rbd' name='pool/vm'><host name='mon1'/></source>", ""), NONE,
                    WRITEBACK, 0, FLUSHING),
            new Case("detect-zeroes-unmap-without-discard", disk("file",
                    " cache='writeback' detect_zeroes='unmap'", SRV, ""), WRITEBACK, NONE,
                    HOST_FILE | EDITS, FLUSHING));

    /** A profile that states every mount the cases use: / on ext4, /dev/shm on tmpfs, Linux 6.1. */
    private static final HostFacts STATED = new HostFacts("6.1.0",
            List.of(new HostFacts.Mount("/", "ext4"),
            new HostFacts.Mount("/dev/shm", "tmpfs"), new HostFacts.Mount("/run", "tmpfs")));

    private static String domain(Guest guest, String disk) {
        String metadata = switch (guest) {
            case NAMED -> "<libosinfo:libosinfo"
                    + " xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
                    + "<libosinfo:os id='http://redhat.com/rhel/9.4'/></libosinfo:libosinfo>";
            case NO_FLUSH -> "<virtlint:virtlint"
                    + " xmlns:virtlint='http://virtlint.dev/xmlns/domain/1.0'>"
                    + "<virtlint:guest flushes='no'/></virtlint:virtlint>";
            case UNNAMED -> "";
        };
        return "<domain type='kvm'>\n<name>vm</name>\n<metadata>" + metadata
                + "</metadata>\n<devices>\n" + disk + "\n</devices>\n</domain>\n";
    }

    /** What the fix must rest on, from the case's facts and the advisor's principles. */
    private static Set<Basis> expected(Case c, Guest guest, Host host) {
        Set<Basis> out = EnumSet.noneOf(Basis.class);
        if (c.is(EDITS)) {
            return out; // the rule's own edit rests on what it matched in the file
        }
        CacheMode.Preset rec = guest == Guest.NO_FLUSH && c.recommended() == CacheMode.Preset.NONE
                ? CacheMode.Preset.DIRECTSYNC : c.recommended();
        CacheMode mode = rec.explicitMode();
        if (guest == Guest.UNNAMED && mode.writeback() && !mode.noFlush()) {
            out.add(Basis.GUEST);
        }
        boolean turnsOnDirect = mode.direct() && !c.current().explicitMode().direct();
        if (turnsOnDirect && c.is(HOST_FILE) && host == Host.NONE && !c.is(ON_SHM)) {
            out.add(Basis.ODIRECT);
        }
        if (c.is(ON_SHM) && host == Host.NONE) {
            out.add(Basis.MOUNT);
        }
        if (c.is(VOLUME)) {
            out.add(Basis.POOL);
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyFixIsUnsafeExactlyWhenItRestsOnAnAssumption() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : CASES) {
            for (Guest guest : c.guests()) {
                for (Host host : Host.values()) {
                    String name = c.rule() + " " + c.disk().substring(11, 26) + " guest " + guest
                            + " host " + host;
                    tests.add(DynamicTest.dynamicTest(name, () -> check(c, guest, host)));
                }
            }
        }
        return tests.stream();
    }

    private static void check(Case c, Guest guest, Host host) {
        ParsedFile file = Loader.load(new Input("vm.xml", null, Input.Kind.XML,
                domain(guest, c.disk()).getBytes(StandardCharsets.UTF_8))).file();
        Linter.Settings settings = new Linter.Settings(Set.of(), Set.of(), Advisor.Policy.AVOID,
                host == Host.STATED ? STATED : HostFacts.defaults());
        List<Finding> found = Linter.lint(file, settings, false).stream()
                .filter(f -> f.rule().equals(c.rule())).toList();
        assertThat(found).as("findings of " + c.rule()).isNotEmpty();
        Set<Basis> want = expected(c, guest, host);
        for (Finding f : found) {
            assertThat(f.fix()).as("its fix").isNotNull();
            Set<Basis> got = EnumSet.noneOf(Basis.class);
            for (String clause : f.fixAssumptions()) {
                assertThat(clause).startsWith("assumes ");
                for (Basis b : Basis.values()) {
                    if (clause.startsWith(b.prefix)) {
                        got.add(b);
                    }
                }
            }
            assertThat(got).as("what " + f.fix() + " rests on: " + f.fixAssumptions())
                    .isEqualTo(want);
            assertThat(f.fixAssumptions()).as("one clause per basis").hasSize(want.size());
            assertThat(f.safety()).isEqualTo(want.isEmpty() ? "safe" : "unsafe");
            assertThat(f.fixable()).isEqualTo(want.isEmpty());
            assertThat(f.assumptions()).containsAll(f.fixAssumptions());
        }
    }

    /** io='native' -> 'threads' rests on nothing: threads works on every file and device. */
    @Test
    void nativeToThreadsAloneIsSafe() {
        Case c = CASES.stream().filter(x -> x.is(ON_SHM)
                && x.rule().equals("native-aio-without-direct-io")).findFirst().orElseThrow();
        ParsedFile file = Loader.load(new Input("vm.xml", null, Input.Kind.XML,
                domain(Guest.NAMED, c.disk()).getBytes(StandardCharsets.UTF_8))).file();
        Linter.Settings settings = new Linter.Settings(Set.of(), Set.of(), Advisor.Policy.AVOID,
                STATED);
        assertThat(Linter.lint(file, settings, false)).filteredOn(f -> f.rule().equals(c.rule()))
                .singleElement().satisfies(f -> {
                    assertThat(f.fix()).isEqualTo("io='native' -> io='threads'");
                    assertThat(f.safety()).isEqualTo("safe");
                });
    }
}
