#!/bin/bash
# Runs the CI runner VM. The cache mode is chosen per host by the caller:
#   CACHE=none ./cache-from-env.sh      (SSD hosts)
#   CACHE=writeback ./cache-from-env.sh (hosts with a slow array)
# virtlint reads this script but does not run it, so it cannot know the mode: no advice, no
# "invalid value" for the references.
set -euo pipefail
IMAGES=${IMAGES:-/var/lib/ci-runner}
CACHE=${CACHE:-none}
AIO=${AIO:-threads}
# The build cache takes its whole cache setting from the caller (SCRATCH_OPTS=cache=unsafe on
# throwaway runners): an item that is a variable as a whole may hold any options, and so may one
# glued after a value (ARTIFACT_OPTS=,cache=none).
SCRATCH_OPTS=${SCRATCH_OPTS:-cache=writeback}

exec qemu-system-x86_64 \
    -machine q35,accel=kvm -m 4096 -smp 4 \
    -drive file="$IMAGES/runner.qcow2",if=virtio,format=qcow2,cache=$CACHE,aio=$AIO \
    -drive file="$IMAGES/seed.iso",media=cdrom,readonly=on \
    -drive file="$IMAGES/build-cache.raw",if=virtio,format=raw,$SCRATCH_OPTS \
    -drive "file=$IMAGES/artifacts.raw,if=virtio,format=raw${ARTIFACT_OPTS:-}" \
    -nic user,model=virtio-net-pci \
    -nographic
