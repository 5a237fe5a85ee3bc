# Scenarios 1, 2, 3, 7 and 6 on one disk whose configuration is baked into the image
# (/etc/ramdax-provision/config.yaml). E2E_BOOT counts the boots this hook saw; the agent's own
# reboots (after it writes kernel arguments) happen before the hook runs and are not counted.
set -uo pipefail
source "$E2E_RESULTS/lib.sh"
record_facts
memmap_6g=$(cat "$E2E_RESULTS/expected-memmap-6G")
memmap_8g=$(cat "$E2E_RESULTS/expected-memmap-8G")

case $E2E_BOOT in
1)  # Scenario 1: the first boot planned, wrote the GRUB drop-in and rebooted by itself; this is
    # the second boot.
    check "the previous boot of the agent wrote the GRUB drop-in and asked for the reboot" \
        grep -q "reboot" "$E2E_OUT/agent-journal-previous-boot.txt"
    check "the agent's run that asked for the reboot ended without an unhandled exception" \
        sh -c "! grep -q 'Unhandled exception' '$E2E_OUT/agent-journal-previous-boot.txt'"
    check "/etc/default/grub.d/ramdax-provision.cfg carries $memmap_6g" grep -q -- "$memmap_6g" /etc/default/grub.d/ramdax-provision.cfg
    check "grub.cfg boots with $memmap_6g" grep -q -- "$memmap_6g" /boot/grub/grub.cfg
    check_layout e2e "$memmap_6g"
    report_system_state
    check "udevadm verify accepts the agent's generated devdax rule" udevadm verify /etc/udev/rules.d/70-ramdax-provision.rules
    # Data for scenario 2.
    head -c 1M /dev/urandom >"$E2E_RESULTS/warm-ext4.bin"
    cp "$E2E_RESULTS/warm-ext4.bin" /mnt/e2e-ext4/warm.bin
    cp "$E2E_RESULTS/warm-ext4.bin" /mnt/e2e-xfs/warm.bin
    sync
    echo reboot >"$E2E_ACTION_FILE" ;;
2)  # Scenario 2: warm reboot (same QEMU process, RAM kept).
    check_layout e2e "$memmap_6g"
    check "the file written before the warm reboot reads back intact from ext4" cmp /mnt/e2e-ext4/warm.bin "$E2E_RESULTS/warm-ext4.bin"
    check "the file written before the warm reboot reads back intact from XFS" cmp /mnt/e2e-xfs/warm.bin "$E2E_RESULTS/warm-ext4.bin"
    check "no mkfs ran on this boot" sh -c "! grep -Eq 'mkfs\\.(ext4|xfs) ' '$E2E_OUT/agent-journal.txt'"
    check "the instance unit left the namespaces and mounts to the early unit's run (same plan)" \
        sh -c "journalctl -b -u ramdax-provision-instance.service --no-pager | grep -q 'an earlier run of this boot put this plan in place'"
    for ns in e2e-ext4 e2e-xfs e2e-dev; do
        check "status says namespace $ns was reused (ok)" test "$(item_state namespace $ns)" = ok
    done
    check "status says the ext4 filesystem was reused (ok)" test "$(item_state filesystem e2e-ext4)" = ok
    # Fleet metrics: once node-exporter's textfile directory exists, apply writes the textfile.
    mkdir -p /var/lib/prometheus/node-exporter
    check "an operator's apply --offline succeeds" ramdax-provision apply --offline --reboot never
    check "the textfile says nothing planned is missing" textfile_has "ramdax_provision_items_not_in_place 0"
    check "the textfile has the ext4 mount in place (ok, or created by this boot's early run)" \
        grep -qxE 'ramdax_provision_item_state\{kind="mount",name="e2e-ext4",state="(ok|created)"\} 1' /var/lib/prometheus/node-exporter/ramdax_provision.prom
    cp /var/lib/prometheus/node-exporter/ramdax_provision.prom "$E2E_OUT/" 2>/dev/null
    check "the textfile has no reboot pending" textfile_has "ramdax_provision_reboot_pending 0"
    report_system_state
    echo poweroff >"$E2E_ACTION_FILE" ;;
3)  # Scenario 3: cold boot (a new QEMU process: RAM zeroed, labels gone).
    check_layout e2e "$memmap_6g"
    for ns in e2e-ext4 e2e-xfs e2e-dev; do
        check "status says namespace $ns was recreated after the cold boot" test "$(item_state namespace $ns)" = recreated_after_cold_boot
    done
    check "the ext4 filesystem is new (the file from before is gone)" test ! -e /mnt/e2e-ext4/warm.bin
    check "status says the ext4 filesystem was made this boot" test "$(item_state filesystem e2e-ext4)" = created
    check "the journal has the recreated-after-cold-boot event for e2e-ext4 (MESSAGE_ID, structured fields)" \
        journal_event ce388e249ede457d9b919b21292b0dd2 RAMDAX_PROVISION_NAME=e2e-ext4 RAMDAX_PROVISION_STATE=recreated_after_cold_boot
    report_system_state
    # Scenario 7 starts: capture the image for a new instance.
    check "cloud-init clean succeeds" cloud-init clean --logs
    check "ramdax-provision clean succeeds" ramdax-provision clean
    check "the instance id is forgotten" sh -c "ramdax-provision status --format json | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)[\"instance_id\"] is None else 1)'"
    echo poweroff >"$E2E_ACTION_FILE" ;;
4)  # Scenario 7: booted as a new instance with 8 GiB; the agent re-planned, rewrote and rebooted.
    check "status names the new instance" test "$(json_get "$E2E_OUT/status.json" "j['instance_id']")" = iid-e2e-0002
    check "the old carve-out argument is gone from the kernel command line" sh -c "! grep -qw -- '$memmap_6g' /proc/cmdline"
    check "exactly one memmap= argument is live" sh -c "[ \"\$(tr ' ' '\\n' </proc/cmdline | grep -c '^memmap=')\" = 1 ]"
    check_layout e2e "$memmap_8g"
    report_system_state
    # ramdax-provision.target means "everything planned is in place": with another filesystem on
    # a mount point the early unit fails and the target is not reached; without it, both are.
    mount -t tmpfs e2e-squatter /mnt/e2e-xfs
    check "with a tmpfs over /mnt/e2e-xfs a rerun of the early unit fails (the mount is drifted)" \
        sh -c "! systemctl restart ramdax-provision.service"
    check "and ramdax-provision.target cannot be reached" \
        sh -c "! systemctl start ramdax-provision.target && ! systemctl is-active --quiet ramdax-provision.target"
    umount /mnt/e2e-xfs
    check "without the tmpfs the early unit succeeds again and the target is reached" \
        sh -c "systemctl restart ramdax-provision.service && systemctl start ramdax-provision.target && systemctl is-active --quiet ramdax-provision.target"
    check "no unit is left failed" sh -c "[ -z \"\$(systemctl --failed --no-legend --plain)\" ]"
    # Scenario 6 starts: purge the package.
    check "apt-get purge ramdax-provision succeeds" env DEBIAN_FRONTEND=noninteractive apt-get purge -y ramdax-provision
    check "the GRUB drop-in is gone" test ! -e /etc/default/grub.d/ramdax-provision.cfg
    check "grub.cfg no longer carries memmap=" sh -c "! grep -q 'memmap=' /boot/grub/grub.cfg"
    echo reboot >"$E2E_ACTION_FILE" ;;
5)  # Scenario 6: after the purge and a reboot.
    check "the kernel runs without memmap=" sh -c "! grep -q 'memmap=' /proc/cmdline"
    check "the agent is gone" sh -c "! command -v ramdax-provision"
    check "its state is gone" test ! -e /var/lib/ramdax-provision
    check "its generated udev rule is gone" test ! -e /etc/udev/rules.d/70-ramdax-provision.rules
    check "its Prometheus textfile is gone (no stale metrics)" test ! -e /var/lib/prometheus/node-exporter/ramdax_provision.prom
    # Not is-system-running here: ndctl stays (the image installs it itself, packages.txt), and
    # without the package's drop-in ndctl-monitor.service fails on a host with no DIMMs ("no dimms
    # to monitor", status 250), which leaves the host degraded: ndctl's own behaviour, seen here.
    check "only ndctl-monitor.service failed after the purge (ndctl's own unit, no DIMMs left)" \
        sh -c "[ -z \"\$(systemctl --failed --no-legend --plain | cut -d' ' -f1 | grep -vx ndctl-monitor.service)\" ]"
    echo poweroff >"$E2E_ACTION_FILE" ;;
*)  echo "FAIL unexpected boot $E2E_BOOT" | tee -a "$CHECKS" ;;
esac
