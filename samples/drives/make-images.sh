#!/bin/sh
# Creates the images the launch scripts use. It starts no VM (qemu-img only), so `virtlint lint
# samples/` leaves it out without a word; named on the command line it is reported as skipped.
set -e
mkdir -p /var/lib/vm
qemu-img create -f qcow2 /var/lib/vm/win10.qcow2 64G
qemu-img create -f qcow2 -o preallocation=metadata /var/lib/vm/debian12.qcow2 20G
echo "start the VM with: -drive file=/var/lib/vm/debian12.qcow2,if=virtio,cache=none"
