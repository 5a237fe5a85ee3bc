# shellcheck shell=bash
# Scenario 10 on the UEFI image (build-image.sh --uefi: GPT, ESP, grub-efi-amd64 at the
# removable-media path; run-guest.sh --uefi: OVMF) with baked.yaml baked in, in one QEMU process.
# The first boot plans, writes the GRUB drop-in and reboots by itself (the hook does not run in
# that boot). Hooked boot 1 has everything in place, records what the kernel says about KASLR now
# that memmap= is on the command line, writes data to every DAX namespace and reboots (warm);
# hooked boot 2 finds everything reused and the data intact, and powers off.
set -uo pipefail
source "$E2E_RESULTS/lib.sh"
record_facts
expected=$(cat "$E2E_RESULTS/expected-memmap-uefi-6G")
# The checks below follow what the agent planned, so that a plan other than the expected one
# fails one check and still shows everything else.
memmap=$(grep -o 'memmap=[^ "]*' /etc/default/grub.d/ramdax-provision.cfg 2>/dev/null | head -n1)
prev=$E2E_OUT/agent-journal-previous-boot.txt
data=$E2E_RESULTS/uefi-data

# What the firmware and the kernel say, for people and for the captures.
record_uefi_facts() {
    cp /boot/grub/grub.cfg "$E2E_OUT/grub.cfg"
    find /boot/efi -printf '%M %s %p\n' | sort -k3 >"$E2E_OUT/esp-files.txt" 2>&1
    for d in /sys/firmware/memmap/*; do
        echo "$(cat "$d/start") $(cat "$d/end") $(cat "$d/type")"
    done | sort >"$E2E_OUT/firmware-memmap.txt" 2>&1
    dmesg | grep -i kaslr >"$E2E_OUT/dmesg-kaslr.txt" 2>&1
    grep -E 'Kernel (code|data|bss)' /proc/iomem >"$E2E_OUT/iomem-kernel.txt" 2>&1
    grep -m1 -E ' [Tt] _text$' /proc/kallsyms >"$E2E_OUT/kallsyms-text.txt" 2>&1
    dmesg | grep -iE 'efi: |memmap|user-defined physical RAM map|user: \[mem' >"$E2E_OUT/dmesg-efi-memmap.txt" 2>&1
    echo "NOTE dmesg lines about KASLR: $(wc -l <"$E2E_OUT/dmesg-kaslr.txt")$(sed 's/^/ | /' "$E2E_OUT/dmesg-kaslr.txt" | tr -d '\n')" | tee -a "$CHECKS"
    echo "NOTE kernel placed at $(head -n1 "$E2E_OUT/iomem-kernel.txt" | xargs) (physical; the default load address is 0x1000000); _text at $(cut -d' ' -f1 "$E2E_OUT/kallsyms-text.txt") (virtual; unrandomised ffffffff81000000)" | tee -a "$CHECKS"
}

# grub_section NAME: the part of grub.cfg that /etc/grub.d/NAME wrote (grub-mkconfig brackets it).
grub_section() {
    awk -v s="$1" '$0 == "### BEGIN /etc/grub.d/" s " ###" {on = 1; next}
        $0 == "### END /etc/grub.d/" s " ###" {on = 0} on' /boot/grub/grub.cfg
}
linux_entries=$E2E_OUT/grub-10_linux.cfg
prober_entries=$E2E_OUT/grub-30_os-prober.cfg

check_uefi_boot() {
    check "the machine booted through UEFI (/sys/firmware/efi exists)" test -d /sys/firmware/efi
    check "the ESP is mounted at /boot/efi (vfat)" sh -c "findmnt -no FSTYPE /boot/efi | grep -qx vfat"
    check "GRUB is on the ESP at the removable-media path (\\EFI\\BOOT\\BOOTX64.EFI)" test -s /boot/efi/EFI/BOOT/BOOTX64.EFI
    check "grub-efi-amd64 is installed, grub-pc is not" \
        sh -c "dpkg-query -W -f '\${Status}' grub-efi-amd64 | grep -q 'install ok installed' && ! dpkg-query -W -f '\${Status}' grub-pc 2>/dev/null | grep -q 'install ok installed'"
    check "this kernel was started by GRUB (BOOT_IMAGE= on its command line)" grep -q 'BOOT_IMAGE=' /proc/cmdline
}

case $E2E_BOOT in
1)  # The second boot: the agent's reboot put its arguments in place.
    check "the previous boot's agent wrote the GRUB drop-in and asked for the reboot" \
        grep -Eq "rebooting: systemctl reboot requested|asking systemd to reboot" "$prev"
    check "the agent's run that asked for the reboot ended without an unhandled exception" \
        sh -c "! grep -q 'Unhandled exception' '$prev'"
    check "the journal has exactly two boots (the agent's one reboot)" test "$(journal_boots)" -eq 2
    check_uefi_boot
    check "the agent planned $expected for this 6 GiB machine under OVMF (its drop-in: ${memmap:-none})" test "$memmap" = "$expected"
    grub_section 10_linux >"$linux_entries"
    grub_section 30_os-prober >"$prober_entries"
    # Recovery entries ("ro single") take GRUB_CMDLINE_LINUX only, not the _DEFAULT the drop-in
    # extends: Debian's design, so they are left out.
    check "grub.cfg has memtest86+'s entry, without the agent's arguments (the agent judged only the kernels' entries)" \
        sh -c "grep -Eq '^\s*linux\s+/boot/memtest86\+x64\.efi' /boot/grub/grub.cfg && ! grep -E '^\s*linux\s+/boot/memtest86' /boot/grub/grub.cfg | grep -q -- '$memmap'"
    check "grub.cfg has os-prober's entry for the other Linux on the second disk, booting with that system's arguments, not the agent's" \
        sh -c "grep -q 'Otherix Linux 1.0' $prober_entries && grep -Eq '^\s*linux\s+/boot/vmlinuz-6\.1\.0-otherix\s' $prober_entries && ! grep -q -- '$memmap' $prober_entries"
    check "every normal linux line of this system's kernels (10_linux) carries $memmap" \
        sh -c "n=\$(grep -E '^\s*linux\s+/boot/vmlinuz-' $linux_entries | grep -cv ' single '); [ \"\$n\" -gt 0 ] && [ \"\$(grep -E '^\s*linux\s+/boot/vmlinuz-' $linux_entries | grep -v ' single ' | grep -c -- '$memmap')\" = \"\$n\" ]"
    check_layout e2e "$memmap"
    record_uefi_facts
    capture_nd_sysfs "$E2E_OUT/sys-bus-nd-devices"
    report_system_state
    write_dax_data "$data"
    echo reboot >"$E2E_ACTION_FILE" ;;
2)  # Warm reboot through OVMF and GRUB (QEMU keeps the RAM).
    check "the journal has exactly three boots" test "$(journal_boots)" -eq 3
    check "the agent did not ask for a reboot on this boot" \
        sh -c "! grep -Eq 'asking systemd to (reboot|kexec)' '$E2E_OUT/agent-journal.txt'"
    check_uefi_boot
    check_layout e2e "$memmap"
    check_kept "$data" "after the warm reboot"
    record_uefi_facts
    report_system_state
    echo poweroff >"$E2E_ACTION_FILE" ;;
*)  echo "FAIL unexpected boot $E2E_BOOT" | tee -a "$CHECKS"
    echo poweroff >"$E2E_ACTION_FILE" ;;
esac
