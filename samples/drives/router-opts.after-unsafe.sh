#!/bin/sh
# expect: double-caching "disk virtio0 ($IMG_DIR/router.qcow2)"
# expect: native-aio-without-direct-io "disk virtio0"
# A router VM started from rc.local, its options gathered in one string, the older style of
# launch script. QEMU may be overridden from the environment; the image directory is left as
# written in the disk's source, since it is part of a word.
QEMU=${QEMU:-qemu-system-x86_64}
IMG_DIR=/var/lib/vm
OPTS="-enable-kvm -m 1024 -smp 2 -nographic"
OPTS="$OPTS -drive file=$IMG_DIR/router.qcow2,if=virtio,format=qcow2,cache=none,aio=native"
OPTS="$OPTS -netdev tap,id=wan,ifname=tap0,script=no -device virtio-net-pci,netdev=wan"
exec $QEMU $OPTS "$@"
