package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.advise.Advisor;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.parse.Yaml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The safety of every fix the rules make, as a table written by hand from the principles (README,
 * "Fix safety"), not from the advisor's expressions: a fix is unsafe exactly when applying it
 * rests on a guess that could leave the VM worse off than now. Each row gives a disk, the guest
 * (named RHEL 9, which flushes; unnamed, only assumed to flush; stated not to flush), the host
 * (a profile stating every mount the rows use, or nothing), the fix the row expects (design.md's
 * table for that guest and host) and what it must rest on:
 * <ul>
 *   <li>GUEST where the fix newly shows the guest a write cache (writethrough or directsync ->
 *       writeback or none) and the guest is unnamed;</li>
 *   <li>ODIRECT where the fix turns O_DIRECT on for a host file that no profile covers with a
 *       filesystem known to take it (a block device needs no such fact);</li>
 *   <li>MOUNT where the fix changes the mode because /dev/shm is only assumed to be tmpfs;</li>
 *   <li>POOL for a pool volume whose mode the fix changes.</li>
 * </ul>
 */
class FixSafetyTest {

    /** What a fix may rest on, each told by how its clause starts. */
    enum Basis {
        GUEST("assumes the guest flushes: "),
        ODIRECT("assumes O_DIRECT works on "),
        MOUNT("assumes /dev/shm is tmpfs: "),
        POOL("assumes pool "),
        RULE("assumes the fix of rule ");

        final String prefix;

        Basis(String prefix) {
            this.prefix = prefix;
        }
    }

    enum Guest { NAMED, UNNAMED, NO_FLUSH }

    enum Host { STATED, NONE }

    /**
     * One row: {@code rule} fires on {@code disk} under {@code guest} and {@code host} with a fix
     * whose text contains {@code fix}, resting on {@code bases} (none: safe). A null {@code fix}
     * means that no finding of the rule has a fix there.
     */
    record Row(String rule, String disk, Guest guest, Host host, String fix, Set<Basis> bases,
               String ruleFile) {
    }

    private static Row row(String rule, String disk, Guest guest, Host host, String fix,
                           Basis... bases) {
        Set<Basis> set = EnumSet.noneOf(Basis.class);
        set.addAll(List.of(bases));
        return new Row(rule, disk, guest, host, fix, set, null);
    }

    private static Row custom(String ruleFile, String disk, Guest guest, Host host, String fix,
                              Basis... bases) {
        Row r = row("custom-mode", disk, guest, host, fix, bases);
        return new Row(r.rule(), disk, guest, host, fix, r.bases(), ruleFile);
    }

    /** A {@code <disk>}: its type, its driver's attributes, its source, and more children. */
    private static String disk(String type, String driver, String source, String extra) {
        return "<disk type='" + type + "' device='disk'><driver name='qemu' type='raw'" + driver
                + "/>" + source + "<target dev='vda' bus='virtio'/>" + extra + "</disk>";
    }

    private static String file(String driver, String path) {
        return disk("file", driver, "<source file='" + path + "'/>", "");
    }

    /** A QEMU drive inside the domain's {@code <qemu:commandline>}. */
    private static String qemuDrive(String drive) {
        return "<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>"
                + "<qemu:arg value='-drive'/><qemu:arg value='" + drive + "'/></qemu:commandline>";
    }

    private static final String SRV = "/srv/vm/a.img";
    private static final String SHM = "/dev/shm/vm/a.img";
    private static final String VBOX = "/media/sf_vms/a.img";
    private static final String RBD =
            "<source protocol='rbd' name='pool/vm'><host name='mon1'/></source>";

    private static final Guest NAMED = Guest.NAMED;
    private static final Guest UNNAMED = Guest.UNNAMED;
    private static final Guest NO_FLUSH = Guest.NO_FLUSH;
    private static final Host STATED = Host.STATED;
    private static final Host NONE = Host.NONE;
    private static final Basis GUEST = Basis.GUEST;
    private static final Basis ODIRECT = Basis.ODIRECT;
    private static final Basis MOUNT = Basis.MOUNT;

    private static final String UNSAFE_TO_NONE = "cache='unsafe' -> cache='none'";
    private static final String WB_TO_NONE = "cache='writeback' -> cache='none'";
    private static final String NONE_TO_WB = "cache='none' -> cache='writeback'";
    private static final String NATIVE_TO_THREADS = "io='native' -> io='threads'";

    /** A rule file whose fix sets the cache mode on any disk with cache='writeback'. */
    private static final String SET_NONE = "id: custom-mode\nseverity: warning\nsummary: Mode\n"
            + "select: \"driver/@cache[. = 'writeback']\"\nmessage: \"{disk} mode\"\n"
            + "fix:\n  set: {cache: none}\n";

    private static final List<Row> ROWS = List.of(
            // unsafe -> none: the guest already sees a write cache; its flushes now reach storage.
            row("unsafe-cache-persistent-disk", file(" cache='unsafe'", SRV), NAMED, STATED,
                    UNSAFE_TO_NONE),
            row("unsafe-cache-persistent-disk", file(" cache='unsafe'", SRV), UNNAMED, STATED,
                    UNSAFE_TO_NONE),
            row("unsafe-cache-persistent-disk", file(" cache='unsafe'", SRV), UNNAMED, NONE,
                    UNSAFE_TO_NONE, ODIRECT),
            row("unsafe-cache-persistent-disk", file(" cache='unsafe'", SRV), NO_FLUSH, STATED,
                    "cache='unsafe' -> cache='directsync'"),
            row("unsafe-cache-persistent-disk", file(" cache='unsafe'", SRV), NO_FLUSH, NONE,
                    "cache='unsafe' -> cache='directsync'", ODIRECT),
            // writeback -> none: no new write cache; only O_DIRECT is new.
            row("double-caching", file(" cache='writeback'", SRV), NAMED, STATED, WB_TO_NONE),
            row("double-caching", file(" cache='writeback'", SRV), NAMED, NONE, WB_TO_NONE,
                    ODIRECT),
            row("double-caching", file(" cache='writeback'", SRV), UNNAMED, STATED, WB_TO_NONE),
            row("double-caching", file(" cache='writeback'", SRV), UNNAMED, NONE, WB_TO_NONE,
                    ODIRECT),
            // A filesystem the profile states but that is not known to take O_DIRECT.
            row("double-caching", file(" cache='writeback'", VBOX), NAMED, STATED, WB_TO_NONE,
                    ODIRECT),
            row("direct-io-unsupported-fs", file(" cache='none'", VBOX), NAMED, STATED, null),
            // A block device takes O_DIRECT whatever the host's filesystems (block/fops.c).
            row("double-caching", disk("block", " cache='writeback'",
                    "<source dev='/dev/mapper/vg0-vm'/>", ""), UNNAMED, NONE, WB_TO_NONE),
            row("double-caching", disk("volume", " cache='writeback'",
                    "<source pool='san' volume='lun1'/>", ""), NAMED, STATED, WB_TO_NONE,
                    Basis.POOL),
            // Writing down the mode QEMU already uses changes nothing.
            row("implicit-cache-mode", disk("network", "", RBD, ""), UNNAMED, NONE,
                    "no cache mode -> cache='writeback'"),
            row("writethrough-on-flushing-guest", file(" cache='writethrough'", SRV), NAMED,
                    STATED, "cache='writethrough' -> cache='none'"),
            row("writethrough-on-flushing-guest", file(" cache='writethrough'", SRV), NAMED,
                    NONE, "cache='writethrough' -> cache='none'", ODIRECT),
            row("host-cache-on-shareable-disk", disk("file", " cache='writeback'",
                    "<source file='" + SRV + "'/>", "<shareable/>"), UNNAMED, STATED, WB_TO_NONE),
            // writethrough -> none newly shows a write cache: the guest's flushing matters.
            row("native-aio-without-direct-io", file(" cache='writethrough' io='native'", SRV),
                    NAMED, STATED, "cache='writethrough' -> cache='none'"),
            row("native-aio-without-direct-io", file(" cache='writethrough' io='native'", SRV),
                    UNNAMED, STATED, "cache='writethrough' -> cache='none'", GUEST),
            row("native-aio-without-direct-io", file(" cache='writethrough' io='native'", SRV),
                    UNNAMED, NONE, "cache='writethrough' -> cache='none'", GUEST, ODIRECT),
            // The mode stays: io='threads' works on every file, whatever /dev/shm is.
            row("native-aio-without-direct-io", file(" cache='writeback' io='native'", SHM),
                    UNNAMED, NONE, NATIVE_TO_THREADS),
            row("native-aio-without-direct-io", file(" cache='writeback' io='native'", SHM),
                    NAMED, STATED, NATIVE_TO_THREADS),
            row("flushless-guest-write-cache", file(" cache='writeback'", SRV), NO_FLUSH, STATED,
                    "cache='writeback' -> cache='directsync'"),
            row("flushless-guest-write-cache", file(" cache='writeback'", SRV), NO_FLUSH, NONE,
                    "cache='writeback' -> cache='directsync'", ODIRECT),
            // none -> writeback: the guest already sees a write cache; a stated tmpfs on 6.1
            // refuses O_DIRECT, so the disk cannot start now and the fix rests on nothing.
            row("direct-io-unsupported-fs", file(" cache='none'", SHM), UNNAMED, STATED,
                    NONE_TO_WB),
            row("direct-io-unsupported-fs", file(" cache='none'", SHM), NAMED, NONE, NONE_TO_WB,
                    MOUNT),
            row("cache-mode-refused", disk("vhostvdpa", " cache='writeback'",
                    "<source dev='/dev/vhost-vdpa-0'/>", ""), UNNAMED, NONE, WB_TO_NONE),
            row("cache-mode-refused", disk("vhostvdpa", " cache='writethrough'",
                    "<source dev='/dev/vhost-vdpa-0'/>", ""), UNNAMED, NONE,
                    "cache='writethrough' -> cache='none'", GUEST),
            row("rbd-cache-disabled", disk("network", " cache='none'", RBD, ""), UNNAMED, NONE,
                    NONE_TO_WB),
            row("detect-zeroes-unmap-without-discard", file(" cache='none' detect_zeroes='unmap'",
                    SRV), UNNAMED, NONE, "add discard='unmap'"),
            // A QEMU drive under /dev/shm is a file there, not a block device.
            row("double-caching", qemuDrive("file=/dev/shm/ci-fast.qcow2,if=virtio,format=qcow2,"
                    + "cache=writeback"), NAMED, STATED, null),
            row("direct-io-unsupported-fs", qemuDrive("file=/dev/shm/ci-fast.qcow2,if=virtio,"
                    + "format=qcow2,cache=none"), NAMED, STATED, "cache=none -> cache=writeback"),
            row("double-caching", qemuDrive("file=/dev/sdb,if=virtio,format=raw,cache=writeback"),
                    UNNAMED, NONE, "cache=writeback -> cache=none"),
            // A variable anywhere in a path: no profile entry can be matched to it, though the
            // profile states / (the text before the variable).
            row("double-caching", qemuDrive("file=/srv/$VM/a.img,if=virtio,format=raw,"
                    + "cache=writeback"), NAMED, STATED, "cache=writeback -> cache=none", ODIRECT),
            // A rule file's fix that sets the mode carries the same clauses.
            custom(SET_NONE, file(" cache='writeback'", SHM), NAMED, NONE, WB_TO_NONE, ODIRECT),
            custom(SET_NONE, file(" cache='writeback'", SRV), NAMED, STATED, WB_TO_NONE),
            custom(SET_NONE + "  safety: unsafe\n", file(" cache='writeback'", SRV), NAMED,
                    STATED, WB_TO_NONE, Basis.RULE),
            custom(SET_NONE.replace("writeback']", "writethrough']"),
                    file(" cache='writethrough'", SRV), UNNAMED, STATED,
                    "cache='writethrough' -> cache='none'", GUEST));

    /**
     * A profile that states every mount the rows use: / on ext4, /dev/shm and /run on tmpfs,
     * /media/sf_vms on vboxsf (VirtualBox shared folders), Linux 6.1.
     */
    private static final HostFacts PROFILE = new HostFacts("6.1.0",
            List.of(new HostFacts.Mount("/", "ext4"), new HostFacts.Mount("/dev/shm", "tmpfs"),
            new HostFacts.Mount("/run", "tmpfs"), new HostFacts.Mount("/media/sf_vms", "vboxsf")));

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
        boolean qemu = disk.startsWith("<qemu:");
        return "<domain type='kvm'" + (qemu
                ? " xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'" : "")
                + ">\n<name>vm</name>\n<metadata>" + metadata + "</metadata>\n"
                + (qemu ? "<devices/>\n" + disk : "<devices>\n" + disk + "\n</devices>")
                + "\n</domain>\n";
    }

    @TestFactory
    Stream<DynamicTest> everyFixIsUnsafeExactlyWhenItRestsOnAnAssumption() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Row r : ROWS) {
            String name = r.rule() + " " + r.disk().substring(0, Math.min(60, r.disk().length()))
                    + " guest " + r.guest() + " host " + r.host() + ": " + r.fix() + " "
                    + r.bases();
            tests.add(DynamicTest.dynamicTest(name, () -> check(r)));
        }
        return tests.stream();
    }

    private static void check(Row r) throws Exception {
        ParsedFile file = Loader.load(new Input("vm.xml", null, Input.Kind.XML,
                domain(r.guest(), r.disk()).getBytes(StandardCharsets.UTF_8))).file();
        HostFacts host = r.host() == Host.STATED ? PROFILE : HostFacts.defaults();
        List<Rule> rules = new ArrayList<>(Catalogue.rules());
        if (r.ruleFile() != null) {
            rules.add(RuleReader.from(Yaml.parse(r.ruleFile(), "m.rule.yaml"), "m.rule.yaml",
                    true));
        }
        Linter.Settings settings = new Linter.Settings(Set.of(), Set.of(), Advisor.Policy.AVOID,
                host, rules, Map.of(), Set.of(), (n, p) -> false, (n, b) -> null, n -> null);
        List<Finding> found = Linter.lint(file, settings, false).stream()
                .filter(f -> f.rule().equals(r.rule())).toList();
        if (r.fix() == null) {
            assertThat(found).as("findings of " + r.rule() + " with a fix")
                    .allSatisfy(f -> assertThat(f.fix()).isNull());
            return;
        }
        assertThat(found).as("findings of " + r.rule()).isNotEmpty();
        for (Finding f : found) {
            assertThat(f.fix()).as("its fix").contains(r.fix());
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
                    .isEqualTo(r.bases());
            assertThat(f.fixAssumptions()).as("one clause per basis").hasSize(r.bases().size());
            assertThat(f.safety()).isEqualTo(r.bases().isEmpty() ? "safe" : "unsafe");
            assertThat(f.fixable()).isEqualTo(r.bases().isEmpty());
            assertThat(f.assumptions()).containsAll(f.fixAssumptions());
            if (r.disk().contains("$VM")) {
                assertThat(f.fixAssumptions()).contains("assumes O_DIRECT works on /srv/$VM/a.img:"
                        + " the path comes from a shell variable, so no host profile entry says"
                        + " where it is");
            }
            if (r.disk().contains(VBOX) && r.bases().contains(ODIRECT)) {
                assertThat(f.fixAssumptions()).contains("assumes O_DIRECT works on " + VBOX
                        + ": fstype vboxsf is not known to take it");
            }
        }
    }
}
