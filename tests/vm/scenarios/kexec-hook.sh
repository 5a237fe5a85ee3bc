# shellcheck shell=bash
# The kexec scenario on a disk with scenarios/kexec.yaml baked in (the baked configuration plus
# reboot: kexec). The first boot plans, writes the GRUB drop-in and kexecs into the new kernel
# arguments by itself (the hook does not run in that boot); this hook runs once, in the kernel
# kexec started, checks it and powers off. The host checks the console (one kexec, two kernel
# boots in one QEMU process) and e2e.sh times the kexec against scenario 1's normal reboot.
set -uo pipefail
source "$E2E_RESULTS/lib.sh"
record_facts
memmap_6g=$(cat "$E2E_RESULTS/expected-memmap-6G")
prev=$E2E_OUT/agent-journal-previous-boot.txt
prev_all=$E2E_OUT/journal-previous-boot.txt

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
1)  check "the previous boot reached kexec.target (systemd journal of that boot)" \
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
    check "the journal has exactly two boots (the agent's and this one)" \
        test "$(journalctl --list-boots --no-pager | grep -cE '^ *-?[0-9]+ +[0-9a-f]{32} ')" -eq 2
    check "/etc/default/grub.d/ramdax-provision.cfg carries $memmap_6g (for later normal boots)" \
        grep -q -- "$memmap_6g" /etc/default/grub.d/ramdax-provision.cfg
    check "grub.cfg boots with $memmap_6g" grep -q -- "$memmap_6g" /boot/grub/grub.cfg
    check_layout e2e "$memmap_6g"
    echo poweroff >"$E2E_ACTION_FILE" ;;
*)  echo "FAIL unexpected boot $E2E_BOOT" | tee -a "$CHECKS"
    echo poweroff >"$E2E_ACTION_FILE" ;;
esac
