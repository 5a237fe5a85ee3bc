#!/bin/bash
# How long the agent's reboot into its kernel arguments took, read from a timestamped serial
# console (run-guest.sh --serial-timestamps; every line is "<host epoch seconds> <console line>").
#
#   reboot-figures.sh [--expect reboot|kexec] [--label TEXT] [--journal FILE] CONSOLE.ts
#
# The log must start with the agent's first boot (the one that plans and reboots by itself) and
# hold the boot after it. Markers, in order (ANSI colours and carriage returns ignored):
#   B1  the first kernel banner, "] Linux version "
#   A   the last "Starting ramdax-provision-instance" after B1 (the unit that plans, writes the
#       boot configuration and reboots; its request itself is only in the journal)
#   S   the first shutdown line after A: systemd's "Stopping", "Stopped", "Removed slice",
#       "Closed" or "Unmounting"
#   R   the reset: "reboot: Restarting system" (systemctl reboot) or "kexec_core: Starting new
#       kernel" (systemctl kexec); --expect says which one it must be
#   B2  the next kernel banner after R
#   F   the first "Finished ramdax-provision.service" after B2 (the every-boot unit has
#       provisioned: namespaces, filesystems and DAX mounts are up)
# and prints, in seconds on the host's clock:
#   shutdown                S -> R   systemd stops everything, then the reset or kexec
#   to next kernel          R -> B2  normal reboot: SeaBIOS, GRUB loading the kernel and initrd,
#                                    the kernel decompressing itself; kexec: the purgatory and the
#                                    decompression only (no firmware, no GRUB)
#   kernel to provisioned   B2 -> F  kernel, initramfs, early userspace, the agent's early unit
#   total                   S -> F
# --journal FILE: the guest's whole journal of that first boot (journalctl -b -1 -o
# short-monotonic, as scenarios/lib.sh saves it in journal-previous-boot.txt) adds one figure on
# the guest's clock: from the agent's "cloud-init has finished" (its last line before it
# requests the reboot) to systemd's first shutdown line, i.e. how long the agent took to get the
# shutdown going. With kexec this includes `kexec -l` (the agent logs no line of its own around
# it), so the difference between the two reboots' figures is about what kexec -l costs.
#
# These are figures, not timing assertions. Exit status: 0 when every marker was found, 1 (with
# the missing marker named) otherwise, 2 on a usage error.
set -euo pipefail

EXPECT=""
LABEL=""
JOURNAL=""
while (($#)); do
    case $1 in
        --expect) EXPECT=$2; shift 2 ;;
        --label) LABEL=$2; shift 2 ;;
        --journal) JOURNAL=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "reboot-figures.sh: unknown argument $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
(($# == 1)) || { echo "usage: reboot-figures.sh [--expect reboot|kexec] [--label TEXT] [--journal FILE] CONSOLE.ts" >&2; exit 2; }
TS=$1
case $EXPECT in ""|reboot|kexec) ;; *) echo "reboot-figures.sh: --expect takes reboot or kexec" >&2; exit 2 ;; esac
[[ -s $TS ]] || { echo "reboot-figures.sh: $TS: missing or empty" >&2; exit 1; }

# awk prints either "ok" and the figures, or "missing <what>".
result=$(awk -v expect="$EXPECT" '
    {
        t = $1
        line = substr($0, length($1) + 2)
        gsub(/\r/, "", line)
        gsub(/\033\[[0-9;?!]*[A-Za-z]/, "", line)
        gsub(/\033/, "", line)
    }
    state == 0 && line ~ /\] Linux version [0-9]/ { b1 = t; state = 1; next }
    state == 1 && line ~ /Starting ramdax-provision-instance/ { a = t; s = ""; next }
    state == 1 && a != "" && s == "" && line ~ /(Stopping|Stopped|Removed slice|Closed|Unmounting) / { s = t; next }
    state == 1 && line ~ /reboot: Restarting system/ { r = t; how = "reboot"; state = 2; next }
    state == 1 && line ~ /kexec_core: Starting new kernel/ { r = t; how = "kexec"; state = 2; next }
    state == 2 && line ~ /\] Linux version [0-9]/ { b2 = t; state = 3; next }
    state == 3 && line ~ /Finished ramdax-provision\.service/ { f = t; state = 4; exit }
    END {
        if (b1 == "") { print "missing the first kernel banner (\"] Linux version\")"; exit }
        if (a == "") { print "missing \"Starting ramdax-provision-instance\" in the first boot"; exit }
        if (s == "") { print "missing a shutdown line (Stopping/Stopped/Removed slice/Closed/Unmounting) after the agent unit started"; exit }
        if (r == "") { print "missing the reset after the first boot (\"reboot: Restarting system\" or \"kexec_core: Starting new kernel\")"; exit }
        if (expect != "" && how != expect) { print "missing the expected " expect ": the first boot ended with a " how; exit }
        if (b2 == "") { print "missing the next kernel banner after the " how; exit }
        if (f == "") { print "missing \"Finished ramdax-provision.service\" in the boot after the " how; exit }
        printf "ok %s %.1f %.1f %.1f %.1f\n", how, r - s, b2 - r, f - b2, f - s
    }' "$TS")

if [[ $result != ok* ]]; then
    echo "reboot-figures.sh: $TS: $result" >&2
    exit 1
fi
read -r _ how shutdown firmware kernel total <<<"$result"
if [[ $how == kexec ]]; then reset='"kexec_core: Starting new kernel"'; else reset='"reboot: Restarting system"'; fi
echo "${LABEL:-$how} ($TS):"
printf '  %-24s %6s s   first shutdown line -> %s\n' shutdown "$shutdown" "$reset"
printf '  %-24s %6s s   %s -> next "Linux version"%s\n' "to next kernel" "$firmware" "$reset" \
    "$([[ $how == kexec ]] && echo ' (purgatory, decompression)' || echo ' (firmware, GRUB, decompression)')"
printf '  %-24s %6s s   "Linux version" -> "Finished ramdax-provision.service"\n' "kernel to provisioned" "$kernel"
printf '  %-24s %6s s   first shutdown line -> "Finished ramdax-provision.service"\n' total "$total"

if [[ -n $JOURNAL ]]; then
    # short-monotonic lines start with "[  seconds.micro] host unit[pid]: ".
    j=$(awk '
        function mono() { return substr($0, 2, index($0, "]") - 2) + 0 }
        c == "" && /ramdax-provision\[[0-9]+\]: cloud-init has finished/ { c = mono(); next }
        c != "" && d == "" && / systemd\[1\]: (Stopping|Stopped|Removed slice|Closed|Unmounting) / { d = mono() }
        c != "" && /ramdax-provision\[[0-9]+\]: .*rebooting: systemctl (kexec|reboot) requested/ { req = 1 }
        c != "" && /ramdax-provision\[[0-9]+\]: Unhandled exception/ { crash = 1 }
        END {
            if (c == "" || d == "") { print "missing"; exit }
            printf "ok %.2f %d %d\n", d - c, req, crash
        }' "$JOURNAL" 2>/dev/null || true)
    if [[ $j != ok* ]]; then
        echo "reboot-figures.sh: $JOURNAL: missing the agent's \"cloud-init has finished\" followed by a shutdown line of systemd" >&2
        exit 1
    fi
    read -r _ secs req crash <<<"$j"
    printf '  %-24s %6s s   guest journal: agent'"'"'s "cloud-init has finished" -> systemd'"'"'s first shutdown line%s\n' \
        "agent's request" "$secs" "$([[ $how == kexec ]] && echo ' (includes kexec -l)')"
    if ((!req)); then
        echo "  note: the agent's journal has no \"systemctl $how requested\" line: the shutdown stopped it first$( ((crash)) && echo ' (unhandled exception)')"
    fi
fi
