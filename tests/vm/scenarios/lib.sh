# Guest-side helpers for the scenario hooks (sourced from the results disk).
# Every check prints PASS or FAIL with what it checked; the host counts them.

CHECKS=$E2E_OUT/checks.txt

check() {
    local what=$1
    shift
    if "$@" >>"$E2E_OUT/check-output.txt" 2>&1; then
        echo "PASS $what" | tee -a "$CHECKS"
    else
        echo "FAIL $what" | tee -a "$CHECKS"
    fi
    sync
}

# The agent's JSON status, once, for jq-free checks with python3 (in the image).
status_json() { ramdax-provision status --format json >"$E2E_OUT/status.json" 2>"$E2E_OUT/status.err"; }

# json_get FILE EXPR: evaluates a Python expression over the parsed JSON as `j`.
json_get() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }

# Everything a person (or a failing test) wants to read afterwards.
record_facts() {
    cat /proc/cmdline >"$E2E_OUT/proc-cmdline.txt"
    ndctl list -BDRN >"$E2E_OUT/ndctl-list.json" 2>&1 || true
    grep -E 'dax|pmem' /proc/self/mountinfo >"$E2E_OUT/mountinfo-dax.txt" || true
    ls -l /dev/dax* /dev/pmem* >"$E2E_OUT/dev-nodes.txt" 2>&1 || true
    ls -l /dev/ramdax/ >"$E2E_OUT/dev-ramdax.txt" 2>&1 || true
    ramdax-provision status >"$E2E_OUT/status.txt" 2>&1 || true
    status_json || true
    journalctl -b --no-pager -o short-monotonic -u ramdax-provision.service -u ramdax-provision-instance.service >"$E2E_OUT/agent-journal.txt" 2>&1 || true
    journalctl --list-boots --no-pager >"$E2E_OUT/boots.txt" 2>&1 || true
    journalctl -b -1 --no-pager -o short-monotonic -u ramdax-provision.service -u ramdax-provision-instance.service >"$E2E_OUT/agent-journal-previous-boot.txt" 2>&1 || true
    # The whole previous boot too: when and how it shut down (reboot-figures.sh reads it).
    journalctl -b -1 --no-pager -o short-monotonic >"$E2E_OUT/journal-previous-boot.txt" 2>&1 || true
    systemd-analyze blame >"$E2E_OUT/blame.txt" 2>&1 || true
    systemd-analyze critical-chain ramdax-provision.target >"$E2E_OUT/critical-chain.txt" 2>&1 || true
    systemd-analyze critical-chain multi-user.target >"$E2E_OUT/critical-chain-multi-user.txt" 2>&1 || true
    systemd-analyze >"$E2E_OUT/systemd-analyze.txt" 2>&1 || true
    # Wall time and CPU time (the unit's cgroup: the agent and the tools it ran) of each agent unit.
    systemctl show -p Id -p InactiveExitTimestampMonotonic -p ActiveEnterTimestampMonotonic -p CPUUsageNSec \
        ramdax-provision.service ramdax-provision-instance.service >"$E2E_OUT/unit-times.txt" 2>&1 || true
    # The agent's own files, as fixtures for a converged --root tree.
    mkdir -p "$E2E_OUT/agent-files"
    cp -a /var/lib/ramdax-provision /run/ramdax-provision "$E2E_OUT/agent-files/" 2>/dev/null || true
    sync
}

# Writes FILE and asks statx(2) for STATX_ATTR_DAX (0x200000); struct statx has stx_attributes at offset 8.
has_dax_attribute() {
    echo probe >"$1" && sync && python3 - "$1" <<'PY'
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(256)
if libc.statx(-100, sys.argv[1].encode(), 0, 0xFFF, buf) != 0:
    sys.exit(2)
sys.exit(0 if int.from_bytes(buf.raw[8:16], "little") & 0x200000 else 1)
PY
}

mounted_with_dax() { grep -E " $1 " /proc/self/mountinfo | grep -q 'dax=always'; }

item_state() { # item_state KIND NAME -> state of the reconcile item
    json_get "$E2E_OUT/status.json" "next((i['state'] for i in (j.get('reconcile') or {}).get('items', []) if i['kind'].lower()=='$1' and i['name']=='$2'), 'missing')"
}

# The layout of the baked configuration (or the user-data one with prefix ci-), checked as
# scenario 1 asks: arguments live, ramdax bound, namespaces, DAX mounts, devdax access, status.
check_layout() {
    local p=$1 memmap=$2
    check "the kernel runs with $memmap" grep -qw -- "$memmap" /proc/cmdline
    check "the kernel runs with modprobe.blacklist=nd_e820" grep -qw modprobe.blacklist=nd_e820 /proc/cmdline
    check "ramdax holds e820_pmem" sh -c 'basename "$(readlink /sys/bus/platform/devices/e820_pmem/driver)" | grep -qx ramdax'
    for ns in $p-ext4 $p-xfs $p-dev; do
        check "namespace $ns exists" sh -c "ndctl list -N | grep -q '\"name\":\"$ns\"'"
    done
    check "/mnt/$p-ext4 is ext4 mounted with dax=always" sh -c "findmnt -no FSTYPE /mnt/$p-ext4 | grep -qx ext4 && grep ' /mnt/$p-ext4 ' /proc/self/mountinfo | grep -q dax=always"
    check "/mnt/$p-xfs is XFS mounted with dax=always" sh -c "findmnt -no FSTYPE /mnt/$p-xfs | grep -qx xfs && grep ' /mnt/$p-xfs ' /proc/self/mountinfo | grep -q dax=always"
    check "a file on /mnt/$p-ext4 has STATX_ATTR_DAX" has_dax_attribute "/mnt/$p-ext4/.dax-probe"
    check "a file on /mnt/$p-xfs has STATX_ATTR_DAX" has_dax_attribute "/mnt/$p-xfs/.dax-probe"
    local dev
    dev=$(ndctl list -N | python3 -c "import json,sys; print(next(n['chardev'] for n in json.load(sys.stdin) if n.get('name')=='$p-dev'))" 2>/dev/null)
    check "the devdax node /dev/$dev is root:disk 0660" sh -c "[ -n '$dev' ] && [ \"\$(stat -c '%U:%G %a' /dev/$dev)\" = 'root:disk 660' ]"
    check "status --format json says every planned item is in place" \
        python3 -c "import json,sys; j=json.load(open('$E2E_OUT/status.json')); r=j['reconcile']; sys.exit(0 if r and all(i['state'] in ('ok','created','recreated_after_cold_boot') for i in r['items'] if i.get('planned', True)) else 1)"
    check "status shows the wanted arguments live" python3 -c "import json,sys; j=json.load(open('$E2E_OUT/status.json')); sys.exit(0 if not j['kernel_arguments']['missing'] and j['kernel_arguments']['wanted'] else 1)"
}
