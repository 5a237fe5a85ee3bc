# shellcheck shell=bash
# Scenarios 8 and 9 on a disk with scenarios/kexec.yaml baked in (the baked configuration plus
# reboot: kexec), in one QEMU process.
#   8  The first boot plans, writes the GRUB drop-in and kexecs into the new kernel arguments by
#      itself (the hook does not run in that boot); hooked boot 1 is the kernel kexec started.
#   9  A kexec kernel update as an operator does it, with data on every DAX namespace: hooked
#      boot 1 writes a file to every fsdax mount and a 4 MiB pattern to the devdax device, runs
#      `kexec -l` of the installed kernel with its initrd and --reuse-cmdline, and leaves
#      `systemctl kexec` to a transient unit that waits until the hook runner has saved the
#      results. Hooked boot 2 (the kexec'd kernel) checks that the namespaces were reused, not
#      recreated, that every byte reads back and that no mkfs ran, then reboots normally
#      (firmware and GRUB, RAM kept); hooked boot 3 checks the data again and powers off.
# The host checks the console (two kexecs, one firmware reset, four kernel boots) and e2e.sh
# times the agent's kexec against scenario 1's normal reboot.
set -uo pipefail
source "$E2E_RESULTS/lib.sh"
record_facts
memmap_6g=$(cat "$E2E_RESULTS/expected-memmap-6G")
prev=$E2E_OUT/agent-journal-previous-boot.txt
prev_all=$E2E_OUT/journal-previous-boot.txt
data=$E2E_RESULTS/kexec-data

# RebootStep logs "asking systemd to kexec", runs systemctl kexec --no-block, then logs
# "systemctl kexec requested" (with "the shutdown stopped this run as it began" when the shutdown
# stopped it before systemctl returned). An agent stopped some other way says "stopped by a
# signal"; with kexec.target reached, that too was the request. checks.txt gets a NOTE of which.
agent_requested_kexec() {
    grep -q "rebooting: systemctl kexec requested for $memmap_6g" "$prev" && return 0
    grep -q "stopped by a signal before it finished" "$prev" &&
        grep -q "Reached target kexec.target" "$prev_all"
}

case $E2E_BOOT in
1)  # Scenario 8: the kernel the agent's kexec started.
    check "the previous boot reached kexec.target (systemd journal of that boot)" \
        grep -q "Reached target kexec.target" "$prev_all"
    check "the previous boot's agent asked for it (systemctl kexec requested, or stopped by that shutdown right after)" \
        agent_requested_kexec
    if grep -q "rebooting: systemctl kexec requested" "$prev"; then
        echo "NOTE the agent logged 'systemctl kexec requested' and exited" >>"$CHECKS"
    else
        echo "NOTE the shutdown stopped the agent before it logged 'requested' (it said: stopped by a signal)" >>"$CHECKS"
    fi
    check "the agent's run that asked for the kexec ended without an unhandled exception" \
        sh -c "! grep -q 'Unhandled exception' '$prev'"
    check "the previous boot's agent did not fall back to a normal reboot" \
        sh -c "! grep -Eq 'rebooting normally|systemctl reboot requested' '$prev'"
    # The agent hands kexec the running command line without GRUB's BOOT_IMAGE=; GRUB always
    # puts it first. So its absence says this kernel came from the agent's kexec -l, not GRUB.
    check "this kernel was started by kexec (no BOOT_IMAGE= from GRUB on its command line)" \
        sh -c "! grep -q 'BOOT_IMAGE=' /proc/cmdline"
    check "the journal has exactly two boots (the agent's and this one)" test "$(journal_boots)" -eq 2
    check "/etc/default/grub.d/ramdax-provision.cfg carries $memmap_6g (for later normal boots)" \
        grep -q -- "$memmap_6g" /etc/default/grub.d/ramdax-provision.cfg
    check "grub.cfg boots with $memmap_6g" grep -q -- "$memmap_6g" /boot/grub/grub.cfg
    check_layout e2e "$memmap_6g"
    # Scenario 9 starts: data on every DAX namespace, then the operator's kexec.
    write_dax_data "$data"
    cp /proc/cmdline "$data/cmdline-before-kexec"
    kver=$(uname -r)
    check "kexec -l loads /boot/vmlinuz-$kver with its initrd and the running command line" \
        kexec -l "/boot/vmlinuz-$kver" --initrd="/boot/initrd.img-$kver" --reuse-cmdline
    check "the kernel reports a kexec image loaded (/sys/kernel/kexec_loaded)" grep -qx 1 /sys/kernel/kexec_loaded
    # systemctl kexec here would stop the hook runner before it saved the results; a transient
    # unit outside the runner's cgroup waits for the runner to end, then does what the operator
    # types next.
    check "systemctl kexec is queued for when the hook runner has finished" \
        systemd-run --no-block --unit=e2e-operator-kexec --description="e2e: the operator's systemctl kexec" \
        sh -c 'while systemctl is-active -q ramdax-e2e-hook.service; do sleep 0.5; done; exec systemctl kexec'
    echo none >"$E2E_ACTION_FILE" ;;
2)  # Scenario 9: the kernel the operator's kexec started.
    check "the previous boot reached kexec.target (the operator's systemctl kexec)" \
        grep -q "Reached target kexec.target" "$prev_all"
    check "this kernel was started by kexec (no BOOT_IMAGE=) with the same command line" \
        sh -c "! grep -q 'BOOT_IMAGE=' /proc/cmdline && cmp -s /proc/cmdline '$data/cmdline-before-kexec'"
    check "the journal has exactly three boots" test "$(journal_boots)" -eq 3
    check "the agent did not ask for a reboot or kexec on this boot" \
        sh -c "! grep -Eq 'asking systemd to (reboot|kexec)' '$E2E_OUT/agent-journal.txt'"
    check_layout e2e "$memmap_6g"
    check_kept "$data" "after the operator's kexec"
    report_system_state
    echo reboot >"$E2E_ACTION_FILE" ;;
3)  # Scenario 9: a normal reboot after the kexec (firmware and GRUB; QEMU keeps the RAM).
    check "this kernel was started by GRUB (BOOT_IMAGE= on its command line)" grep -q 'BOOT_IMAGE=' /proc/cmdline
    check "the journal has exactly four boots" test "$(journal_boots)" -eq 4
    check_layout e2e "$memmap_6g"
    check_kept "$data" "after the normal reboot that followed the kexec"
    report_system_state
    echo poweroff >"$E2E_ACTION_FILE" ;;
*)  echo "FAIL unexpected boot $E2E_BOOT" | tee -a "$CHECKS"
    echo poweroff >"$E2E_ACTION_FILE" ;;
esac
