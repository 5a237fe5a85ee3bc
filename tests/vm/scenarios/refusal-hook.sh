# Scenario 5: a request larger than the machine allows changes nothing and reboots nothing.
set -uo pipefail
source "$E2E_RESULTS/lib.sh"
record_facts
# --list-boots prints a header line, then one line per boot (each with its 32-digit boot id).
check "this is the first boot: the agent did not reboot" test "$E2E_BOOT:$(journalctl --list-boots --no-pager | grep -cE '[0-9a-f]{32}')" = 1:1
check "no GRUB drop-in was written" test ! -e /etc/default/grub.d/ramdax-provision.cfg
check "grub.cfg has no memmap=" sh -c "! grep -q 'memmap=' /boot/grub/grub.cfg"
check "the kernel runs without memmap=" sh -c "! grep -q 'memmap=' /proc/cmdline"
check "the instance unit failed" systemctl is-failed -q ramdax-provision-instance.service
check "status records the refusal as the last run" \
    python3 -c "import json,sys; r=json.load(open('$E2E_OUT/status.json'))['last_run']; sys.exit(0 if r and 'refused' in (r['message'] or '') and str(r['result']).lower()=='failed' else 1)"
check "the journal explains the refusal" grep -q "the plan is refused" "$E2E_OUT/agent-journal.txt"
check "the refusal is an event at priority err with its MESSAGE_ID (journalctl -p err)" \
    journal_event c9cbbf45a68e4c409aabf949675c88db -p err
echo poweroff >"$E2E_ACTION_FILE"
