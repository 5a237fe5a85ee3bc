# shellcheck shell=bash
# Scenario 12: two NUMA nodes (run-guest.sh --numa 5,3 with 8 GiB: node 0 holds 0-3G and 4G-6G,
# node 1 6G-9G), the configuration baked into the image (numa.yaml: placement.numa spread,
# max_ranges 2, numa_node: each for a devdax namespace on both nodes, and a filesystem pinned to each). The first QEMU process: the first boot plans
# one carve-out per node, writes the GRUB drop-in and reboots by itself; hooked boot 1 has both
# regions, each on its own node with its namespace, filesystem and DAX mount. The second QEMU
# process is a cold boot: hooked boot 2 finds both namespaces recreated by address and lists both.
set -uo pipefail
source "$E2E_RESULTS/lib.sh"
record_facts
capture_nd_sysfs "$E2E_OUT/sys-bus-nd-devices"
memmap=$(cat "$E2E_RESULTS/expected-memmap-numa")
ndctl list -RN >"$E2E_OUT/ndctl-list-RN.json" 2>&1 || true
# The memory blocks of every node, as a --root fixture needs them.
for n in /sys/devices/system/node/node[0-9]*; do
    echo "$(basename "$n"): $(find "$n" -maxdepth 1 -name 'memory[0-9]*' -printf '%f\n' | sort -V | xargs)"
done >"$E2E_OUT/numa-memory-blocks.txt"
cat /sys/devices/system/memory/block_size_bytes >>"$E2E_OUT/numa-memory-blocks.txt"

# region_node NAMESPACE: the NUMA node of the region holding NAMESPACE. ndctl prints a region's
# numa_node only with -v, so it is read where the kernel keeps it, /sys/bus/nd/devices/regionN/numa_node.
region_node() {
    python3 - "$1" "$E2E_OUT/ndctl-list-RN.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))
regions = d if isinstance(d, list) else d.get("regions", [])
def node(region):
    try:
        return open(f"/sys/bus/nd/devices/{region['dev']}/numa_node").read().strip()
    except OSError:
        return "none"
print(next((node(r) for r in regions for n in r.get("namespaces", []) if n.get("name") == sys.argv[1]), "missing"))
PY
}

# region_nodes: the NUMA nodes of every nd region, sorted, on one line.
region_nodes() { cat /sys/bus/nd/devices/region*/numa_node 2>/dev/null | sort -n | xargs; }

check_numa_layout() {
    local when=$1
    check "the guest has two NUMA nodes ($when)" \
        sh -c "[ \"\$(find /sys/devices/system/node -maxdepth 1 -name 'node[0-9]*' | wc -l)\" -eq 2 ]"
    check "the kernel runs with $memmap, one range per node ($when)" grep -qw -- "$memmap" /proc/cmdline
    check "the kernel runs with modprobe.blacklist=nd_e820 ($when)" grep -qw modprobe.blacklist=nd_e820 /proc/cmdline
    check "ramdax holds e820_pmem ($when)" sh -c 'basename "$(readlink /sys/bus/platform/devices/e820_pmem/driver)" | grep -qx ramdax'
    check "there are two regions, on NUMA nodes 0 and 1 (they are on: $(region_nodes); $when)" test "$(region_nodes)" = "0 1"
    check "namespace numa0-ext4 is in node 0's region (it says $(region_node numa0-ext4); $when)" test "$(region_node numa0-ext4)" = 0
    check "namespace numa1-xfs is in node 1's region (it says $(region_node numa1-xfs); $when)" test "$(region_node numa1-xfs)" = 1
    for node in 0 1; do
        check "numa_node: each made namespace vm-node$node in node $node's region (it says $(region_node vm-node$node); $when)" test "$(region_node vm-node$node)" = "$node"
        check "vm-node$node is a devdax namespace with its character device ($when)" sh -c "ndctl list -N | python3 -c \"import json,os,stat,sys; n=[n for n in json.load(sys.stdin) if n.get('name')=='vm-node$node']; sys.exit(0 if len(n)==1 and n[0].get('mode')=='devdax' and stat.S_ISCHR(os.stat('/dev/'+n[0]['chardev']).st_mode) else 1)\""
    done
    check "/mnt/numa0-ext4 is ext4 mounted with dax=always ($when)" sh -c "findmnt -no FSTYPE /mnt/numa0-ext4 | grep -qx ext4 && grep ' /mnt/numa0-ext4 ' /proc/self/mountinfo | grep -q dax=always"
    check "/mnt/numa1-xfs is XFS mounted with dax=always ($when)" sh -c "findmnt -no FSTYPE /mnt/numa1-xfs | grep -qx xfs && grep ' /mnt/numa1-xfs ' /proc/self/mountinfo | grep -q dax=always"
    check_transient_mounts "/dev/ramdax/numa0-ext4 /mnt/numa0-ext4" "/dev/ramdax/numa1-xfs /mnt/numa1-xfs"
    check "a file on /mnt/numa0-ext4 has STATX_ATTR_DAX ($when)" has_dax_attribute /mnt/numa0-ext4/.dax-probe
    check "a file on /mnt/numa1-xfs has STATX_ATTR_DAX ($when)" has_dax_attribute /mnt/numa1-xfs/.dax-probe
    check "status --format json lists the four namespaces and says every planned item is in place ($when)" \
        python3 -c "import json,sys; r=json.load(open('$E2E_OUT/status.json'))['reconcile']; ns=sorted(i['name'] for i in r['items'] if i['kind'].lower()=='namespace'); sys.exit(0 if ns==['numa0-ext4','numa1-xfs','vm-node0','vm-node1'] and all(i['state'] in ('ok','created','recreated_after_cold_boot') for i in r['items'] if i.get('planned', True)) else 1)"
    report_system_state
}

case $E2E_BOOT in
1)  check "the previous boot of the agent asked for the reboot" grep -q "reboot" "$E2E_OUT/agent-journal-previous-boot.txt"
    check_numa_layout "after the agent's reboot"
    for ns in numa0-ext4 numa1-xfs; do
        check "status says filesystem $ns was made this boot" test "$(item_state filesystem $ns)" = created
    done ;;
2)  check_numa_layout "after a cold boot"
    for ns in numa0-ext4 numa1-xfs; do
        check "status says namespace $ns was recreated after the cold boot" test "$(item_state namespace $ns)" = recreated_after_cold_boot
    done ;;
*)  echo "FAIL unexpected boot $E2E_BOOT" | tee -a "$CHECKS" ;;
esac
echo poweroff >"$E2E_ACTION_FILE"
