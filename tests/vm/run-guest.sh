#!/bin/bash
# Boot a test disk under QEMU (TCG, one vCPU) until the guest powers off.
#
#   run-guest.sh --image DISK --results RESULTS.img [options]
#
# One run of this script is one QEMU process. Reboots the guest does itself
# (systemctl reboot, the agent's reboot, kexec) reset the machine inside the
# same process and keep guest RAM: warm reboots. Running the script again on
# the same disks is a cold boot: a new process starts with zeroed RAM.
#
# Options:
#   --image PATH          boot disk (raw, or qcow2 by file name)
#   --results PATH        results disk: ext4 labelled "results"; created
#                         (512 MiB, sparse) if it does not exist, reused as is
#                         otherwise, so several runs can share it
#   --hook FILE           install FILE as hook.sh on the results disk
#                         (replaces an existing one)
#   --put FILE            copy FILE to the top of the results disk (repeatable)
#   --results-out DIR     after QEMU exits, copy the results disk's files to DIR
#   --mem SIZE            guest RAM (default 6G; the firmware memory map and
#                         so every memmap= plan depend on it)
#   --numa SIZE,SIZE...   split the guest RAM into NUMA nodes of these sizes in
#                         GiB, node 0 first (they must add up to --mem); the
#                         one vCPU sits on node 0, the others are memory-only
#                         nodes, as on a socket whose cores are all busy elsewhere.
#                         QEMU hands out RAM below 4 GiB first, so with 8G and
#                         --numa 5,3 node 0 holds 0-3G and 4G-6G, node 1 6G-9G
#   --timeout SECS        kill QEMU after SECS (default 900)
#   --serial-log FILE     serial console log (default: next to the results disk)
#   --serial-timestamps FILE
#                         the same console lines, each prefixed with the host's
#                         time when it arrived (bash $EPOCHREALTIME, seconds
#                         since the epoch with microseconds) and a space:
#                         "1795960881.349990 [    0.000000] Linux version ...".
#                         Default: the serial log's name plus ".ts". Written by
#                         a background `tail -F` of the serial log (inotify, so
#                         within milliseconds of QEMU writing the line); it is
#                         stopped when QEMU ends or the script exits. Times
#                         between lines measure the guest's phases from the
#                         outside, including firmware and GRUB, which the
#                         guest's own clocks cannot see (reboot-figures.sh)
#   --meta-data FILE      NoCloud seed: attach a vfat volume labelled CIDATA
#   --user-data FILE        built from these files. --meta-data is required
#   --vendor-data FILE      for a seed; missing user-data becomes an empty
#   --network-config FILE   #cloud-config, missing network-config an empty file
#   --net-guestfwd SPEC   give the guest a NIC on a restricted user network
#                         (no route out) with QEMU's guestfwd=SPEC, e.g.
#                         tcp:10.0.2.100:80-cmd:socat - TCP:127.0.0.1:8080
#                         (cmd: runs once per connection; a chardev target
#                         such as tcp:127.0.0.1:8080 is connected only once,
#                         when QEMU starts). Commas must be doubled. The
#                         guest does not configure the NIC by itself: the
#                         hook does (see hooks/net-check-hook.sh). Off by
#                         default.
#   --no-reboot           make a guest reboot end QEMU instead (then the next
#                         run-guest.sh is a cold boot of the same disks)
#   --disk PATH           attach PATH (raw) as one more virtio disk after the
#                         results disk and the seed (repeatable), e.g. another
#                         system's disk for os-prober to find
#   --uefi                boot with UEFI firmware: Debian's OVMF as pflash,
#                         OVMF_CODE_4M.fd read-only and a writable copy of
#                         OVMF_VARS_4M.fd (the machine's NVRAM); the boot disk
#                         gets bootindex 0 (build-image.sh --uefi images)
#   --efi-vars FILE       that NVRAM copy (default: the image's name plus
#                         ".efivars.fd"); created from OVMF_VARS_4M.fd when
#                         missing, kept otherwise, so a cold boot of the same
#                         disk finds the variables its earlier boots left
#
# Exit status: 0 when the guest powered off (or rebooted with --no-reboot),
# 124 on timeout, 70 when a kernel panic was seen on the console, else
# QEMU's own status.
#
# The hook protocol is described in tests/vm/README.md and
# guest/ramdax-e2e-hook.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

IMAGE=""
RESULTS=""
HOOK=""
PUTS=()
EXTRA_DISKS=()
RESULTS_OUT=""
MEM=6G
NUMA=""
TIMEOUT=900
SERIAL_LOG=""
SERIAL_TS=""
declare -A SEED=()
GUESTFWD=""
NO_REBOOT=0
UEFI=0
EFI_VARS=""
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
while (($#)); do
    case $1 in
        --image) IMAGE=$2; shift 2 ;;
        --results) RESULTS=$2; shift 2 ;;
        --hook) HOOK=$2; shift 2 ;;
        --put) PUTS+=("$2"); shift 2 ;;
        --results-out) RESULTS_OUT=$2; shift 2 ;;
        --mem) MEM=$2; shift 2 ;;
        --numa) NUMA=$2; shift 2 ;;
        --timeout) TIMEOUT=$2; shift 2 ;;
        --serial-log) SERIAL_LOG=$2; shift 2 ;;
        --serial-timestamps) SERIAL_TS=$2; shift 2 ;;
        --meta-data|--user-data|--vendor-data|--network-config)
            SEED[${1#--}]=$2; shift 2 ;;
        --net-guestfwd) GUESTFWD=$2; shift 2 ;;
        --no-reboot) NO_REBOOT=1; shift ;;
        --disk) EXTRA_DISKS+=(-drive "file=$2,if=virtio,format=raw"); shift 2 ;;
        --uefi) UEFI=1; shift ;;
        --efi-vars) EFI_VARS=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
[[ -n $IMAGE && -f $IMAGE ]] || die "--image must name an existing disk"
[[ -n $RESULTS ]] || die "--results is required"
NUMA_ARGS=()
if [[ -n $NUMA ]]; then
    [[ $NUMA =~ ^[1-9][0-9]*(,[1-9][0-9]*)+$ ]] || die "--numa takes two or more sizes in GiB, e.g. 5,3 (not $NUMA)"
    [[ $MEM =~ ^([0-9]+)G$ ]] || die "--numa needs --mem in whole GiB (not $MEM)"
    total=0 node=0
    for size in ${NUMA//,/ }; do
        cpus=""
        [[ $node -ne 0 ]] || cpus=,cpus=0
        NUMA_ARGS+=(-object "memory-backend-ram,id=ram-node$node,size=${size}G"
            -numa "node,nodeid=$node,memdev=ram-node$node$cpus")
        total=$((total + size))
        node=$((node + 1))
    done
    [[ $total -eq ${BASH_REMATCH[1]} ]] || die "--numa sizes add up to ${total}G, not --mem $MEM"
fi
ensure_host_tools qemu-system-x86_64 timeout mkfs.ext4 debugfs
((${#SEED[@]})) && ensure_host_tools mkfs.vfat mcopy
((UEFI)) && ensure_host_tools "$OVMF_CODE" "$OVMF_VARS"

SERIAL_LOG=${SERIAL_LOG:-${RESULTS%.*}.serial.log}
SERIAL_TS=${SERIAL_TS:-$SERIAL_LOG.ts}

# ------------------------------------------------------------ results disk
# ext4 rather than vfat: the guest writes sysfs file names and modes
# faithfully, and debugfs reads and writes the image on the host without
# mounting it (no root, no loop device, nothing to clean up).
if [[ ! -f $RESULTS ]]; then
    truncate -s 512M "$RESULTS"
    mkfs.ext4 -q -L results "$RESULTS"
fi
put_file() { # put_file SRC NAME: replace /NAME on the results disk
    debugfs -w -R "rm /$2" "$RESULTS" >/dev/null 2>&1 || true
    debugfs -w -R "write $1 /$2" "$RESULTS" >/dev/null 2>&1
    debugfs -R "stat /$2" "$RESULTS" 2>/dev/null | grep -q 'Type: regular' ||
        die "could not write $2 to $RESULTS"
}
[[ -n $HOOK ]] && put_file "$(realpath "$HOOK")" hook.sh
for f in "${PUTS[@]}"; do put_file "$(realpath "$f")" "$(basename "$f")"; done

# ------------------------------------------------------------ NoCloud seed
WORK=$(mktemp -d)
push_cleanup "rm -rf $WORK"
SEED_ARGS=()
if ((${#SEED[@]})); then
    [[ -n ${SEED[meta-data]:-} ]] || die "a NoCloud seed needs --meta-data"
    mkdir "$WORK/seed"
    cp "${SEED[meta-data]}" "$WORK/seed/meta-data"
    if [[ -n ${SEED[user-data]:-} ]]; then cp "${SEED[user-data]}" "$WORK/seed/user-data"
    else
        # A #cloud-config with no keys is reported as an error by
        # cloud-init; state a default instead.
        printf '#cloud-config\nmanage_etc_hosts: false\n' >"$WORK/seed/user-data"
    fi
    if [[ -n ${SEED[network-config]:-} ]]; then cp "${SEED[network-config]}" "$WORK/seed/network-config"
    else : >"$WORK/seed/network-config"; fi
    [[ -n ${SEED[vendor-data]:-} ]] && cp "${SEED[vendor-data]}" "$WORK/seed/vendor-data"
    # cloud-init finds the seed by label (cidata/CIDATA) on vfat or iso9660.
    mkfs.vfat -n CIDATA -C "$WORK/seed.img" 2048 >/dev/null
    mcopy -i "$WORK/seed.img" "$WORK"/seed/* ::/
    SEED_ARGS=(-drive "file=$WORK/seed.img,if=virtio,format=raw,readonly=on")
fi

# ------------------------------------------------------------------ QEMU
case $IMAGE in *.qcow2) FMT=qcow2 ;; *) FMT=raw ;; esac
NET_ARGS=(-nic none)
if [[ -n $GUESTFWD ]]; then
    # restrict=on: the guest reaches nothing but the guestfwd targets.
    NET_ARGS=(-netdev "user,id=n0,restrict=on,guestfwd=$GUESTFWD" -device virtio-net-pci,netdev=n0)
fi
REBOOT_ARGS=()
((NO_REBOOT)) && REBOOT_ARGS=(-no-reboot)
BOOT_DISK_ARGS=(-drive "file=$IMAGE,if=virtio,format=$FMT")
FIRMWARE_ARGS=()
if ((UEFI)); then
    EFI_VARS=${EFI_VARS:-${IMAGE%.*}.efivars.fd}
    [[ -f $EFI_VARS ]] || cp "$OVMF_VARS" "$EFI_VARS"
    FIRMWARE_ARGS=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
        -drive "if=pflash,format=raw,unit=1,file=$EFI_VARS")
    # OVMF tries the disks in boot order; the results disk and the seed have no ESP.
    BOOT_DISK_ARGS=(-drive "file=$IMAGE,if=none,id=boot,format=$FMT"
        -device virtio-blk-pci,drive=boot,bootindex=0)
fi

QEMU=(qemu-system-x86_64
    -machine pc -accel tcg -smp 1 -m "$MEM"   # TCG: nested KVM does not work here;
                                             # one vCPU: SMP under TCG oopsed 7.3
    "${NUMA_ARGS[@]}"
    -nodefaults -display none -monitor none
    -serial "file:$SERIAL_LOG"
    "${FIRMWARE_ARGS[@]}"
    "${BOOT_DISK_ARGS[@]}"
    -drive "file=$RESULTS,if=virtio,format=raw"
    "${SEED_ARGS[@]}" "${EXTRA_DISKS[@]}" "${NET_ARGS[@]}" "${REBOOT_ARGS[@]}"
    # pvpanic + panic=exit-failure: a panic ends QEMU at once instead of
    # panic=-1 rebooting into the same panic until the timeout.
    -device pvpanic -action panic=exit-failure
)
log "booting $IMAGE ($( ((UEFI)) && echo "UEFI, NVRAM $EFI_VARS, ")mem $MEM, timeout ${TIMEOUT}s, serial log $SERIAL_LOG, timestamped in $SERIAL_TS)"
: >"$SERIAL_LOG"
: >"$SERIAL_TS"
t0=$(date +%s)
timeout --kill-after=15 "$TIMEOUT" "${QEMU[@]}" &
qpid=$!
push_cleanup "kill $qpid 2>/dev/null"   # never leave QEMU behind

# ---------------------------------------------------- console timestamps
# tail -F follows the log QEMU writes (from its first byte; --pid: it ends by itself about a
# second after QEMU is gone, having read everything); bash stamps each line as it arrives. A
# last line without a newline is stamped too. The reader's two processes are stopped by
# stop_stamper, which also runs from the cleanup stack if this script dies half-way.
stamp_lines() {
    local line
    while IFS= read -r line || [[ -n $line ]]; do
        printf '%s %s\n' "$EPOCHREALTIME" "$line"
    done
}
(echo "$BASHPID" >"$WORK/tail.pid"; exec tail -n +1 -F --pid="$qpid" "$SERIAL_LOG" 2>/dev/null) |
    stamp_lines >"$SERIAL_TS" &
stamp_pid=$!
stamper_running=1
stop_stamper() { # stop_stamper [GRACE-SECONDS]: let the reader finish, then end it
    ((stamper_running)) || return 0
    local i
    for ((i = 0; i < ${1:-0} * 5; i++)); do
        kill -0 "$stamp_pid" 2>/dev/null || break
        sleep 0.2
    done
    # Still running: end tail (its pid file is written before it starts) and the stamper. Once
    # the stamper has ended, tail has too (the stamper reads until tail closes the pipe).
    if kill -0 "$stamp_pid" 2>/dev/null; then
        kill "$(cat "$WORK/tail.pid" 2>/dev/null)" "$stamp_pid" 2>/dev/null || true
    fi
    wait "$stamp_pid" 2>/dev/null || true
    stamper_running=0
}
push_cleanup "stop_stamper"
# Early panics happen before the pvpanic driver loads; the console shows them.
panicked=0
while kill -0 "$qpid" 2>/dev/null; do
    if grep -q 'Kernel panic - not syncing' "$SERIAL_LOG" 2>/dev/null; then
        panicked=1
        sleep 3   # let the panic message finish
        kill "$qpid" 2>/dev/null || true
        break
    fi
    sleep 2
done
rc=0
wait "$qpid" || rc=$?
elapsed=$(($(date +%s) - t0))
stop_stamper 10   # tail notices within a second that QEMU is gone
# pvpanic may have ended QEMU before the loop above looked.
grep -q 'Kernel panic - not syncing' "$SERIAL_LOG" 2>/dev/null && panicked=1
((panicked)) && rc=70
case $rc in
    0) log "guest stopped after ${elapsed}s" ;;
    124) log "TIMEOUT after ${elapsed}s (limit ${TIMEOUT}s)" ;;
    70) log "kernel panic after ${elapsed}s" ;;
    *) log "QEMU exited with status $rc after ${elapsed}s" ;;
esac
echo "$elapsed" >"$WORK/elapsed"

if [[ -n $RESULTS_OUT ]]; then
    mkdir -p "$RESULTS_OUT"
    debugfs -R "rdump / $RESULTS_OUT" "$RESULTS" >/dev/null 2>&1 ||
        log "warning: could not copy files off $RESULTS"
fi
exit "$rc"
