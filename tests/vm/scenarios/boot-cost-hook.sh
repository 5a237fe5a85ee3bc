# shellcheck shell=bash
# Scenario 14, boot cost: the trixie image with baked.yaml, in one QEMU process. The first boot
# plans and reboots by itself (no hook). Hooked boot 1 has everything in place; it writes the
# baseline's layout file from what the agent made (tests/vm/baseline/ramdax-baseline) and installs
# the baseline unit. Boots 2-7 then alternate the agent's early unit and the baseline on the same
# converged disk through warm reboots (RAM kept, so the filesystems are there): agent, baseline,
# agent, ... Every boot records both units' wall time, CPU time and peak memory, where each sits on
# sysinit.target's critical chain, and checks that the layout is mounted with dax=always;
# tests/vm/boot-cost-figures.sh prints the medians and the ratio.
set -uo pipefail
source "$E2E_RESULTS/lib.sh"
record_facts
memmap=$(grep -o 'memmap=[^ "]*' /etc/default/grub.d/ramdax-provision.cfg 2>/dev/null | head -n1)
last=7

record_cost() {
    echo "$1" >"$E2E_OUT/which"
    systemctl show -p Id -p InactiveExitTimestampMonotonic -p ActiveEnterTimestampMonotonic -p CPUUsageNSec -p MemoryPeak \
        ramdax-provision.service ramdax-baseline.service >"$E2E_OUT/unit-cost.txt" 2>&1 || true
    systemd-analyze critical-chain sysinit.target >"$E2E_OUT/critical-chain-sysinit.txt" 2>&1 || true
    journalctl -b --no-pager -o cat -u ramdax-baseline.service >"$E2E_OUT/baseline-journal.txt" 2>&1 || true
}

check_mounted() {
    while read -r kind dev target _; do
        [ "$kind" = fs ] || continue
        check "$dev is mounted on $target with dax=always" sh -c "grep ' $target ' /proc/self/mountinfo | grep -q dax=always"
    done </etc/ramdax-baseline.conf
}

# The next boot runs the agent (kill switch off, baseline unit disabled) or the baseline (the
# kill switch keeps both agent units away; its target is masked so that it pulls in no mount unit).
next_boot() {
    if [ "$1" = baseline ]; then
        touch /etc/ramdax-provision/disabled
        systemctl mask ramdax-provision.target
        systemctl enable ramdax-baseline.service
    else
        rm -f /etc/ramdax-provision/disabled
        systemctl unmask ramdax-provision.target
        systemctl enable ramdax-provision.target
        systemctl disable ramdax-baseline.service
    fi
    sync
}

case $E2E_BOOT in
1)  check "the journal has exactly two boots (the agent's one reboot)" test "$(journal_boots)" -eq 2
    check_layout e2e "$memmap"
    record_cost provisioning
    # The layout as the agent made it: each fsdax device, its mount point, type, owner and mode.
    {
        while read -r dev target; do
            echo "fs /dev/$dev $target $(findmnt -no FSTYPE "$target") $(stat -c '%U:%G %a' "$target")"
        done < <(fsdax_mounts)
        for node in $(devdax_nodes); do echo "dax /dev/$node"; done
    } >/etc/ramdax-baseline.conf
    cp /etc/ramdax-baseline.conf "$E2E_OUT/"
    check "the baseline's layout file lists two filesystems and one devdax node" \
        test "$(grep -c '^fs ' /etc/ramdax-baseline.conf):$(grep -c '^dax ' /etc/ramdax-baseline.conf)" = 2:1
    install -m 0755 "$E2E_RESULTS/ramdax-baseline" /usr/local/sbin/ramdax-baseline
    install -m 0644 "$E2E_RESULTS/ramdax-baseline.service" /etc/systemd/system/ramdax-baseline.service
    systemctl daemon-reload
    next_boot agent
    echo reboot >"$E2E_ACTION_FILE" ;;
[2-7])
    if [ $((E2E_BOOT % 2)) -eq 0 ]; then which=agent other=baseline; else which=baseline other=agent; fi
    record_cost "$which"
    check "boot $E2E_BOOT ran the $which only" sh -c "
        a=\$(systemctl show -p ActiveState --value ramdax-provision.service); b=\$(systemctl show -p ActiveState --value ramdax-baseline.service)
        if [ $which = agent ]; then [ \"\$a\" = active ] && [ \"\$b\" = inactive ]; else [ \"\$a\" = inactive ] && [ \"\$b\" = active ]; fi"
    check_mounted
    if [ "$which" = agent ]; then
        check "the agent reused everything (no namespace or filesystem made)" \
            sh -c "grep -q 'apply: converged' '$E2E_OUT/agent-journal.txt' && ! grep -Eq \"(namespace|filesystem) '[^']*': created\" '$E2E_OUT/agent-journal.txt'"
    fi
    report_system_state
    if [ "$E2E_BOOT" -lt $last ]; then
        next_boot "$other"
        echo reboot >"$E2E_ACTION_FILE"
    else
        next_boot agent
        echo poweroff >"$E2E_ACTION_FILE"
    fi ;;
*)  echo "FAIL unexpected boot $E2E_BOOT" | tee -a "$CHECKS"
    echo poweroff >"$E2E_ACTION_FILE" ;;
esac
