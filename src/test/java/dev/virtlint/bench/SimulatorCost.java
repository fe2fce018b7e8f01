package dev.virtlint.bench;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.rules.Evidences;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Linter;
import dev.virtlint.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What the simulator adds to linting many disks: lints generated domains (a fixed seed, the
 * variety of a real repository: five modes and the default, raw and qcow2, files and block devices,
 * guests that flush and guests that do not, four memory sizes) and prints the time spent in the
 * simulator beside the whole lint time. Run by {@code bin/bench-sim}.
 */
public final class SimulatorCost {

    private static final String[] MODES = {"none", "writeback", "writethrough", "directsync", "unsafe", null};
    private static final String[] OS = {"http://almalinux.org/almalinux/9", "http://centos.org/centos/5.5",
        "http://microsoft.com/win/2k8r2", "http://debian.org/debian/12", null};
    private static final int[] MEMORY_GIB = {2, 4, 8, 16};

    private SimulatorCost() {
    }

    static List<Input> domains(int count, int disksEach, long seed) {
        Random random = new Random(seed);
        List<Input> inputs = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            StringBuilder x = new StringBuilder();
            String os = OS[random.nextInt(OS.length)];
            x.append("<domain type='kvm'>\n  <name>vm").append(d).append("</name>\n");
            x.append("  <memory unit='GiB'>").append(MEMORY_GIB[random.nextInt(MEMORY_GIB.length)]).append("</memory>\n");
            if (os != null) {
                x.append("  <metadata>\n    <libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/"
                        + "domain/1.0'>\n      <libosinfo:os id='").append(os).append("'/>\n    </libosinfo:libosinfo>\n"
                        + "  </metadata>\n");
            }
            x.append("  <devices>\n");
            for (int k = 0; k < disksEach; k++) {
                boolean block = random.nextInt(3) == 0;
                String format = block || random.nextBoolean() ? "raw" : "qcow2";
                String mode = MODES[random.nextInt(MODES.length)];
                String dev = "vd" + (char) ('a' + k);
                x.append("    <disk type='").append(block ? "block" : "file").append("' device='disk'>\n");
                x.append("      <driver name='qemu' type='").append(format).append('\'')
                        .append(mode == null ? "" : " cache='" + mode + "'").append("/>\n");
                x.append(block ? "      <source dev='/dev/vg/vm" + d + "-" + dev + "'/>\n"
                        : "      <source file='/var/lib/libvirt/images/vm" + d + "-" + dev + "." + format + "'/>\n");
                x.append("      <target dev='").append(dev).append("' bus='virtio'/>\n    </disk>\n");
            }
            x.append("  </devices>\n</domain>\n");
            inputs.add(new Input("vm" + d + ".xml", null, Input.Kind.XML, x.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return inputs;
    }

    public static void main(String[] args) {
        // The model's own cost: without this, the default host's losses are looked up, not simulated.
        System.setProperty(Evidences.SIMULATE_ALL, "true");
        int domains = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int disksEach = 10;
        List<Input> inputs = domains(domains, disksEach, 1);
        long start = System.nanoTime();
        int findings = 0;
        int withEvidence = 0;
        for (Input input : inputs) {
            ParsedFile file = Loader.load(input).file();
            for (Finding f : Linter.lint(file, Linter.Settings.defaults())) {
                findings++;
                withEvidence += f.evidence() == null ? 0 : 1;
            }
        }
        long total = System.nanoTime() - start;
        Simulator sim = Evidences.simulator();
        System.out.printf(Locale.ROOT, "linted %d disks in %d domains: %d findings, %d with evidence%n",
                domains * disksEach, domains, findings, withEvidence);
        System.out.printf(Locale.ROOT, "distinct scenarios %d, loss simulations %d%n", sim.computed(), sim.lossRuns());
        System.out.printf(Locale.ROOT, "simulator time %.0f ms of %.0f ms linting (target: under 1000 ms)%n",
                sim.computeNanos() / 1e6, total / 1e6);
    }
}
