#!/bin/bash
# Boot the test image once (first boot, then a warm reboot with
# memmap=2G!4G) and record real kernel, sysfs, ndctl, blkid, cloud-init and
# GRUB output as unit-test fixtures:
#
#   tests/fixtures/captures/qemu-trixie-7.3.4/first-boot/   boot 1, no memmap=
#   tests/fixtures/captures/qemu-trixie-7.3.4/memmap-2G/    boot 2, memmap=2G!4G
#   tests/fixtures/roots/qemu-trixie-6G/                    boot 1 as a --root tree
#   tests/fixtures/roots/qemu-trixie-6G-memmap2G/           boot 2 as a --root tree
#
#   record-captures.sh [--work DIR] [--keep]
#
# The guest side is hooks/capture-hook.sh; the README in the captures
# directory says what each file is. Re-running replaces those trees (not the
# README). Needs root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
FIXTURES=$(cd "$HERE/../fixtures" 2>/dev/null && pwd || echo "$HERE/../fixtures")
CAPS=$FIXTURES/captures/qemu-trixie-7.3.4
ROOTS=$FIXTURES/roots

WORK=""
KEEP=0
while (($#)); do
    case $1 in
        --work) WORK=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
[[ $EUID -eq 0 ]] || die "must run as root"
WORK=${WORK:-$(mktemp -d /var/tmp/ramdax-capture.XXXXXX)}
mkdir -p "$WORK"
OUT=$WORK/results

phase_start "test disk"
rm -rf "$OUT" "$WORK/disk.raw" "$WORK/results.img"
"$HERE/build-image.sh" --out "$WORK/disk.raw" >/dev/null
# The instance the unit tests expect in instance-data.json.
printf 'instance-id: iid-e2e-0001\nlocal-hostname: ramdax-e2e\n' >"$WORK/meta-data"
phase_end

phase_start "boot 1 + warm reboot with memmap=2G!4G"
"$HERE/run-guest.sh" --image "$WORK/disk.raw" --results "$WORK/results.img" \
    --hook "$HERE/hooks/capture-hook.sh" --meta-data "$WORK/meta-data" \
    --serial-log "$WORK/serial.log" --results-out "$OUT" --timeout 900
phase_end

for b in 1 2; do
    [[ $(cat "$OUT/boot-$b/hook.rc" 2>/dev/null) == 0 && -f $OUT/boot-$b/capture-done ]] || {
        tail -n 40 "$OUT/boot-$b/hook.log" 2>/dev/null || true
        die "capture hook failed on boot $b (work directory kept: $WORK)"
    }
done

phase_start "lay out fixtures"
mkdir -p "$CAPS"
rm -rf "$CAPS/first-boot" "$CAPS/memmap-2G"
cp -a "$OUT/boot-1/capture" "$CAPS/first-boot"
cp -a "$OUT/boot-2/capture" "$CAPS/memmap-2G"
# The whole serial console of both boots (GRUB, kernel, systemd, hook).
tr -d '\r' <"$WORK/serial.log" >"$CAPS/serial-console.log"

REL=$(cat "$CAPS/first-boot/proc/sys/kernel/osrelease")

# make_root SRC DEST: a directory laid out like a real root for --root,
# holding only what the agent reads to plan.
make_root() {
    local src=$1 dest=$2 name blk
    rm -rf "$dest"
    mkdir -p "$dest/proc/sys/kernel" "$dest/sys/firmware" "$dest/sys/devices/system/memory" \
        "$dest/sys/devices/system/node/node0" "$dest/lib/modules/$REL/kernel/drivers/nvdimm" \
        "$dest/run/cloud-init" "$dest/etc/default"
    cp -a "$src/sys/firmware/memmap" "$dest/sys/firmware/"
    cp -a "$src/proc/cmdline" "$src/proc/meminfo" "$dest/proc/"
    cp -a "$src/proc/sys/kernel/osrelease" "$dest/proc/sys/kernel/"
    cp -a "$src/sys/devices/system/memory/block_size_bytes" "$dest/sys/devices/system/memory/"
    cp -a "$CAPS/first-boot/lib/modules/$REL/modules.builtin" "$dest/lib/modules/$REL/"
    # Empty placeholders: only the presence of a module file matters.
    while read -r name; do
        : >"$dest/lib/modules/$REL/kernel/drivers/nvdimm/$name"
    done <"$CAPS/first-boot/cmd/nvdimm-modules.txt"
    # node0/memoryN are symlinks to directories on a real system; here they
    # are directories (git keeps no symlinks to missing targets nor empty
    # directories) holding the block's real phys_index and state.
    while read -r _ _ blk; do
        blk=$(basename "$blk")
        mkdir -p "$dest/sys/devices/system/node/node0/$blk"
        cp -a "$src/sys/devices/system/memory/$blk/phys_index" \
              "$src/sys/devices/system/memory/$blk/state" \
              "$dest/sys/devices/system/node/node0/$blk/"
    done <"$src/cmd/node0-memory-links.txt"
    cp -a "$CAPS/first-boot/run/cloud-init/instance-data.json" "$dest/run/cloud-init/"
    cp -a "$src/etc/default/grub" "$dest/etc/default/"
}
make_root "$CAPS/first-boot" "$ROOTS/qemu-trixie-6G"
make_root "$CAPS/memmap-2G" "$ROOTS/qemu-trixie-6G-memmap2G"
# After boot 2 bound ramdax: the region as the agent finds it before it
# creates namespaces.
mkdir -p "$ROOTS/qemu-trixie-6G-memmap2G/sys/bus/nd/devices"
cp -a "$CAPS/memmap-2G/before-namespaces/sys/bus/nd/devices/region0" \
    "$ROOTS/qemu-trixie-6G-memmap2G/sys/bus/nd/devices/"
phase_end

for t in "${PHASE_TIMES[@]}"; do log "phase $t"; done
((KEEP)) || rm -rf "$WORK"
log "fixtures written under $FIXTURES"
