#!/bin/bash
# expect: unsafe-cache-persistent-disk "disk ide0-hd0 (/var/lib/vm/win10.qcow2)"
# expect: double-caching "disk ide0-hd0"
# Windows 10 install with the virtio drivers on a second CD-ROM. None of the drives has an id:
# QEMU names them by slot (blockdev.c drive_new). The driver CD asks for index 1 (bus 0, unit 1:
# ide0-cd1), so the system disk takes the first free slot, bus 0 unit 0, and is ide0-hd0; the
# installer CD comes last, on bus 1: ide1-cd0.
qemu-system-x86_64 -enable-kvm -machine pc -m 4G -smp 2 \
    -drive file=/srv/iso/virtio-win-0.1.240.iso,media=cdrom,index=1,readonly=on \
    -drive file=/var/lib/vm/win10.qcow2,format=qcow2,cache=unsafe \
    -drive file=/srv/iso/Win10_22H2_EnglishInternational_x64.iso,media=cdrom,readonly=on \
    -boot d -usb -device usb-tablet
