package dev.virtlint.model;

/**
 * One cache switch as the configuration writes it, so that messages and fixes name it as it is
 * written ({@code cache.direct=false on node libvirt-1-storage}) and never by a mode name that
 * appears nowhere in the file.
 *
 * @param setting which switch it is ({@link Setting#CACHE}, {@link Setting#CACHE_DIRECT}, ...)
 * @param key     the option's key as QEMU reads it ({@code cache.direct}, {@code file.cache.direct},
 *                {@code write-cache}); for XML the attribute name
 * @param value   the value as written ({@code on}, {@code true}, {@code none})
 * @param where   where it sits, for a message: empty on a {@code -drive} or in XML,
 *                {@code on node NAME} on a {@code -blockdev}, {@code on the device} on a {@code -device}
 */
public record CacheOption(Setting setting, String key, String value, String where) {

    public CacheOption {
        where = where == null ? "" : where;
    }
}
