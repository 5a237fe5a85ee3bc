#!/bin/bash
# End-to-end proof on a real ramdax kernel: the agent's .deb installed with dpkg into a Debian 13
# guest with the trixie-backports kernel, booted from its own disk through GRUB under QEMU.
#
#   tests/vm/e2e.sh [--deb PATH] [--only NAME[,NAME...]] [--lanes N] [--demo]
#
# NAME is one of baked, cloud-init, refusal, kexec, bookworm, uefi, systemd-boot, numa, boot-cost. Without --only every scenario
# runs. The scenarios are independent (each has its own disk), so they run in N lanes side by side
# (--lanes, default 2: one single-vCPU guest per core), longest first; each scenario's output is
# kept in $RAMDAX_E2E_WORK/NAME.log and printed whole, in a fixed order, when all have ended, with
# one line per scenario as it starts and ends.
#
# Scenarios (each check inside the guest prints PASS or FAIL; this script counts them):
#   baked      1 first boot plans, writes the GRUB drop-in, reboots by itself; second boot has
#                everything in place (ext4, XFS, devdax, dax=always, owner and mode, status)
#              2 warm reboot: a file written before reads back, no mkfs, status says reused
#              3 cold boot (new QEMU process): layout recreated, filesystems new, status says so
#              7 cloud-init clean + ramdax-provision clean, boot as a new instance with 8 GiB:
#                re-planned for the new size, the old argument replaced
#              6 apt-get purge: the arguments go; the next boot has no memmap=
#   cloud-init 4 the configuration arrives only as NoCloud user-data (write_files into config.d)
#   refusal    5 a request larger than the machine: no GRUB change, no reboot, clear error
#   kexec      8 scenario 1 with reboot: kexec (scenarios/kexec.yaml): the agent kexecs into its
#                arguments by itself; the next boot has the layout
#              9 in the same QEMU process, a kexec kernel update as an operator does it: files on
#                every fsdax mount and a 4 MiB pattern on the devdax device, kexec -l of the
#                installed kernel (--reuse-cmdline), systemctl kexec; after it the namespaces are
#                reused, every byte reads back, no mkfs ran; then a normal reboot, the same again.
#                The console shows two kexecs, one firmware reset and four kernel boots
#   bookworm  11 Debian 12 (build-image.sh --suite bookworm: kernel 6.1 without ramdax, ndctl 76,
#                cloud-init 22.4, BIOS GRUB), 8 GiB, configuration only from NoCloud user-data (a
#                write_files drop-in): the first boot plans the nd_e820 fallback (one memmap= range
#                per namespace) and reboots by itself; the second boot has every raw namespace in
#                its mode, ext4 and XFS mounted with dax=always, the devdax node, cloud-init done
#                with its schema accepted; a warm reboot keeps every byte
#   numa      12 two NUMA nodes (8 GiB, run-guest.sh --numa 5,3), numa.yaml (spread, max_ranges 2,
#                numa_node: each for a devdax namespace on both nodes, a filesystem pinned to
#                each): the first boot plans one carve-out per node and reboots by itself; the
#                second has two regions, on nodes 0 and 1, each with its devdax namespace,
#                filesystem and DAX mount; a cold boot (new QEMU process) recreates them all
#   systemd-boot
#             13 the UEFI disk booted by systemd-boot (build-image.sh --systemd-boot: no GRUB,
#                /etc/kernel/cmdline, kernel-install's entry on the ESP), baked.yaml: the first
#                boot adds the arguments to /etc/kernel/cmdline, regenerates the entry with
#                kernel-install add and reboots by itself; the second has everything in place,
#                then revert takes the arguments out of both again and the kill switch file
#                keeps the agent away; the boot after runs without memmap=
#   boot-cost 14 baked.yaml provisioned, then six warm reboots of the converged disk alternating the
#                agent's early unit and a hand-written shell recipe (tests/vm/baseline/) doing the
#                same every-boot work; boot-cost-figures.sh prints each boot's wall, CPU, peak
#                memory, programs run and critical-chain line, the medians and the ratio (opt-in)
#   uefi      10 scenario 1 on the UEFI image (build-image.sh --uefi: GPT, ESP, grub-efi-amd64;
#                run-guest.sh --uefi: OVMF): first boot plans, writes the drop-in, reboots by
#                itself; second boot has everything in place; a warm reboot keeps the data.
#                The image has memtest86+ and os-prober switched on, and a second disk holds
#                another Linux: grub.cfg gets entries for both, without the agent's arguments.
#                Prints what the console and dmesg say about KASLR with memmap= present
#   fault-*   15 fault injection (opt-in; --only faults names them all): one guest per row of the
#                table, baked.yaml, with ramdax-fault (tests/vm/faults/) standing in for one tool
#                the agent runs and stopping the machine hard once, at that step of the first boot
#                (update-grub) or of the provisioning boot (ndctl create-namespace, mkfs, the
#                mount): a reset (sysrq b: the machine restarts at once and keeps its RAM, as
#                QEMU's system_reset) or a power-off (sysrq o: QEMU ends; a new process is a cold
#                boot). The next boots must converge as if nothing had happened: the layout in
#                place, one memmap= argument, at most one reboot by the agent in all, every
#                filesystem that was whole kept, one cut short made again. Prints the fault table
# --demo runs scenario 1 only (and 2, in the same QEMU process) and tells each boot's story.
# The Debian 12 and UEFI guests need their own base images (about 3-4 minutes each to build, cached
# like the default one); RAMDAX_E2E_SKIP=bookworm,uefi leaves scenarios out of the whole run, and
# RAMDAX_E2E_ALL=1 adds the opt-in ones (OPT_IN below).
#
# At the end it prints reboot figures (reboot-figures.sh, from the host-timestamped consoles
# run-guest.sh writes): scenario 1's normal reboot (systemctl reboot: shutdown, firmware + GRUB,
# kernel to "Finished ramdax-provision.service") and scenario 8's kexec, when those ran. They are
# figures, not timing assertions; only a console that lacks a marker counts as a failure.
# Work files go to $RAMDAX_E2E_WORK (default /var/tmp/ramdax-e2e), which is emptied first.
# Needs root (loop devices, chroot).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
DEB=""
ONLY=""
DEMO=0
LANES=${RAMDAX_E2E_LANES:-2}
while (($#)); do
    case $1 in
        --deb) DEB=$(realpath "$2"); shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --lanes) LANES=$2; shift 2 ;;
        --demo) DEMO=1; ONLY=baked; shift ;;
        *) echo "e2e.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

WORK=${RAMDAX_E2E_WORK:-/var/tmp/ramdax-e2e}
rm -rf "$WORK"
mkdir -p "$WORK"
passed=0
failed=0
declare -a timings=()
declare -a FIGURES=()   # label|reboot or kexec|timestamped console|guest journal of the boot that rebooted
started_all=$SECONDS

phase() { # phase NAME: starts timing a part
    PHASE_NAME=$1
    PHASE_START=$SECONDS
    echo
    echo "=== $1"
}
phase_end() { timings+=("$(printf '%-58s %5ss' "$PHASE_NAME" $((SECONDS - PHASE_START)))"); }

# Counts the guest's PASS/FAIL lines of every boot under a results copy; prints them.
tally() {
    local out=$1 f line
    for f in $(ls -d "$out"/boot-* 2>/dev/null | sort -V); do
        [ -f "$f/checks.txt" ] || continue
        echo "  $(basename "$f"):"
        while IFS= read -r line; do
            echo "    $line"
            case $line in
                PASS*) passed=$((passed + 1)) ;;
                FAIL*) failed=$((failed + 1)) ;;
            esac
        done <"$f/checks.txt"
    done
}

host_check() { # host_check WHAT COMMAND...: a check made on the host
    if "${@:2}"; then echo "    PASS $1"; passed=$((passed + 1)); else echo "    FAIL $1"; failed=$((failed + 1)); fi
}

# On failure: the end of the console and of the agent's journal, so a failing run explains itself.
explain() {
    local name=$1 out=$2
    echo "--- $name: last 40 lines of the serial console"
    tail -n 40 "$WORK/$name/serial.log" 2>/dev/null || true
    local j
    for j in $(ls "$out"/boot-*/agent-journal.txt 2>/dev/null | sort -V); do
        echo "--- $name: last 30 lines of $j"
        tail -n 30 "$j"
    done
}


# console_story LOG: while a guest runs, what its serial console says as it says it, for people (the
# demo): every kernel start, the agent's lines (its units write to the console as well as the
# journal), each reboot, the hook's checks; each with the seconds since the story began.
console_story() {
    local start=$SECONDS line
    tail -n +1 -F "$1" 2>/dev/null |
        grep --line-buffered -aE '\] Linux version [0-9]|ramdax-provision\[[0-9]+\]: |reboot: Restarting system|ramdax-e2e-hook\[[0-9]+\]: (PASS|FAIL)' |
        while IFS= read -r line; do
            line=${line//$'\r'/}
            # journald's console lines highlight notices and warnings with ANSI colours.
            line=$(sed -E -e 's/\x1b\[[0-9;]*m//g' -e 's/^\[ *[0-9.]+\] //' -e 's/^(Linux version [^ ]+) .*/----- the kernel starts: \1/' \
                -e 's/^reboot: Restarting system/----- the guest reboots/' -e 's/^([a-z0-9-]+)\[[0-9]+\]: /\1: /' <<<"$line")
            printf '  [%4ss] %s\n' $((SECONDS - start)) "$line"
        done
}

summary() { # summary OUT BOOT: where a hooked boot ended, for people (the demo)
    local dir=$1/boot-$2
    [ -d "$dir" ] || return 0
    echo "--- kernel command line: $(cat "$dir/proc-cmdline.txt" 2>/dev/null)"
    echo "--- DAX mounts:"
    sed -E 's/^[0-9]+ [0-9]+ [0-9:]+ [^ ]+ ([^ ]+) .* - ([^ ]+) ([^ ]+) (.*)$/    \1  \2  \3  \4/' "$dir/mountinfo-dax.txt" 2>/dev/null || true
    echo "--- ramdax-provision status:"
    sed 's/^/    /' "$dir/status.txt" 2>/dev/null || true
}

phase "build the package"
if [ -z "$DEB" ]; then
    "$TOP/packaging/deb/build.sh" --out "$WORK/deb" >"$WORK/deb-build.log" 2>&1 || { tail -40 "$WORK/deb-build.log"; exit 1; }
    DEB=$(ls "$WORK"/deb/ramdax-provision_*_amd64.deb)
fi
echo "$DEB"
phase_end

# ------------------------------------------------------------------ lanes
# Longest first, so the lanes end close together.
ALL_SCENARIOS=(baked kexec uefi systemd-boot numa boot-cost bookworm cloud-init refusal)
# The fault table: one guest per row, NAME -> the ramdax-fault.conf line that arms it
# (TOOL SUBCOMMAND WHEN KIND DELAY; see tests/vm/faults/ramdax-fault).
FAULT_CASES=(fault-grub-reset fault-grub-off fault-grub-done-reset fault-ndctl-reset fault-ndctl-off
    fault-mkfs-xfs-reset fault-mkfs-ext4-reset fault-mount-reset)
declare -A FAULTS=(
    [fault-grub-reset]="update-grub - during reset 1.5"
    [fault-grub-off]="update-grub - during off 1.5"
    [fault-grub-done-reset]="update-grub - after reset 0"
    [fault-ndctl-reset]="ndctl create-namespace after reset 0"
    [fault-ndctl-off]="ndctl create-namespace during off 0.3"
    [fault-mkfs-xfs-reset]="mkfs.xfs - during reset 0.5"
    [fault-mkfs-ext4-reset]="mkfs.ext4 - during reset 0.3"
    [fault-mount-reset]="systemd-mount - during reset 0.2"
)
ALL_SCENARIOS+=("${FAULT_CASES[@]}")
ONLY=${ONLY//faults/$(IFS=,; echo "${FAULT_CASES[*]}")}
declare -a SCENARIOS=()
for name in ${ONLY//,/ }; do
    [[ " ${ALL_SCENARIOS[*]} " == *" $name "* ]] || { echo "e2e.sh: unknown scenario $name (one of: ${ALL_SCENARIOS[*]})" >&2; exit 2; }
done
# Run only when named (--only) or with RAMDAX_E2E_ALL=1: scenarios not yet in the test command's
# time budget.
OPT_IN=(boot-cost "${FAULT_CASES[@]}")
for name in "${ALL_SCENARIOS[@]}"; do
    if [ -n "$ONLY" ]; then
        [[ ",$ONLY," == *",$name,"* ]] || continue
    else
        [[ ",${RAMDAX_E2E_SKIP:-}," == *",$name,"* ]] && continue
        [[ " ${OPT_IN[*]} " == *" $name "* && ${RAMDAX_E2E_ALL:-0} != 1 ]] && continue
    fi
    SCENARIOS+=("$name")
done
[ ${#SCENARIOS[@]} -gt 0 ] || { echo "e2e.sh: no scenario to run" >&2; exit 2; }
[[ $LANES =~ ^[1-9]$ ]] || { echo "e2e.sh: --lanes takes 1 to 9, not $LANES" >&2; exit 2; }

# run_scenario NAME: runs scenario_NAME in a subshell with its own counts, part times and figures,
# which it leaves in $WORK/NAME.counts, .timings and .figures; its output goes to $WORK/NAME.log.
# A scenario that stops half-way (an image that cannot be built) leaves no counts: one failure.
# The subshell runs in the background and is waited for, so set -e still holds inside it (it would
# not in "( ... ) || true").
run_scenario() {
    local name=$1
    rm -f "$WORK/$name.counts"
    (
        passed=0 failed=0 timings=() FIGURES=()
        if [[ $name == fault-* ]]; then fault_case "$name"; else "scenario_${name//-/_}"; fi
        echo "$passed $failed" >"$WORK/$name.counts"
        printf '%s\n' "${timings[@]}" >"$WORK/$name.timings"
        [ ${#FIGURES[@]} -eq 0 ] || printf '%s\n' "${FIGURES[@]}" >"$WORK/$name.figures"
    ) >"$WORK/$name.log" 2>&1 &
    wait $! || true
}

next_scenario() { # prints the next scenario of the queue and takes it off, under a lock
    local first
    exec 7>"$WORK/queue.lock"
    flock 7
    first=$(head -n1 "$WORK/queue")
    [ -z "$first" ] || sed -i 1d "$WORK/queue"
    exec 7>&-
    [ -n "$first" ] && echo "$first"
}

lane() { # lane N: runs scenarios from the queue until it is empty
    local name start
    while name=$(next_scenario); do
        start=$SECONDS
        echo "  lane $1, $(date +%T): $name starts"
        run_scenario "$name"
        echo "  lane $1, $(date +%T): $name ended after $((SECONDS - start))s: $(awk '{print $1" passed, "$2" failed"}' "$WORK/$name.counts" 2>/dev/null || echo 'stopped half-way')"
    done
}

needs_default_image=0
for name in "${SCENARIOS[@]}"; do
    case $name in baked | cloud-init | refusal | kexec | numa | boot-cost | fault-*) needs_default_image=1 ;; esac
done

base_image() { # base_image WHAT LOG [build-image args...]: build (or reuse) a base image, as a part
    phase "build (or reuse) the $1"
    "$HERE/build-image.sh" "${@:3}" >"$WORK/$2" 2>&1 || { tail -40 "$WORK/$2"; return 1; }
    tail -1 "$WORK/$2"
    phase_end
}

if [ $needs_default_image -eq 1 ]; then
    base_image "guest image" image-build.log || exit 1
fi

# The carve-outs the baked 40% configuration must get (worked out by hand from the QEMU maps:
# System RAM 6441913344 B at 6G and 8589396992 B at 8G; 40% asks for more than the three fixed-size
# namespaces need, 1792M and the label area, so 2G is carved, at the top of the range above 4 GiB).
printf 'memmap=2G!5G\n' >"$WORK/expected-memmap-6G"
printf 'memmap=2G!7G\n' >"$WORK/expected-memmap-8G"
# Two NUMA nodes of 5 and 3 GiB (scenario 12): one 2G carve-out at the top of each node's part of
# the range above 4 GiB (node 0: 4G-6G, node 1: 6G-9G).
printf 'memmap=2G!4G,2G!7G\n' >"$WORK/expected-memmap-numa"
# Under OVMF the firmware map of the same 6 GiB machine differs (see scenario 10).
printf 'memmap=2G!5G\n' >"$WORK/expected-memmap-uefi-6G"

seed() { # seed NAME INSTANCE-ID
    printf 'instance-id: %s\nlocal-hostname: ramdax-e2e\n' "$2" >"$WORK/$1/meta-data"
}

boot() { # boot NAME MEM HOOK [extra run-guest args...]
    local name=$1 mem=$2 hook=$3
    shift 3
    local rc=0
    "$HERE/run-guest.sh" --image "$WORK/$name/disk.raw" --results "$WORK/$name/results.img" \
        --hook "$HERE/scenarios/$hook" --put "$HERE/scenarios/lib.sh" \
        --put "$WORK/expected-memmap-6G" --put "$WORK/expected-memmap-8G" \
        --mem "$mem" --timeout 2700 --serial-log "$WORK/$name/serial.log" \
        --results-out "$WORK/$name/out" "$@" || rc=$?
    [ $rc -eq 0 ] || echo "    (QEMU run ended with status $rc)"
    return 0
}

disk() { # disk NAME [build-image args...]
    mkdir -p "$WORK/$1"
    local name=$1
    shift
    "$HERE/build-image.sh" --out "$WORK/$name/disk.raw" --deb "$DEB" "$@" >"$WORK/$name/disk.log" 2>&1 || { tail -30 "$WORK/$name/disk.log"; return 1; }
}

scenario_baked() { # scenarios 1-3, 7 and 6 on one disk (three QEMU processes)
    phase "scenarios 1-2: first boot, agent's reboot, second boot, warm reboot (one QEMU process)"
    disk baked --file "$HERE/scenarios/baked.yaml:/etc/ramdax-provision/config.yaml"
    seed baked iid-e2e-0001
    if [ $DEMO -eq 1 ]; then
        echo
        echo "##### Three boots in one QEMU process, as the serial console shows them: the first boot plans,"
        echo "##### writes the GRUB drop-in and reboots; the second binds ramdax, creates, formats, mounts;"
        echo "##### a warm reboot (RAM kept) reuses everything"
        boot baked 6G baked-hook.sh --meta-data "$WORK/baked/meta-data" &
        local guest=$!
        console_story "$WORK/baked/serial.log" &
        local teller=$!
        wait $guest
        sleep 2
        pkill -P $teller 2>/dev/null || true
        kill $teller 2>/dev/null || true
        wait $teller 2>/dev/null || true
    else
        boot baked 6G baked-hook.sh --meta-data "$WORK/baked/meta-data"
    fi
    # The later runs reuse serial.log; keep this run's console for the normal-reboot figures.
    cp "$WORK/baked/serial.log" "$WORK/baked/serial-run1.log"
    cp "$WORK/baked/serial.log.ts" "$WORK/baked/serial-run1.log.ts" 2>/dev/null || true
    FIGURES+=("normal reboot (scenario 1: systemctl reboot)|reboot|$WORK/baked/serial-run1.log.ts|$WORK/baked/out/boot-1/journal-previous-boot.txt")
    host_check "the serial console shows the agent's own lines (its units write to the console too)" \
        grep -aqE 'ramdax-provision\[[0-9]+\]: ' "$WORK/baked/serial-run1.log"
    if [ $DEMO -eq 1 ]; then
        echo
        echo "##### Where the second boot ended"
        summary "$WORK/baked/out" 1
        echo
        echo "##### Where the warm reboot ended"
        summary "$WORK/baked/out" 2
    fi
    phase_end
    if [ $DEMO -eq 0 ]; then
        phase "scenario 3: cold boot (a new QEMU process), then clean the image"
        boot baked 6G baked-hook.sh --meta-data "$WORK/baked/meta-data"
        phase_end
        phase "scenarios 7 and 6: new instance with 8 GiB, then purge and reboot"
        seed baked iid-e2e-0002
        boot baked 8G baked-hook.sh --meta-data "$WORK/baked/meta-data"
        phase_end
        host_check "the baked disk reached all five hooked boots" test -f "$WORK/baked/out/boot-5/checks.txt"
    fi
    tally "$WORK/baked/out"
    [ "$failed" -eq 0 ] || explain baked "$WORK/baked/out"
    if [ $DEMO -eq 0 ]; then
        echo
        echo "  Boot figures (systemd in the guest; the agent units' wall time, its share of userspace, and CPU time):"
        host_check "boot figures were recorded for every hooked boot" "$HERE/boot-figures.sh" "$WORK/baked/out" \
            "1 provisioning (mkfs, mounts)" "2 converged warm reboot" "3 cold boot (recreated)" "7 new instance, 8 GiB" "6 after purge"
    fi
}

scenario_cloud_init() { # scenario 4
    phase "scenario 4: configuration only from NoCloud user-data"
    disk cloud-init --file "$HERE/scenarios/cloud-init-image.yaml:/etc/ramdax-provision/config.yaml"
    seed cloud-init iid-e2e-ci-0001
    boot cloud-init 6G cloud-init-hook.sh --meta-data "$WORK/cloud-init/meta-data" --user-data "$HERE/scenarios/user-data-ramdax"
    tally "$WORK/cloud-init/out"
    host_check "the cloud-init disk reached its hooked boot" test -f "$WORK/cloud-init/out/boot-1/checks.txt"
    [ "$failed" -eq 0 ] || explain cloud-init "$WORK/cloud-init/out"
    phase_end
}

scenario_refusal() { # scenario 5
    phase "scenario 5: a request larger than the machine"
    disk refusal --file "$HERE/scenarios/refusal.yaml:/etc/ramdax-provision/config.yaml"
    seed refusal iid-e2e-refusal
    boot refusal 6G refusal-hook.sh --meta-data "$WORK/refusal/meta-data"
    tally "$WORK/refusal/out"
    host_check "the refused guest's console shows one kernel boot" test "$(grep -c 'Linux version' "$WORK/refusal/serial.log")" -eq 1
    [ "$failed" -eq 0 ] || explain refusal "$WORK/refusal/out"
    phase_end
}

scenario_kexec() { # scenarios 8-9
    phase "scenarios 8-9: the agent kexecs into its arguments; an operator's kexec and a reboot keep the data (one QEMU process)"
    disk kexec --file "$HERE/scenarios/kexec.yaml:/etc/ramdax-provision/config.yaml"
    seed kexec iid-e2e-kexec
    boot kexec 6G kexec-hook.sh --meta-data "$WORK/kexec/meta-data"
    tally "$WORK/kexec/out"
    host_check "the kexec disk reached all three hooked boots" test -f "$WORK/kexec/out/boot-3/checks.txt"
    host_check "the console shows two kexecs (the agent's, the operator's: kexec_core: Starting new kernel)" \
        test "$(grep -c 'kexec_core: Starting new kernel' "$WORK/kexec/serial.log")" -eq 2
    host_check "the console shows one firmware reset (the operator's reboot), after both kexecs" \
        sh -c "[ \"\$(grep -c 'reboot: Restarting system' '$WORK/kexec/serial.log')\" -eq 1 ] && grep -E 'kexec_core: Starting new kernel|reboot: Restarting system' '$WORK/kexec/serial.log' | tail -n1 | grep -q 'reboot: Restarting system'"
    host_check "the console shows exactly four kernel boots in the one QEMU process" \
        test "$(grep -c '] Linux version [0-9]' "$WORK/kexec/serial.log")" -eq 4
    FIGURES+=("kexec (scenario 8: kexec -l, systemctl kexec)|kexec|$WORK/kexec/serial.log.ts|$WORK/kexec/out/boot-1/journal-previous-boot.txt")
    [ "$failed" -eq 0 ] || explain kexec "$WORK/kexec/out"
    phase_end
}

scenario_bookworm() { # scenario 11 (its own base image)
    base_image "Debian 12 guest image (kernel 6.1, nd_e820, cloud-init 22.4)" image-build-bookworm.log --suite bookworm
    phase "scenario 11: Debian 12, nd_e820: first boot, agent's reboot, second boot, warm reboot (one QEMU process)"
    disk bookworm --suite bookworm --file "$HERE/scenarios/cloud-init-image.yaml:/etc/ramdax-provision/config.yaml"
    seed bookworm iid-e2e-bookworm
    boot bookworm 8G bookworm-hook.sh --meta-data "$WORK/bookworm/meta-data" --user-data "$HERE/scenarios/user-data-bookworm"
    tally "$WORK/bookworm/out"
    host_check "the Debian 12 disk reached both hooked boots" test -f "$WORK/bookworm/out/boot-2/checks.txt"
    host_check "the console shows exactly three kernel boots in the one QEMU process" \
        test "$(grep -c '] Linux version [0-9]' "$WORK/bookworm/serial.log")" -eq 3
    [ "$failed" -eq 0 ] || explain bookworm "$WORK/bookworm/out"
    phase_end
}

scenario_numa() { # scenario 12 (two NUMA nodes; two QEMU processes)
    phase "scenario 12: two NUMA nodes: first boot, agent's reboot, second boot; then a cold boot"
    disk numa --file "$HERE/scenarios/numa.yaml:/etc/ramdax-provision/config.yaml"
    seed numa iid-e2e-numa
    boot numa 8G numa-hook.sh --meta-data "$WORK/numa/meta-data" --numa 5,3 --put "$WORK/expected-memmap-numa"
    host_check "the first NUMA QEMU process shows two kernel boots (the agent rebooted once)" \
        test "$(grep -c '] Linux version [0-9]' "$WORK/numa/serial.log")" -eq 2
    boot numa 8G numa-hook.sh --meta-data "$WORK/numa/meta-data" --numa 5,3 --put "$WORK/expected-memmap-numa"
    host_check "the cold boot shows one kernel boot (no reboot by the agent)" \
        test "$(grep -c '] Linux version [0-9]' "$WORK/numa/serial.log")" -eq 1
    tally "$WORK/numa/out"
    host_check "the NUMA disk reached both hooked boots" test -f "$WORK/numa/out/boot-2/checks.txt"
    [ "$failed" -eq 0 ] || explain numa "$WORK/numa/out"
    phase_end
}

scenario_systemd_boot() { # scenario 13 (its own base image)
    base_image "systemd-boot guest image (GPT, ESP, systemd-boot, kernel-install)" image-build-systemd-boot.log --systemd-boot
    phase "scenario 13: systemd-boot + kernel-install: first boot, agent's reboot, second boot, revert, reboot (one QEMU process)"
    disk systemd-boot --systemd-boot --file "$HERE/scenarios/baked.yaml:/etc/ramdax-provision/config.yaml"
    seed systemd-boot iid-e2e-systemd-boot
    boot systemd-boot 6G systemd-boot-hook.sh --meta-data "$WORK/systemd-boot/meta-data" --uefi --put "$WORK/expected-memmap-uefi-6G"
    tally "$WORK/systemd-boot/out"
    host_check "the systemd-boot disk reached both hooked boots" test -f "$WORK/systemd-boot/out/boot-2/checks.txt"
    host_check "the console shows exactly three kernel boots in the one QEMU process" \
        test "$(grep -c '] Linux version [0-9]' "$WORK/systemd-boot/serial.log")" -eq 3
    [ "$failed" -eq 0 ] || explain systemd-boot "$WORK/systemd-boot/out"
    phase_end
}

scenario_boot_cost() { # scenario 14 (eight boots in one QEMU process)
    phase "scenario 14: boot cost: the agent's early unit against the hand-written baseline, alternating on one converged disk"
    disk boot-cost --file "$HERE/scenarios/baked.yaml:/etc/ramdax-provision/config.yaml"
    seed boot-cost iid-e2e-boot-cost
    boot boot-cost 6G boot-cost-hook.sh --meta-data "$WORK/boot-cost/meta-data" \
        --put "$HERE/baseline/ramdax-baseline" --put "$HERE/baseline/ramdax-baseline.service"
    tally "$WORK/boot-cost/out"
    host_check "the boot-cost disk reached all seven hooked boots" test -f "$WORK/boot-cost/out/boot-7/checks.txt"
    echo
    host_check "boot-cost figures were recorded for three boots of each" "$HERE/boot-cost-figures.sh" "$WORK/boot-cost/out"
    [ "$failed" -eq 0 ] || explain boot-cost "$WORK/boot-cost/out"
    phase_end
}

fault_case() { # fault_case NAME: one row of the fault table (FAULTS above)
    local name=$1 conf=${FAULTS[$1]} tool dir runs=0 kernels=0 restarts=0 log
    tool=${conf%% *}
    phase "$name: ramdax-fault stops the machine hard once ($conf)"
    mkdir -p "$WORK/$name"
    echo "$conf" >"$WORK/$name/ramdax-fault.conf"
    case $tool in update-grub | mkfs.*) dir=/usr/sbin ;; *) dir=/usr/bin ;; esac
    disk "$name" --file "$HERE/scenarios/baked.yaml:/etc/ramdax-provision/config.yaml" \
        --file "$WORK/$name/ramdax-fault.conf:/etc/ramdax-fault.conf" --wrap "$dir/$tool:$HERE/faults/ramdax-fault"
    seed "$name" "iid-e2e-$name"
    # A power-off ends the QEMU process; the next one is a cold boot of the same disks.
    while ((runs < 3)) && [ ! -f "$WORK/$name/out/boot-1/checks.txt" ]; do
        runs=$((runs + 1))
        boot "$name" 6G fault-hook.sh --meta-data "$WORK/$name/meta-data"
        log=$WORK/$name/serial-run$runs.log
        cp "$WORK/$name/serial.log" "$log"
        kernels=$((kernels + $(grep -ac '] Linux version [0-9]' "$log" || true)))
        # kernel_restart() prints this for every orderly reboot (the agent's); a sysrq reset does not.
        restarts=$((restarts + $(grep -ac 'reboot: Restarting system' "$log" || true)))
    done
    tally "$WORK/$name/out"
    host_check "the guest reached its hooked boot after the fault" test -f "$WORK/$name/out/boot-1/checks.txt"
    host_check "a console shows ramdax-fault stopping the machine" grep -aq 'ramdax-fault: stopping the machine' "$WORK/$name"/serial-run*.log
    host_check "the agent rebooted the machine at most once in all ($restarts orderly restarts on the consoles)" test "$restarts" -le 1
    local row=$WORK/$name/out/boot-1/fault-row.txt
    field() { sed -n "s/^$1=//p" "$row" 2>/dev/null; }
    printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$name" "$(field step)" "$(field when)" "$(field kind)" "$(field running)" \
        "$runs" "$kernels" "$restarts" "$(field kept)" "$(field remade)" "$passed passed, $failed failed" >"$WORK/$name.fault"
    [ "$failed" -eq 0 ] || explain "$name" "$WORK/$name/out"
    phase_end
}

# other_linux_disk PATH: a 64 MiB disk with one partition holding another system, as a dual-boot
# host has one: what os-prober looks for (a dynamic loader, /etc/os-release) and what
# linux-boot-prober turns into a GRUB entry (a kernel and its initrd in /boot, which only have to
# exist: the entry is generated, never booted). Made with mkfs.ext4 -d, without mounting anything.
other_linux_disk() {
    local out=$1 tree
    tree=$(mktemp -d)
    mkdir -p "$tree/etc" "$tree/boot" "$tree/lib64"
    printf 'NAME="Otherix"\nPRETTY_NAME="Otherix Linux 1.0"\nID=otherix\n' >"$tree/etc/os-release"
    echo "not a loader" >"$tree/lib64/ld-linux-x86-64.so.2"
    echo "not a kernel" >"$tree/boot/vmlinuz-6.1.0-otherix"
    echo "not an initrd" >"$tree/boot/initrd.img-6.1.0-otherix"
    truncate -s 64M "$out"
    printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q "$out"
    truncate -s 62M "$out.part"
    mkfs.ext4 -q -L otherix -d "$tree" "$out.part"
    dd if="$out.part" of="$out" bs=1M seek=1 conv=notrunc,sparse status=none
    rm -rf "$tree" "$out.part"
}

scenario_uefi() { # scenario 10 (its own base image)
    base_image "UEFI guest image (GPT, ESP, grub-efi-amd64)" image-build-uefi.log --uefi
    phase "scenario 10: UEFI (OVMF, GRUB): first boot, agent's reboot, second boot, warm reboot (one QEMU process)"
    disk uefi --uefi --file "$HERE/scenarios/baked.yaml:/etc/ramdax-provision/config.yaml"
    other_linux_disk "$WORK/uefi/otherix.raw"
    seed uefi iid-e2e-uefi
    boot uefi 6G uefi-hook.sh --meta-data "$WORK/uefi/meta-data" --uefi --put "$WORK/expected-memmap-uefi-6G" \
        --disk "$WORK/uefi/otherix.raw"
    tally "$WORK/uefi/out"
    host_check "the UEFI disk reached both hooked boots" test -f "$WORK/uefi/out/boot-2/checks.txt"
    host_check "the console shows exactly three kernel boots in the one QEMU process" \
        test "$(grep -c '] Linux version [0-9]' "$WORK/uefi/serial.log")" -eq 3
    host_check "the console shows two firmware resets (the agent's reboot, the warm reboot)" \
        test "$(grep -c 'reboot: Restarting system' "$WORK/uefi/serial.log")" -eq 2
    echo "  What the console says about KASLR (the EFI stub prints before the kernel starts):"
    kaslr=$(grep -a -i 'kaslr' "$WORK/uefi/serial.log" | tr -d '\r' || true)
    echo "${kaslr:-(nothing)}" | sed 's/^/    /'
    FIGURES+=("UEFI reboot (scenario 10: systemctl reboot, OVMF, GRUB)|reboot|$WORK/uefi/serial.log.ts|$WORK/uefi/out/boot-1/journal-previous-boot.txt")
    [ "$failed" -eq 0 ] || explain uefi "$WORK/uefi/out"
    phase_end
}

if [ ${#SCENARIOS[@]} -eq 1 ] || [ "$LANES" -eq 1 ] || [ $DEMO -eq 1 ]; then
    # One at a time, each scenario's output as it happens.
    for name in "${SCENARIOS[@]}"; do
        run_scenario "$name" &
        # tail ends with status 1 when it had to wait for the log to appear; the scenario's own
        # counts say whether it passed.
        tail -n +1 -F --pid=$! "$WORK/$name.log" 2>/dev/null || true
        wait
    done
else
    phase "${#SCENARIOS[@]} scenarios in $LANES lanes, longest first: ${SCENARIOS[*]}"
    printf '%s\n' "${SCENARIOS[@]}" >"$WORK/queue"
    for ((n = 1; n <= LANES; n++)); do lane "$n" & done
    wait
    phase_end
    for name in "${SCENARIOS[@]}"; do
        echo
        echo "##### $name (from $WORK/$name.log)"
        cat "$WORK/$name.log"
    done
fi

for name in "${SCENARIOS[@]}"; do
    if [ -f "$WORK/$name.counts" ]; then
        read -r p f <"$WORK/$name.counts"
        passed=$((passed + p))
        failed=$((failed + f))
        while IFS= read -r line; do [ -z "$line" ] || timings+=("$line"); done <"$WORK/$name.timings"
        [ ! -f "$WORK/$name.figures" ] || while IFS= read -r line; do FIGURES+=("$line"); done <"$WORK/$name.figures"
    else
        host_check "scenario $name ran to its end (see $WORK/$name.log)" false
    fi
done

if [ ${#FIGURES[@]} -gt 0 ]; then
    echo
    echo "Reboot figures (host clock, from the timestamped serial consoles; figures, not pass/fail;"
    echo "other jobs on the machine stretch them: load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
    for fig in "${FIGURES[@]}"; do
        IFS='|' read -r label how ts journal <<<"$fig"
        host_check "the console and journal hold every marker for the $how figures" \
            "$HERE/reboot-figures.sh" --expect "$how" --label "$label" --journal "$journal" "$ts"
    done
fi

if compgen -G "$WORK/*.fault" >/dev/null; then
    echo
    echo "Fault table: each row one guest stopped hard once at one step (stopped: reset keeps the RAM,"
    echo "off loses it), then booted on until the hook ran. running: the tool was still at work when"
    echo "the machine stopped. kept: filesystems whole before the stop found unchanged after it."
    printf '  %-22s %-26s %-7s %-6s %-8s %-5s %-8s %-14s %-5s %-26s %s\n' case step when stopped running QEMU kernels "agent reboots" kept "cut-short mkfs" checks
    for name in "${SCENARIOS[@]}"; do
        [ -f "$WORK/$name.fault" ] || continue
        IFS='|' read -r c step when kind running runs kernels restarts kept remade checks <"$WORK/$name.fault"
        printf '  %-22s %-26s %-7s %-6s %-8s %-5s %-8s %-14s %-5s %-26s %s\n' "$c" "$step" "$when" "$kind" "$running" "$runs" "$kernels" "$restarts" "$kept" "$remade" "$checks"
    done
fi

echo
echo "Parts:"
printf '  %s\n' "${timings[@]}"
echo "  total $((SECONDS - started_all))s"
echo
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
