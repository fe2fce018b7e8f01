package dev.virtlint.model;

/** Where a disk was defined. */
public enum Origin {
    /** A {@code <disk>} element of a domain XML. */
    XML("xml"),
    /** A {@code -drive} or {@code -blockdev} inside a domain's {@code <qemu:commandline>}. */
    QEMU_COMMANDLINE("qemu-commandline"),
    /** A libvirt {@code .args} file or a shell script that starts QEMU. */
    ARGS("args"),
    /** A drive string given on virtlint's own command line. */
    DRIVE("drive");

    private final String id;

    Origin(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
