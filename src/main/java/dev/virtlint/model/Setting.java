package dev.virtlint.model;

/**
 * The places in the source a rule can point at or a fix can change, whatever the origin of the
 * disk. For XML they are attributes and elements; for QEMU strings they are option values.
 */
public enum Setting {
    /** XML {@code <disk device=>}, or the {@code media=} / device driver of a QEMU disk. */
    DEVICE,
    /** The source path or network name: {@code <source file|dev|dir|name=>}, {@code file=}, {@code filename}. */
    SOURCE,
    /** XML {@code <driver type=>}, {@code format=}, or the format node's driver. */
    FORMAT,
    /** XML {@code <target dev=>}, or the {@code id=} of a {@code -device} or {@code -drive}. */
    TARGET,
    /** XML {@code <target bus=>}, or {@code if=}. */
    BUS,
    /** The {@code <driver>} start tag (where driver attributes go), or the whole {@code -drive} value. */
    DRIVER,
    /** XML {@code <driver cache=>} or {@code -drive cache=}. */
    CACHE,
    /** {@code cache.direct=} or blockdev {@code "cache":{"direct":...}}. */
    CACHE_DIRECT,
    /** {@code cache.no-flush=} or blockdev {@code "cache":{"no-flush":...}}. */
    CACHE_NO_FLUSH,
    /** {@code cache.writeback=} on a {@code -drive}. */
    CACHE_WRITEBACK,
    /** {@code write-cache=} on a {@code -device}. */
    WRITE_CACHE,
    /** XML {@code <driver io=>}, {@code aio=}. */
    IO,
    /** XML {@code <driver discard=>}, {@code discard=}. */
    DISCARD,
    /** XML {@code <driver detect_zeroes=>}, {@code detect-zeroes=}. */
    DETECT_ZEROES,
    /** The {@code <readonly/>} element, {@code readonly=} or blockdev {@code read-only}. */
    READONLY,
    /** The {@code <shareable/>} element. */
    SHAREABLE,
    /** The {@code <transient/>} element, or {@code snapshot=} on a {@code -drive}. */
    TRANSIENT
}
