#!/bin/sh
# expect: unsafe-cache-persistent-disk "disk virtio0 (/var/lib/vm/debian12.qcow2)"
# expect: double-caching "disk virtio0" x2
# Start the Debian test VM, or with "install" boot the installer first. Both commands name the
# system disk virtio0 (QEMU's name for the first if=virtio drive without an id): fix tells the
# two apart by where they are.
if [ "${1:-}" = install ]; then
    exec qemu-system-x86_64 -enable-kvm -m 2048 -boot d \
        -drive file=/srv/iso/debian-12.5.0-amd64-netinst.iso,media=cdrom,readonly=on \
        -drive file=/var/lib/vm/debian12.qcow2,if=virtio,format=qcow2,cache=none
else
    exec qemu-system-x86_64 -enable-kvm -m 2048 \
        -drive file=/var/lib/vm/debian12.qcow2,if=virtio,format=qcow2,cache=none \
        -nic user,model=virtio-net-pci
fi
