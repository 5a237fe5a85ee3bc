# shellcheck shell=bash
# Scenario 13 on the systemd-boot image (build-image.sh --systemd-boot: GPT, ESP at /boot/efi,
# Debian's systemd-boot, no GRUB; run-guest.sh --uefi: OVMF) with baked.yaml baked in, in one
# QEMU process. The first boot plans, finds kernel-install's /etc/kernel/cmdline, adds its
# arguments there, regenerates the kernel's entry with kernel-install add and reboots by itself.
# Hooked boot 1 has everything in place, then `revert` takes the arguments out of the file and the
# entry again; the kill switch file keeps the agent from planning once more, and the hook reboots.
# Hooked boot 2 runs without memmap=, the agent's units skipped, and powers off.
set -uo pipefail
source "$E2E_RESULTS/lib.sh"
record_facts
expected=$(cat "$E2E_RESULTS/expected-memmap-uefi-6G")
memmap=$(grep -o 'memmap=[^ ]*' /etc/kernel/cmdline 2>/dev/null | head -n1)
prev=$E2E_OUT/agent-journal-previous-boot.txt
# The image's own arguments, which every edit must keep.
own='root=UUID=[0-9a-f-]+ ro console=ttyS0,115200 panic=-1'

record_sdboot_facts() { # for people and for the captures
    cp /etc/kernel/cmdline "$E2E_OUT/etc-kernel-cmdline.txt" 2>/dev/null
    mkdir -p "$E2E_OUT/loader-entries"
    cp /boot/efi/loader/entries/*.conf "$E2E_OUT/loader-entries/" 2>/dev/null
    cp /boot/efi/loader/loader.conf "$E2E_OUT/loader.conf" 2>/dev/null
    bootctl status --no-pager >"$E2E_OUT/bootctl-status.txt" 2>&1
    find /boot/efi -printf '%M %s %p\n' | sort -k3 >"$E2E_OUT/esp-files.txt" 2>&1
}

entries_carry() { # entries_carry ARG: every loader entry's options line has ARG
    local e n=0
    for e in /boot/efi/loader/entries/*.conf; do
        [ -f "$e" ] || return 1
        grep -E '^options ' "$e" | grep -qw -- "$1" || return 1
        n=$((n + 1))
    done
    [ "$n" -gt 0 ]
}

check_sdboot() {
    check "the machine booted through UEFI (/sys/firmware/efi exists)" test -d /sys/firmware/efi
    check "the ESP is mounted at /boot/efi (vfat)" sh -c "findmnt -no FSTYPE /boot/efi | grep -qx vfat"
    # LoaderInfo: 4 bytes of attributes, then UTF-16LE; the boot loader sets it for the OS.
    check "systemd-boot started this kernel (its LoaderInfo EFI variable)" \
        sh -c "tr -d '\\000' </sys/firmware/efi/efivars/LoaderInfo-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f | grep -q systemd-boot"
    check "systemd-boot is installed and no GRUB package is" \
        sh -c "dpkg-query -W -f '\${Status}' systemd-boot | grep -q 'install ok installed' && ! dpkg -l 'grub-*' 2>/dev/null | grep -q '^ii'"
    check "no GRUB configuration: the agent has no drop-in to write" test ! -e /etc/default/grub
}

case $E2E_BOOT in
1)  check "the previous boot's agent asked for the reboot" grep -Eq "rebooting: systemctl reboot requested|asking systemd to reboot" "$prev"
    check "the previous boot's agent ran kernel-install add" grep -q 'kernel-install add' "$prev"
    check "the agent's run that asked for the reboot ended without an unhandled exception" sh -c "! grep -q 'Unhandled exception' '$prev'"
    check "the journal has exactly two boots (the agent's one reboot)" test "$(journal_boots)" -eq 2
    check_sdboot
    check "the agent planned $expected for this 6 GiB machine under OVMF (/etc/kernel/cmdline: ${memmap:-none})" test "$memmap" = "$expected"
    check "/etc/kernel/cmdline keeps the image's own arguments" grep -Eq "$own" /etc/kernel/cmdline
    check "every loader entry on the ESP carries $memmap and modprobe.blacklist=nd_e820" \
        sh -c "$(declare -f entries_carry); entries_carry '$memmap' && entries_carry modprobe.blacklist=nd_e820"
    check "status names the kernel-install backend" \
        python3 -c "import json,sys; b=json.load(open('$E2E_OUT/status.json'))['kernel_arguments']['backend']; sys.exit(0 if str(b).lower().replace('_','').replace('-','')=='kernelinstall' else 1)"
    check_layout e2e "$memmap"
    record_sdboot_facts
    report_system_state
    # revert, and the kill switch so that the next boot does not plan and reboot again.
    check "ramdax-provision revert succeeds" ramdax-provision revert
    check "after revert /etc/kernel/cmdline has no memmap= and no blacklist" sh -c "! grep -Eq 'memmap=|modprobe.blacklist=nd_e820' /etc/kernel/cmdline"
    check "after revert /etc/kernel/cmdline still has the image's own arguments" grep -Eq "$own" /etc/kernel/cmdline
    check "after revert no loader entry carries memmap=" sh -c "! grep -h '^options ' /boot/efi/loader/entries/*.conf | grep -q 'memmap='"
    mkdir -p "$E2E_OUT/after-revert"
    cp /boot/efi/loader/entries/*.conf "$E2E_OUT/after-revert/" 2>/dev/null
    touch /etc/ramdax-provision/disabled
    echo reboot >"$E2E_ACTION_FILE" ;;
2)  check "the journal has exactly three boots" test "$(journal_boots)" -eq 3
    check_sdboot
    check "the kernel runs without memmap= after revert" sh -c "! grep -q 'memmap=' /proc/cmdline"
    check "the kernel runs with the image's own arguments" grep -Eq "$own" /proc/cmdline
    check "the kill switch file kept both units from running" \
        sh -c "systemctl show -p ConditionResult ramdax-provision.service ramdax-provision-instance.service | grep -c '=no' | grep -qx 2"
    report_system_state
    echo poweroff >"$E2E_ACTION_FILE" ;;
*)  echo "FAIL unexpected boot $E2E_BOOT" | tee -a "$CHECKS"
    echo poweroff >"$E2E_ACTION_FILE" ;;
esac
