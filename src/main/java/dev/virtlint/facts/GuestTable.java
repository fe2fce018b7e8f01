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
 * The curated table of which guests flush ({@code rules/guest-os.tsv}), looked up by libosinfo id.
 * Rows are tried in order; the first whose family and version range match wins.
 */
public final class GuestTable {

    private static final String RESOURCE = "/dev/virtlint/rules/data/guest-os.tsv";
    private static volatile GuestTable builtIn;

    record Row(String family, String from, String to, Flushes flushes, String reason) {
    }

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
            if (cols.length != 5) {
                throw new IllegalStateException("guest-os.tsv:" + number + ": expected 5 tab-separated columns");
            }
            int at = number;
            Flushes f = Flushes.byId(cols[3]).orElseThrow(
                    () -> new IllegalStateException("guest-os.tsv:" + at + ": flushes must be yes, no or cond"));
            rows.add(new Row(cols[0], cols[1], cols[2], f, cols[4]));
        }
        return new GuestTable(rows);
    }

    /** The fact for a libosinfo id such as {@code http://centos.org/centos/5.5}, if the table knows it. */
    public Optional<GuestFact> lookup(String osId) {
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
            if (row.family().equals(family) && inRange(version, row.from(), row.to())) {
                return Optional.of(new GuestFact(row.flushes(), row.reason(), "libosinfo"));
            }
        }
        return Optional.empty();
    }

    private static boolean inRange(String version, String from, String to) {
        if (from.equals("*") && to.equals("*")) {
            return true;
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

    /** Resolution order: domain metadata, then the libosinfo id, then the assumption that it flushes. */
    public GuestFact resolve(String metadataFlushes, String osId) {
        return resolve(metadataFlushes, null, osId);
    }

    /**
     * Resolution order: domain metadata, then what the configuration says for the domain's name,
     * then the libosinfo id, then the assumption that it flushes.
     */
    public GuestFact resolve(String metadataFlushes, GuestFact configured, String osId) {
        Optional<Flushes> declared = Flushes.byId(metadataFlushes);
        if (declared.isPresent()) {
            return new GuestFact(declared.get(), "the domain's virtlint metadata says flushes='"
                    + declared.get().id() + "'", "metadata");
        }
        if (configured != null) {
            return configured;
        }
        return lookup(osId).orElseGet(() -> new GuestFact(Flushes.YES,
                osId == null ? "the guest OS is not named in the domain, so it is assumed to flush"
                        : "the guest OS " + osId + " is not in the table, so it is assumed to flush",
                "assumed"));
    }
}
