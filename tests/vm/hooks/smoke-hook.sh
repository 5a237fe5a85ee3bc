#!/bin/bash
# Guest side of smoke.sh: the ramdax recipe by hand, without the agent.
#
# Boot 1 (kernel booted with memmap=2G!4G): bind ramdax to e820_pmem, create
#   an fsdax namespace, mkfs.ext4, mount dax=always, write a token; then a
#   warm reboot (unless $E2E_RESULTS/smoke-mode says "quick").
# Boot 2 (warm reboot, same QEMU process): the namespace, filesystem and
#   token must still be there.
# Boot 3 (cold boot, new QEMU process): the region must be back and empty.
#
# Every finding goes to $E2E_OUT/results.env as key=value lines; smoke.sh
# asserts on them. The hook itself only fails on errors it cannot record.
set -euo pipefail

RES=$E2E_OUT/results.env
: >"$RES"
rec() { echo "$1=$2" >>"$RES"; echo "result: $1=$2"; }
now() { date +%s.%N; }
since() { echo "$1 $(now)" | awk '{printf "%.2f", $2 - $1}'; }
step() { echo "--- $*"; }

MODE=$(cat "$E2E_RESULTS/smoke-mode" 2>/dev/null || echo full)
PLAT=/sys/bus/platform/devices/e820_pmem
REGION=/sys/bus/nd/devices/region0
MNT=/mnt/smoke

rec boot "$E2E_BOOT"
rec kernel "$(uname -r)"
if grep -qw 'memmap=2G!4G' /proc/cmdline; then rec cmdline_memmap yes; else rec cmdline_memmap no; fi

# The recipe: ramdax binds only through driver_override. The device may be
# unbound (usual on Debian) or held by nd_e820.
bind_ramdax() {
    local drv t0
    t0=$(now)
    if [[ ! -e $PLAT ]]; then
        rec e820_pmem missing
        return 1
    fi
    rec e820_pmem present
    drv=$(basename "$(readlink "$PLAT/driver" 2>/dev/null || echo none)")
    rec driver_before "$drv"
    echo ramdax >"$PLAT/driver_override"
    if [[ $drv != none && $drv != ramdax ]]; then
        echo e820_pmem >"$PLAT/driver/unbind"
    fi
    modprobe ramdax
    [[ $drv == ramdax ]] || echo e820_pmem >/sys/bus/platform/drivers_probe
    for _ in $(seq 1 100); do [[ -e $REGION ]] && break; sleep 0.1; done
    udevadm settle --timeout=30
    rec driver_after "$(basename "$(readlink "$PLAT/driver" 2>/dev/null || echo none)")"
    rec t_bind "$(since "$t0")"
    [[ -e $REGION ]] || { rec region0 missing; return 1; }
    rec region0 present
}

# Every namespace on the region that has a size (the idle seed namespace
# the kernel always shows has size 0), as a JSON array.
namespaces() { ndctl list -N -r region0 | jq -s 'flatten | map(select(.size > 0))'; }

mount_dax() { # mount_dax DEV: mount and record what mountinfo says
    mkdir -p "$MNT"
    mount -o dax=always "$1" "$MNT"
    grep " $MNT " /proc/self/mountinfo | tee "$E2E_OUT/mountinfo-smoke.txt"
    if grep " $MNT " /proc/self/mountinfo | grep -qw 'dax=always'; then
        rec mountinfo_dax_always yes
    else
        rec mountinfo_dax_always no
    fi
}

boot_first() {
    local t0 blockdev token attrs
    step "bind ramdax"
    bind_ramdax
    ndctl list -BDRN >"$E2E_OUT/ndctl-list-BDRN-before.json"
    rec region_size "$(cat $REGION/size)"
    rec region_available_before "$(cat $REGION/available_size)"
    rec namespaces_before "$(namespaces | jq length)"

    step "create namespace"
    t0=$(now)
    ndctl create-namespace -r region0 -m fsdax -s 512M -n smoke >"$E2E_OUT/create.json"
    rec t_create_namespace "$(since "$t0")"
    blockdev=$(jq -r .blockdev "$E2E_OUT/create.json")
    rec blockdev "$blockdev"
    rec ns_uuid "$(jq -r .uuid "$E2E_OUT/create.json")"
    rec ns_size "$(jq -r .size "$E2E_OUT/create.json")"
    rec ns_mode "$(jq -r .mode "$E2E_OUT/create.json")"
    udevadm settle --timeout=30
    [[ -b /dev/$blockdev ]] || { rec blockdev_node missing; return 1; }

    # blkid -p on the new, blank device: nothing found is exit code 2.
    local rc=0
    blkid -p -o export "/dev/$blockdev" >"$E2E_OUT/blkid-blank.txt" || rc=$?
    rec blkid_blank_rc "$rc"

    step "mkfs.ext4"
    t0=$(now)
    # 4 KiB blocks: on a device this small mkfs.ext4 would pick 1 KiB,
    # which DAX refuses.
    mkfs.ext4 -q -F -b 4096 -E stride=512,stripe_width=512 -L smoke "/dev/$blockdev"
    rec t_mkfs "$(since "$t0")"
    rec fs_label "$(blkid -p -o value -s LABEL "/dev/$blockdev")"

    step "mount dax=always"
    mount_dax "/dev/$blockdev"
    token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
    echo "$token" >"$MNT/token"
    sync
    rec token "$token"
    # STATX_ATTR_DAX (0x200000): the file really is accessed through DAX.
    xfs_io -r -c 'statx -r' "$MNT/token" >"$E2E_OUT/statx.txt"
    attrs=$(awk '$1 == "stat.attributes" {print $3}' "$E2E_OUT/statx.txt")
    if (( ${attrs:-0} & 0x200000 )); then rec statx_dax yes; else rec statx_dax no; fi
    umount "$MNT"
    ndctl list -BDRN >"$E2E_OUT/ndctl-list-BDRN-after.json"
    rec region_available_after "$(cat $REGION/available_size)"

    if [[ $MODE == quick ]]; then
        echo poweroff >"$E2E_ACTION_FILE"
    else
        echo reboot >"$E2E_ACTION_FILE"   # warm: same QEMU process
    fi
}

boot_warm() {
    local uuid want blockdev
    step "bind ramdax after warm reboot"
    bind_ramdax
    ndctl list -BDRN >"$E2E_OUT/ndctl-list-BDRN.json"
    want=$(sed -n 's/^ns_uuid=//p' "$E2E_RESULTS/boot-1/results.env")
    uuid=$(namespaces | jq -r '.[] | select(.name == "smoke") | .uuid')
    rec ns_uuid "${uuid:-none}"
    rec ns_uuid_same "$([[ -n $uuid && $uuid == "$want" ]] && echo yes || echo no)"
    blockdev=$(namespaces | jq -r '.[] | select(.name == "smoke") | .blockdev')
    udevadm settle --timeout=30
    rec fs_label "$(blkid -p -o value -s LABEL "/dev/$blockdev" || echo none)"
    mount_dax "/dev/$blockdev"
    rec token "$(cat "$MNT/token" 2>/dev/null || echo none)"
    umount "$MNT"
    echo poweroff >"$E2E_ACTION_FILE"
}

boot_cold() {
    step "bind ramdax after cold boot"
    bind_ramdax
    ndctl list -BDRN >"$E2E_OUT/ndctl-list-BDRN.json"
    rec namespaces "$(namespaces | jq length)"
    rec region_available "$(cat $REGION/available_size)"
    echo poweroff >"$E2E_ACTION_FILE"
}

case $E2E_BOOT in
    1) boot_first ;;
    2) boot_warm ;;
    3) boot_cold ;;
    *) echo "unexpected boot $E2E_BOOT"; exit 1 ;;
esac
rec hook_done yes
