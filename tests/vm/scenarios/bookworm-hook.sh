# shellcheck shell=bash
# Scenario 11 on the Debian 12 image (build-image.sh --suite bookworm: kernel 6.1 without ramdax,
# ndctl 76, cloud-init 22.4, BIOS GRUB), in one QEMU process. The configuration comes only from
# NoCloud user-data (user-data-bookworm: a write_files drop-in). The first boot plans the nd_e820
# fallback (one memmap= range per namespace), writes the GRUB drop-in and reboots by itself.
# Hooked boot 1 has every raw namespace converted to its mode, the filesystems made and mounted
# with dax=always, cloud-init healthy; it writes data to every namespace and reboots (warm).
# Hooked boot 2 finds everything reused and every byte intact, and powers off.
set -uo pipefail
source "$E2E_RESULTS/lib.sh"
record_facts
capture_nd_sysfs "$E2E_OUT/sys-bus-nd-devices"
data=$E2E_RESULTS/bookworm-data
# The plan's memmap= argument(s), as the agent wrote them into its drop-in.
ranges=$(grep -o 'memmap=[^ "]*' /etc/default/grub.d/ramdax-provision.cfg 2>/dev/null | tr ',' '\n' | sed 's/^memmap=//' | grep -c '!')

check_bookworm_layout() {
    local when=$1
    check "this is Debian 12 with cloud-init 22.4 and ndctl 76 ($when)" \
        sh -c "grep -q '^VERSION_ID=\"12\"' /etc/os-release && dpkg-query -W -f '\${Version}' cloud-init | grep -q '^22\\.4' && dpkg-query -W -f '\${Version}' ndctl | grep -q '^76'"
    check "the running kernel has no ramdax module, only nd_e820 ($when)" \
        sh -c "! modinfo ramdax >/dev/null 2>&1 && modinfo nd_e820 >/dev/null 2>&1"
    check "the plan holds one memmap= range per namespace, 3 ($when; the drop-in has $ranges)" test "$ranges" -eq 3
    check "the kernel runs with the drop-in's memmap= argument(s) ($when)" \
        sh -c "for a in \$(grep -o 'memmap=[^ \"]*' /etc/default/grub.d/ramdax-provision.cfg); do grep -qw -- \"\$a\" /proc/cmdline || exit 1; done"
    check "the kernel runs without modprobe.blacklist=nd_e820 ($when)" sh -c "! grep -q 'modprobe.blacklist=nd_e820' /proc/cmdline"
    # nd_e820's platform driver registers as e820_pmem, the device's own name.
    check "nd_e820 holds e820_pmem ($when)" sh -c 'basename "$(readlink /sys/bus/platform/devices/e820_pmem/driver)" | grep -qx e820_pmem && [ -d /sys/module/nd_e820 ]'
    check "ndctl shows three regions, each with one namespace: two fsdax, one devdax ($when)" \
        sh -c "ndctl list -N | python3 -c \"import json,sys; m=sorted(n['mode'] for n in json.load(sys.stdin)); sys.exit(0 if m==['devdax','fsdax','fsdax'] else 1)\""
    check "/mnt/bw-ext4 is ext4 mounted with dax=always ($when)" sh -c "findmnt -no FSTYPE /mnt/bw-ext4 | grep -qx ext4 && grep ' /mnt/bw-ext4 ' /proc/self/mountinfo | grep -q dax=always"
    check "/mnt/bw-xfs is XFS mounted with dax=always ($when)" sh -c "findmnt -no FSTYPE /mnt/bw-xfs | grep -qx xfs && grep ' /mnt/bw-xfs ' /proc/self/mountinfo | grep -q dax=always"
    # nd_e820's namespaces have no name, so no /dev/ramdax link: the units mount the device nodes.
    check_transient_mounts "$(findmnt -rno SOURCE /mnt/bw-ext4) /mnt/bw-ext4" "$(findmnt -rno SOURCE /mnt/bw-xfs) /mnt/bw-xfs"
    check "a file on /mnt/bw-ext4 has STATX_ATTR_DAX ($when)" has_dax_attribute /mnt/bw-ext4/.dax-probe
    check "a file on /mnt/bw-xfs has STATX_ATTR_DAX ($when)" has_dax_attribute /mnt/bw-xfs/.dax-probe
    local dev
    dev=$(devdax_nodes | head -n1)
    check "the devdax node /dev/$dev is root:disk 0660 ($when)" sh -c "[ -n '$dev' ] && [ \"\$(stat -c '%U:%G %a' /dev/$dev)\" = 'root:disk 660' ]"
    check "status --format json says every planned item is in place ($when)" \
        python3 -c "import json,sys; j=json.load(open('$E2E_OUT/status.json')); r=j['reconcile']; sys.exit(0 if r and all(i['state'] in ('ok','created','recreated_after_cold_boot') for i in r['items'] if i.get('planned', True)) else 1)"
    check "status shows the wanted arguments live ($when)" python3 -c "import json,sys; j=json.load(open('$E2E_OUT/status.json')); sys.exit(0 if not j['kernel_arguments']['missing'] and j['kernel_arguments']['wanted'] else 1)"
    check "cloud-init status --long says done ($when)" sh -c "cloud-init status --long | grep -qx 'status: done'"
    check "cloud-init status exits 0 ($when)" cloud-init status
    check "cloud-init schema --system accepts the user-data ($when)" cloud-init schema --system
    check "cloud-init logged no schema warning ($when)" sh -c "! grep -qi 'schema validation' /var/log/cloud-init.log"
    report_system_state
}

case $E2E_BOOT in
1)  check "the previous boot of the agent asked for the reboot" grep -q "reboot" "$E2E_OUT/agent-journal-previous-boot.txt"
    check "the previous boot's plan said it falls back to nd_e820" grep -q "falling back to nd_e820" "$E2E_OUT/agent-journal-previous-boot.txt"
    check "cloud-init 22.4 wrote no combined-cloud-config.json (the old path)" test ! -e /run/cloud-init/combined-cloud-config.json
    check "cloud-init wrote the user-data drop-in, root's and 0644" sh -c "stat -c '%U %a' /etc/ramdax-provision/config.d/90-user-data.yaml | grep -qx 'root 644'"
    check "the namespaces come from the user-data drop-in" sh -c "ramdax-provision plan --explain | grep -E '^  namespaces\\[0\\]\\.name +bw-ext4 +/etc/ramdax-provision/config.d/90-user-data.yaml'"
    check_bookworm_layout "after the agent's reboot"
    check "status says the ext4 filesystem was made this boot" test "$(item_state filesystem bw-ext4)" = created
    # Recorded for fixtures: what cloud-init 22.4 leaves for the agent to read.
    cp /run/cloud-init/instance-data.json "$E2E_OUT/instance-data.json" 2>/dev/null || true
    cp /var/lib/cloud/instance/cloud-config.txt "$E2E_OUT/cloud-config.txt" 2>/dev/null || true
    write_dax_data "$data"
    echo reboot >"$E2E_ACTION_FILE" ;;
2)  check_bookworm_layout "after a warm reboot"
    for ns in bw-ext4 bw-xfs bw-dev; do
        check "status says namespace $ns was reused (ok) after a warm reboot" test "$(item_state namespace $ns)" = ok
    done
    check_decided_from_sysfs "after a warm reboot"
    check "no mkfs ran on this boot" sh -c "! grep -Eq 'mkfs\\.(ext4|xfs) ' '$E2E_OUT/agent-journal.txt'"
    check "status says both filesystems were reused (ok)" \
        sh -c "[ '$(item_state filesystem bw-ext4)' = ok ] && [ '$(item_state filesystem bw-xfs)' = ok ]"
    check_dax_data "$data" "after a warm reboot"
    echo poweroff >"$E2E_ACTION_FILE" ;;
*)  echo "FAIL unexpected boot $E2E_BOOT" | tee -a "$CHECKS" ;;
esac
