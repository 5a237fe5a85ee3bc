# shellcheck shell=bash
# The fault-injection guests (e2e.sh fault-*): baked.yaml, and ramdax-fault (tests/vm/faults/)
# standing in for one tool the agent runs, armed by /etc/ramdax-fault.conf to reset or power off
# the machine at one step of the first boot or of the provisioning boot. Hooked boot 1 is the
# first boot after the fault that got as far as the hook: the host must look as if nothing had
# happened (the layout in place, one memmap= argument, a healthy system), no filesystem that
# was whole before the fault made again, and a filesystem whose mkfs was cut short made anew.
# It leaves one row of the fault table in fault-row.txt and powers off.
set -uo pipefail
source "$E2E_RESULTS/lib.sh"
record_facts
memmap=$(cat "$E2E_RESULTS/expected-memmap-6G")
fired=/var/lib/ramdax-fault/fired
cp "$fired" "$E2E_OUT/fault-fired.txt" 2>/dev/null
journalctl --no-pager -o short-monotonic -u ramdax-provision.service -u ramdax-provision-instance.service \
    >"$E2E_OUT/agent-journal-all-boots.txt" 2>&1
fact() { sed -n "s/^$1=//p" "$fired" 2>/dev/null | head -n1; }
tool=$(fact tool) kind=$(fact kind) when=$(fact when) running=$(fact tool_running)
args=$(fact args)

case $E2E_BOOT in
1)  check "the fault fired: $kind $when $tool $args (tool still running: ${running:-?})" test -f "$fired"
    check_layout e2e "$memmap"
    check "exactly one memmap= argument is live" sh -c "[ \"\$(tr ' ' '\\n' </proc/cmdline | grep -c '^memmap=')\" = 1 ]"
    check "the GRUB drop-in holds one memmap= argument" \
        sh -c "[ \"\$(grep -o 'memmap=[^ \"]*' /etc/default/grub.d/ramdax-provision.cfg | wc -l)\" = 1 ]"
    check "no linux line of grub.cfg carries memmap= twice" \
        sh -c "! grep -E '^\\s*linux\\s' /boot/grub/grub.cfg | grep -qE 'memmap=.*memmap='"
    check "no grub.cfg.new is left beside grub.cfg" test ! -e /boot/grub/grub.cfg.new
    # A filesystem blkid found whole when the machine stopped is the same filesystem now, unless
    # the machine lost its RAM (a power-off: the namespaces are made anew on the cold boot).
    mkfs_device=""
    case $tool in mkfs.*) mkfs_device=${args##* } ;; esac
    kept=0 remade=""
    while read -r _ dev uuid; do
        [ -n "$uuid" ] || continue
        if [ "$dev" = "$mkfs_device" ]; then continue; fi
        if [ "$kind" = reset ]; then
            check "the filesystem on $dev that was whole before the reset is kept (UUID $uuid)" \
                test "$(blkid -p -s UUID -o value "$dev")" = "$uuid"
            kept=$((kept + 1))
        fi
    done < <(grep '^uuid ' "$fired" 2>/dev/null)
    if [ -n "$mkfs_device" ]; then
        # What the cut-short mkfs left was made again: the agent said why (its mark, or nothing
        # blkid knew), and the filesystem there now is whole (mounted with DAX above).
        line=$(grep -E "filesystem '[^']+': created: made .*: ($mkfs_device was blank|the mkfs begun on $mkfs_device .*never finished)" "$E2E_OUT/agent-journal-all-boots.txt" | tail -n1)
        check "the filesystem on $mkfs_device whose mkfs was cut short was made again ($line)" test -n "$line"
        case $line in *"never finished"*) remade="made again (its mark)" ;; *blank*) remade="made again (left nothing)" ;; *) remade="?" ;; esac
    fi
    report_system_state
    {
        if [ "$tool" = ndctl ]; then echo "step=ndctl ${args%% *}"; else echo "step=$tool"; fi
        echo "when=$when"
        echo "kind=$kind"
        echo "running=$running"
        echo "kept=$kept"
        echo "remade=${remade:--}"
        echo "failed=$(grep -c '^FAIL' "$CHECKS")"
    } >"$E2E_OUT/fault-row.txt"
    echo poweroff >"$E2E_ACTION_FILE" ;;
*)  echo "FAIL unexpected boot $E2E_BOOT" | tee -a "$CHECKS" ;;
esac
