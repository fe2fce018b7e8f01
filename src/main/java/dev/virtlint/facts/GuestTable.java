package dev.virtlint.facts;

import dev.virtlint.model.Resources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The curated table of which guests flush ({@code rules/guest-os.tsv}), looked up by libosinfo id
 * and the disk's bus. Rows are tried in order; the first whose family, version range and bus match
 * wins, so a row for one bus comes before the {@code *} row of the same versions.
 */
public final class GuestTable {

    private static final String RESOURCE = "/dev/virtlint/rules/data/guest-os.tsv";
    private static volatile GuestTable builtIn;

    /**
     * One row of the table.
     *
     * @param buses         the libvirt bus names the row applies to; empty for every bus
     * @param virtioFlush   whether the guest's virtio-blk driver negotiates VIRTIO_BLK_F_WCE (the
     *                      old FLUSH) or VIRTIO_BLK_F_CONFIG_WCE: yes, no, or "-" when unknown
     * @param source        the keys of the row's sources on rules/flushless-guest-write-cache.md
     */
    record Row(String family, String from, String to, List<String> buses, Flushes flushes,
               String virtioFlush, String reason, String source) {

        boolean appliesTo(String bus) {
            return buses.isEmpty() || bus != null && buses.contains(bus);
        }
    }

    /** The columns of a row, in the file's order. */
    static final int COLUMNS = 8;

    private final List<Row> rows;

    GuestTable(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    public static GuestTable builtIn() {
        GuestTable t = builtIn;
        if (t == null) {
            try (InputStream in = Resources.open(GuestTable.class, RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                t = parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            builtIn = t;
        }
        return t;
    }

    static GuestTable parse(InputStream in) throws IOException {
        List<Row> rows = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (cols.length != COLUMNS) {
                throw new IllegalStateException("guest-os.tsv:" + number + ": expected " + COLUMNS
                        + " tab-separated columns");
            }
            int at = number;
            Flushes f = Flushes.byId(cols[4]).orElseThrow(() -> new IllegalStateException(
                    "guest-os.tsv:" + at + ": flushes must be yes, no or cond"));
            String virtio = cols[5];
            if (!virtio.equals("yes") && !virtio.equals("no") && !virtio.equals("-")) {
                throw new IllegalStateException("guest-os.tsv:" + at
                        + ": virtio-flush must be yes, no or -");
            }
            if (cols[7].isBlank()) {
                throw new IllegalStateException("guest-os.tsv:" + at + ": the row names no source");
            }
            List<String> buses = cols[3].equals("*") ? List.of() : List.of(cols[3].split(","));
            rows.add(new Row(cols[0], cols[1], cols[2], buses, f, virtio, cols[6], cols[7]));
        }
        return new GuestTable(rows);
    }

    /** The rows, in the file's order. */
    List<Row> rows() {
        return rows;
    }

    /**
     * The fact for a libosinfo id such as {@code http://centos.org/centos/5.5} on a disk of unknown
     * bus (only {@code *} rows match), if the table knows it.
     */
    public Optional<GuestFact> lookup(String osId) {
        return lookup(osId, null);
    }

    /**
     * The fact for a libosinfo id on a disk of the given libvirt bus ({@code virtio}, {@code scsi},
     * {@code ide}, {@code sata}, ...; null when unknown), if the table knows it.
     */
    public Optional<GuestFact> lookup(String osId, String bus) {
        if (osId == null) {
            return Optional.empty();
        }
        String id = osId;
        while (id.endsWith("/")) {
            id = id.substring(0, id.length() - 1);
        }
        String[] parts = id.split("/");
        if (parts.length < 2) {
            return Optional.empty();
        }
        String family = parts[parts.length - 2];
        String version = parts[parts.length - 1];
        for (Row row : rows) {
            if (row.family().equals(family) && row.appliesTo(bus)
                    && inRange(version, row.from(), row.to())) {
                return Optional.of(new GuestFact(row.flushes(), row.reason(), "libosinfo",
                        row.virtioFlush().equals("no") && "virtio".equals(bus),
                        !row.virtioFlush().equals("-")));
            }
        }
        return Optional.empty();
    }

    private static boolean inRange(String version, String from, String to) {
        if (from.equals("*") && to.equals("*")) {
            return true;
        }
        if (to.equals("-")) {
            // Names (Windows' 2k, xp, 7): a comma list in from.
            for (String name : from.split(",")) {
                if (name.equals(version)) {
                    return true;
                }
            }
            return false;
        }
        if (!isNumeric(version)) {
            return version.equals(from) || version.equals(to);
        }
        boolean aboveFrom = from.equals("*") || (isNumeric(from) && compare(version, from) >= 0);
        boolean belowTo = to.equals("*") || (isNumeric(to) && compare(version, to) <= 0);
        return aboveFrom && belowTo;
    }

    private static final java.util.regex.Pattern NUMERIC = java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+)*");

    private static boolean isNumeric(String v) {
        return NUMERIC.matcher(v).matches();
    }

    /**
     * Compares dotted versions number by number; a missing part counts as 0. Parts are compared as
     * digit strings, not parsed, so that a part of any length (an OS id or a kernel version with a
     * 20-digit number) compares by value instead of overflowing a long.
     */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? withoutLeadingZeros(x[i]) : "";
            String q = i < y.length ? withoutLeadingZeros(y[i]) : "";
            int c = p.length() != q.length() ? Integer.compare(p.length(), q.length()) : p.compareTo(q);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return 0;
    }

    private static String withoutLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    /**
     * Resolution order: domain metadata, then the libosinfo id (on a disk of unknown bus), then
     * the assumption that it flushes.
     */
    public GuestFact resolve(String metadataFlushes, String osId) {
        return resolve(metadataFlushes, null, osId, null);
    }

    /** {@link #resolve(String, GuestFact, String, String)} on a disk of unknown bus. */
    public GuestFact resolve(String metadataFlushes, GuestFact configured, String osId) {
        return resolve(metadataFlushes, configured, osId, null);
    }

    /**
     * Resolution order: domain metadata, then what the configuration says for the domain's name,
     * then the libosinfo id on the disk's bus (null when unknown), then the assumption that it
     * flushes. Metadata and a configuration's {@code flushes:} say what the guest's filesystem
     * does; what its virtio-blk driver negotiates still comes from the libosinfo id's row.
     */
    public GuestFact resolve(String metadataFlushes, GuestFact configured, String osId,
                             String bus) {
        Optional<GuestFact> known = lookup(osId, bus);
        GuestFact driver = known.orElse(null);
        Optional<Flushes> declared = Flushes.byId(metadataFlushes);
        if (declared.isPresent()) {
            return new GuestFact(declared.get(), "the domain's virtlint metadata says flushes='"
                    + declared.get().id() + "'", "metadata").withDriverOf(driver);
        }
        if (configured != null) {
            return configured.withDriverOf(driver);
        }
        return known.orElseGet(() -> new GuestFact(Flushes.YES,
                osId == null ? "the guest OS is not named in the domain, so it is assumed to flush"
                        : "the guest OS " + osId
                                + " is not in the table, so it is assumed to flush",
                "assumed"));
    }
}
