package dev.virtlint.model;

import java.util.Locale;
import java.util.Optional;

/**
 * A disk cache mode as QEMU sees it: three independent switches (domain.md section 1), and whether
 * the configuration chose them or left QEMU's default in place.
 *
 * @param writeback the guest sees a volatile write cache ({@code cache.writeback}, {@code write-cache})
 * @param direct    the image is opened with O_DIRECT, bypassing the host page cache
 * @param noFlush   guest flush requests are ignored
 * @param explicit  at least one switch was given; {@code false} means QEMU's default applies
 */
public record CacheMode(boolean writeback, boolean direct, boolean noFlush, boolean explicit) {

    /** What QEMU has used since 1.2 when no cache option is given. */
    public static final CacheMode DEFAULT = new CacheMode(true, false, false, false);

    /** The named modes of {@code -drive cache=} and libvirt's {@code <driver cache=>}. */
    public enum Preset {
        WRITEBACK(true, false, false),
        NONE(true, true, false),
        WRITETHROUGH(false, false, false),
        DIRECTSYNC(false, true, false),
        UNSAFE(true, false, true);

        private final boolean writeback;
        private final boolean direct;
        private final boolean noFlush;

        Preset(boolean writeback, boolean direct, boolean noFlush) {
            this.writeback = writeback;
            this.direct = direct;
            this.noFlush = noFlush;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public CacheMode explicitMode() {
            return new CacheMode(writeback, direct, noFlush, true);
        }

        /** A preset by name; QEMU also takes {@code off} for {@code none}. */
        public static Optional<Preset> byName(String name) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            if (key.equals("off")) {
                return Optional.of(NONE);
            }
            for (Preset p : values()) {
                if (p.id().equals(key)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    static CacheMode of(Preset preset) {
        return preset.explicitMode();
    }

    /** The preset these switches amount to, if any. */
    public Optional<Preset> preset() {
        for (Preset p : Preset.values()) {
            if (p.writeback == writeback && p.direct == direct && p.noFlush == noFlush) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The preset name, or {@code custom} for a combination no preset gives. */
    public String modeName() {
        return preset().map(Preset::id).orElse("custom");
    }

    public CacheMode withWriteback(boolean value) {
        return new CacheMode(value, direct, noFlush, true);
    }

    public CacheMode withDirect(boolean value) {
        return new CacheMode(writeback, value, noFlush, true);
    }

    public CacheMode withNoFlush(boolean value) {
        return new CacheMode(writeback, direct, value, true);
    }

    /** The same switches, compared without regard to how they were given. */
    public boolean sameSwitches(CacheMode other) {
        return writeback == other.writeback && direct == other.direct && noFlush == other.noFlush;
    }

    @Override
    public String toString() {
        return modeName() + (explicit ? "" : " (default)");
    }

    // Written out for start-up speed; see Span.
    @Override
    public boolean equals(Object o) {
        return o instanceof CacheMode m && sameSwitches(m) && m.explicit == explicit;
    }

    @Override
    public int hashCode() {
        return (writeback ? 1 : 0) | (direct ? 2 : 0) | (noFlush ? 4 : 0) | (explicit ? 8 : 0);
    }
}
