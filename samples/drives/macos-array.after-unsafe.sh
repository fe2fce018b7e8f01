#!/usr/bin/env bash
# expect: double-caching "disk OpenCoreBoot ($REPO_PATH/OpenCore/OpenCore.qcow2)"
# expect: unsafe-cache-persistent-disk "disk MacHDD ($REPO_PATH/mac_hdd_ng.img)"
# expect: double-caching "disk MacHDD"
# expect: double-caching "disk SharedData"
# expect: double-caching "disk virtio0 (/srv/vm/scratch/build-cache.img)"
#
# macOS guest in the bash-array style of the popular launch-script repositories: one option per
# line, extra devices appended with +=, a few settings kept in variables. virtlint reads the array
# where it is written; $REPO_PATH stays in the disk's source since the path depends on where the
# script is run from.
set -euo pipefail

MY_OPTIONS="+ssse3,+sse4.2,+popcnt,+avx,+aes,+xsave,+xsaveopt,check"
ALLOCATED_RAM="8192" # MiB
CPU_SOCKETS="1"
CPU_CORES="4"
REPO_PATH="."
OVMF_DIR="."

args=(
  -enable-kvm -m "$ALLOCATED_RAM" -cpu Penryn,kvm=on,vendor=GenuineIntel,+invtsc,"$MY_OPTIONS"
  -machine q35
  -smp "$CPU_CORES",cores="$CPU_CORES",sockets="$CPU_SOCKETS"
  -device qemu-xhci,id=xhci
  -drive if=pflash,format=raw,readonly=on,file="$REPO_PATH/$OVMF_DIR/OVMF_CODE.fd"
  -drive if=pflash,format=raw,file="$REPO_PATH/$OVMF_DIR/OVMF_VARS-1920x1080.fd"
  -device ich9-ahci,id=sata
  # The boot loader image is thrown away at every start.
  -drive id=OpenCoreBoot,if=none,snapshot=on,format=qcow2,file="$REPO_PATH/OpenCore/OpenCore.qcow2",cache=none
  -device ide-hd,bus=sata.2,drive=OpenCoreBoot
  -drive id=MacHDD,if=none,file="$REPO_PATH/mac_hdd_ng.img",format=qcow2,cache=none
  -device ide-hd,bus=sata.4,drive=MacHDD
  -netdev user,id=net0 -device virtio-net-pci,netdev=net0,id=net0
)

if [[ -e /srv/vm/shared.raw ]]; then
  args+=(
    -drive id=SharedData,if=none,file=/srv/vm/shared.raw,format=raw,cache=none
    -device virtio-blk-pci,drive=SharedData
  )
fi

SCRATCH="file=/srv/vm/scratch/build-cache.img,if=virtio,format=raw,cache=none"

qemu-system-x86_64 "${args[@]}" -drive "$SCRATCH" -monitor stdio
