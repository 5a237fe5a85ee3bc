#!/bin/bash
# Guest side of record-captures.sh: copies real kernel, sysfs, ndctl, blkid,
# cloud-init and GRUB output to the results disk for the unit-test fixtures.
#
# Boot 1 (no memmap=, NoCloud seed): the machine as the agent first sees it.
#   Then adds memmap=2G!4G the way a Debian package would (a drop-in in
#   /etc/default/grub.d appending to GRUB_CMDLINE_LINUX_DEFAULT, then
#   update-grub run in the guest) and reboots warm.
# Boot 2 (memmap=2G!4G): ramdax bound by hand, namespaces created, ext4 and
#   XFS made and mounted dax=always, captured before and after.
#
# Files that exist on the guest are copied byte for byte under
# $E2E_OUT/capture/<their absolute path>; command output goes to
# $E2E_OUT/capture/cmd/<name> with the exit code in <name>.rc when it matters.
set -euo pipefail

C=$E2E_OUT/capture
mkdir -p "$C/cmd"
REL=$(uname -r)
PLAT=/sys/bus/platform/devices/e820_pmem
REGION=/sys/bus/nd/devices/region0

# copy PATH...: the real files, same bytes (sysfs files end in a newline).
copy() {
    local f
    for f in "$@"; do
        mkdir -p "$C$(dirname "$f")"
        cat "$f" >"$C$f"
    done
}
# run NAME CMD...: stdout+stderr to cmd/NAME, exit code to cmd/NAME.rc
run() {
    local name=$1 rc=0
    shift
    "$@" >"$C/cmd/$name" 2>&1 || rc=$?
    echo "$rc" >"$C/cmd/$name.rc"
    return 0
}
# run_out NAME CMD...: stdout only to cmd/NAME (clean JSON), stderr to .err
run_out() {
    local name=$1 rc=0
    shift
    "$@" >"$C/cmd/$name" 2>"$C/cmd/$name.err" || rc=$?
    echo "$rc" >"$C/cmd/$name.rc"
    return 0
}

common() {
    copy /proc/cmdline /proc/meminfo /proc/sys/kernel/osrelease /proc/iomem
    local d
    for d in /sys/firmware/memmap/*; do copy "$d/start" "$d/end" "$d/type"; done
    copy /sys/devices/system/memory/block_size_bytes
    # node0's memory blocks are symlinks to ../../memory/memoryN; record the
    # names and, per block, the attributes that tell where and what it is.
    ls -l /sys/devices/system/node/node0/ | awk '$(NF-1) == "->" && $(NF-2) ~ /^memory[0-9]+$/ {print $(NF-2), $(NF-1), $NF}' \
        >"$C/cmd/node0-memory-links.txt"
    for d in /sys/devices/system/node/node0/memory[0-9]*; do
        copy "$(realpath "$d")/phys_index" "$(realpath "$d")/state"
    done
    dmesg | grep -E 'BIOS-e820|user: |e820: ' >"$C/cmd/dmesg-e820.txt" || true
    ls -1 /sys/bus/platform/devices/ >"$C/cmd/platform-devices.txt"
    copy /etc/default/grub /boot/grub/grub.cfg
    ls -la /etc/default/grub.d/ >"$C/cmd/etc-default-grub.d-ls.txt" 2>&1 || true
    grep -E '^\s*linux\s' /boot/grub/grub.cfg >"$C/cmd/grub-cfg-linux-lines.txt"
}

boot_first() {
    run cloud-init-status timeout 300 cloud-init status --wait --long
    copy /run/cloud-init/instance-data.json
    common
    copy "/lib/modules/$REL/modules.builtin"
    ls -1 "/lib/modules/$REL/kernel/drivers/nvdimm/" >"$C/cmd/nvdimm-modules.txt"
    dpkg-query -W -f '${Package} ${Version}\n' cloud-init daxctl e2fsprogs grub-pc \
        "linux-image-$REL" ndctl systemd xfsprogs >"$C/cmd/versions.txt"
    [[ -e $PLAT ]] && echo present >"$C/cmd/e820_pmem.txt" || echo absent >"$C/cmd/e820_pmem.txt"

    # Carve 2 GiB at 4 GiB for the next boot, the Debian way.
    mkdir -p /etc/default/grub.d
    # shellcheck disable=SC2016  # the $ is for the shell that sources it
    printf 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT memmap=2G!4G"\n' \
        >/etc/default/grub.d/zz-capture.cfg
    run update-grub update-grub
    echo reboot >"$E2E_ACTION_FILE"
}

region_sysfs() { # region_sysfs SUBDIR
    local f
    mkdir -p "$C/$1$REGION"
    for f in resource size align available_size max_available_extent; do
        cat "$REGION/$f" >"$C/$1$REGION/$f"
    done
}

boot_memmap() {
    common
    # Who holds e820_pmem after udev is done: "none", or "e820_pmem" when
    # nd_e820 (whose platform driver has that name) was loaded for it.
    local before
    before=$(basename "$(readlink "$PLAT/driver" 2>/dev/null || echo none)")
    echo "$before" >"$C/cmd/e820_pmem-driver-at-boot.txt"
    lsmod | awk 'NR == 1 || $1 ~ /^(nd_|libnvdimm|ramdax|dax)/' >"$C/cmd/lsmod-nvdimm-at-boot.txt"
    run_out ndctl-list-BDRN-at-boot.json ndctl list -BDRN

    # Bind ramdax by hand (the recipe the agent automates).
    echo ramdax >"$PLAT/driver_override"
    [[ $before == none ]] || echo e820_pmem >"$PLAT/driver/unbind"
    modprobe ramdax
    echo e820_pmem >/sys/bus/platform/drivers_probe
    for _ in $(seq 1 100); do [[ -e $REGION ]] && break; sleep 0.1; done
    udevadm settle --timeout=30
    basename "$(readlink "$PLAT/driver")" >"$C/cmd/e820_pmem-driver-after-bind.txt"
    [[ -e $REGION ]] || { echo "region0 did not appear"; exit 1; }

    run_out ndctl-list-BDRN-before.json ndctl list -BDRN
    region_sysfs before-namespaces

    run_out create-fsdax-ext4.json ndctl create-namespace -r region0 -m fsdax -s 512M -n e2e-ext4
    udevadm settle --timeout=30
    local ext4dev xfsdev
    ext4dev=/dev/$(jq -r .blockdev "$C/cmd/create-fsdax-ext4.json")
    run_out blkid-blank.txt blkid -p -o export "$ext4dev"
    run mkfs-ext4.txt mkfs.ext4 -F -b 4096 -E stride=512,stripe_width=512 -L e2e-ext4 "$ext4dev"
    run_out blkid-ext4.txt blkid -p -o export "$ext4dev"

    run_out create-fsdax-xfs.json ndctl create-namespace -r region0 -m fsdax -s 512M -n e2e-xfs
    udevadm settle --timeout=30
    xfsdev=/dev/$(jq -r .blockdev "$C/cmd/create-fsdax-xfs.json")
    # DAX wants reflink off and 2 MiB alignment. On this 502 MiB device the
    # plain su=2m form fails ("Log size must be at least 64MB": the log must
    # be 64 MiB, and with 2 MiB alignment one of the default four 125 MiB
    # allocation groups leaves just under that for it; tried on the trixie
    # mkfs.xfs). Record that, then the form that works: two allocation groups.
    run mkfs-xfs-su2m.txt mkfs.xfs -f -m reflink=0 -d su=2m,sw=1 -L e2e-xfs "$xfsdev"
    run mkfs-xfs.txt mkfs.xfs -f -m reflink=0 -d su=2m,sw=1,agcount=2 -L e2e-xfs "$xfsdev"
    run_out blkid-xfs.txt blkid -p -o export "$xfsdev"

    mkdir -p /mnt/e2e-ext4 /mnt/e2e-xfs
    mount -o dax=always "$ext4dev" /mnt/e2e-ext4
    mount -o dax=always "$xfsdev" /mnt/e2e-xfs
    copy /proc/self/mountinfo
    run findmnt-dax.txt findmnt --list -o TARGET,SOURCE,FSTYPE,OPTIONS -t ext4,xfs

    run_out ndctl-list-BDRN-after.json ndctl list -BDRN
    run_out ndctl-list-N-after.json ndctl list -N
    region_sysfs after-namespaces
    umount /mnt/e2e-ext4 /mnt/e2e-xfs
    echo poweroff >"$E2E_ACTION_FILE"
}

case $E2E_BOOT in
    1) boot_first ;;
    2) boot_memmap ;;
    *) echo "unexpected boot $E2E_BOOT"; exit 1 ;;
esac
echo done >"$E2E_OUT/capture-done"
