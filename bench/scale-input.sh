#!/usr/bin/env bash
# Writes a --root tree and a configuration for the whole-process scale figures: a machine of
# RANGES System RAM ranges of 9 GiB above 4 GiB (each followed by a 1 GiB reserved hole), a ramdax
# kernel, and CARVEOUTS × 509 namespaces (half of them 16 MiB fsdax, half rest) in as many
# carve-outs. Usage: bench/scale-input.sh DIR CARVEOUTS   (prints the root and config paths)
set -euo pipefail
dir=$1
carveouts=$2
ranges=$((carveouts + 1))
root=$dir/root
rm -rf "$root" && mkdir -p "$root/proc/sys/kernel" "$root/lib/modules/7.3.4/kernel/drivers/nvdimm"
printf 'BOOT_IMAGE=/boot/vmlinuz-7.3.4 root=/dev/vda1 ro\n' >"$root/proc/cmdline"
printf '7.3.4\n' >"$root/proc/sys/kernel/osrelease"
: >"$root/lib/modules/7.3.4/modules.builtin"
: >"$root/lib/modules/7.3.4/kernel/drivers/nvdimm/ramdax.ko.xz"
entry() { # entry N START END TYPE
    mkdir -p "$root/sys/firmware/memmap/$1"
    printf '0x%x\n' "$2" >"$root/sys/firmware/memmap/$1/start"
    printf '0x%x\n' "$3" >"$root/sys/firmware/memmap/$1/end"
    printf '%s\n' "$4" >"$root/sys/firmware/memmap/$1/type"
}
G=$((1 << 30))
entry 0 0 $((0x9ffff)) "System RAM"
at=$((4 * G))
for ((i = 0; i < ranges; i++)); do
    entry $((2 * i + 1)) $at $((at + 9 * G - 1)) "System RAM"
    entry $((2 * i + 2)) $((at + 9 * G)) $((at + 10 * G - 1)) "Reserved"
    at=$((at + 10 * G))
done
config=$dir/config-$carveouts.yaml
{
    printf 'carveout:\n  size: %dG\n  min_os_memory: 4G\n  max_ranges: %d\nnamespaces:\n' $((carveouts * 8)) "$carveouts"
    for ((i = 0; i < carveouts * 509; i++)); do
        if ((i % 2 == 0)); then
            printf '  - {name: ns%d, size: 16M}\n' "$i"
        else
            printf '  - {name: ns%d, size: rest}\n' "$i"
        fi
    done
} >"$config"
echo "$root $config"
