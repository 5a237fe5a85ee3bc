#!/bin/bash
# A timing probe, run by hand on a disk the agent has provisioned (for example an e2e disk):
# once the boot has settled, how long do binding ramdax, the bus going idle and `ndctl list` take
# with nothing else competing for the vCPU? Compare with the early unit's figures
# (boot-figures.sh), where the first `ndctl list` after binding shares the vCPU with the rest of
# the early boot. Writes probe.txt and powers off.
#
#   tests/vm/run-guest.sh --image DISK --results R.img --hook tests/vm/hooks/rebind-timing-hook.sh \
#       --meta-data META --results-out OUT; cat OUT/boot-1/probe.txt
#
# It stops the agent's mount units and unbinds ramdax (the namespaces stay in the labels).
set -u
secs() { awk "BEGIN { printf \"%.3f\", $2 - $1 }"; }
timed() { # timed WHAT COMMAND...
    local t0 t1
    t0=$(date +%s.%N)
    "${@:2}" >/dev/null
    t1=$(date +%s.%N)
    echo "$1: $(secs "$t0" "$t1") s"
}
{
    echo "uptime at the hook: $(cut -d' ' -f1 /proc/uptime) s"
    journalctl -b -o short-monotonic -u ramdax-provision.service --no-pager | grep -E "Starting|bound|carve-out|namespace '" | head -6
    timed "ndctl list, boot settled" ndctl list -R -N -r region0
    systemctl stop "$(systemd-escape -p --suffix=mount /mnt/e2e-ext4)" "$(systemd-escape -p --suffix=mount /mnt/e2e-xfs)"
    timed "unbind ramdax" sh -c 'echo e820_pmem >/sys/bus/platform/drivers/ramdax/unbind'
    timed "bind ramdax (drivers_probe)" sh -c 'echo e820_pmem >/sys/bus/platform/drivers_probe'
    timed "the bus going idle (wait_probe)" sh -c 'cat /sys/bus/nd/devices/ndbus*/wait_probe'
    timed "ndctl list after the rebind" ndctl list -R -N -r region0
    echo "namespaces after the rebind: $(ndctl list -N | grep -o '"name":"[^"]*"' | tr '\n' ' ')"
} >"$E2E_OUT/probe.txt" 2>&1
echo poweroff >"$E2E_ACTION_FILE"
