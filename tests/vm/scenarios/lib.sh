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

# textfile_has LINE: the node-exporter textfile holds LINE exactly.
textfile_has() { grep -qxF -- "$1" /var/lib/prometheus/node-exporter/ramdax_provision.prom; }

# journal_event MESSAGE_ID [FIELD=VALUE...]: this boot's journal has an entry with that id (and fields).
journal_event() { [ -n "$(journalctl -b --no-pager -o cat "MESSAGE_ID=$1" "${@:2}")" ]; }

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
    check_transient_mounts "/dev/ramdax/$p-ext4 /mnt/$p-ext4" "/dev/ramdax/$p-xfs /mnt/$p-xfs"
    check "a file on /mnt/$p-ext4 has STATX_ATTR_DAX" has_dax_attribute "/mnt/$p-ext4/.dax-probe"
    check "a file on /mnt/$p-xfs has STATX_ATTR_DAX" has_dax_attribute "/mnt/$p-xfs/.dax-probe"
    local dev
    dev=$(ndctl list -N | python3 -c "import json,sys; print(next(n['chardev'] for n in json.load(sys.stdin) if n.get('name')=='$p-dev'))" 2>/dev/null)
    check "the devdax node /dev/$dev is root:disk 0660" sh -c "[ -n '$dev' ] && [ \"\$(stat -c '%U:%G %a' /dev/$dev)\" = 'root:disk 660' ]"
    check "status --format json says every planned item is in place" \
        python3 -c "import json,sys; j=json.load(open('$E2E_OUT/status.json')); r=j['reconcile']; sys.exit(0 if r and all(i['state'] in ('ok','created','recreated_after_cold_boot') for i in r['items'] if i.get('planned', True)) else 1)"
    check "status shows the wanted arguments live" python3 -c "import json,sys; j=json.load(open('$E2E_OUT/status.json')); sys.exit(0 if not j['kernel_arguments']['missing'] and j['kernel_arguments']['wanted'] else 1)"
}

# check_transient_mounts "WHAT WHERE"...: each mount is systemd's transient unit (made by
# systemd-mount, no unit file anywhere under /etc), asked for WHAT on WHERE (the unit as systemd
# shows it goes to mount-units.txt); no mount unit file of the agent is in /etc/systemd/system;
# ramdax-provision.target was reached.
check_transient_mounts() {
    local pair what where unit dev
    for pair in "$@"; do
        read -r what where <<<"$pair"
        unit=$(systemd-escape --path --suffix=mount "$where")
        { systemctl show -p Transient,What,Where,FragmentPath,BindsTo,Requires,After "$unit"; systemctl cat "$unit"; } \
            >>"$E2E_OUT/mount-units.txt" 2>&1
        check "$unit is a transient unit" test "$(systemctl show -P Transient "$unit")" = yes
        # The agent names the stable link when udev has made it, else the node (the unit is the same).
        dev=$(findmnt -no SOURCE "$where" | head -n1)
        check "$unit mounted $dev, as $what or as the node itself (the agent's journal)" \
            grep -qE "mount '[^']+': created: mounted ($what \\($dev\\)|$dev) with dax=always through $(sed 's/\\/\\\\/g' <<<"$unit")" "$E2E_OUT/agent-journal.txt"
    done
    check "no mount unit file of the agent is in /etc/systemd/system" \
        sh -c "! grep -ls '^# Generated by ramdax-provision' /etc/systemd/system/*.mount"
    check "ramdax-provision.target is active (it requires the early unit's success)" systemctl is-active --quiet ramdax-provision.target
}

# The fsdax namespaces' mount points, from the machine (ndctl's block devices, then findmnt), one
# a line as "BLOCKDEV MOUNTPOINT".
fsdax_mounts() {
    local dev target
    for dev in $(ndctl list -N | python3 -c "import json,sys; [print(n['blockdev']) for n in json.load(sys.stdin) if n.get('mode')=='fsdax' and n.get('blockdev')]"); do
        target=$(findmnt -rno TARGET "/dev/$dev" | head -n1)
        [ -n "$target" ] && echo "$dev $target"
    done
}

devdax_nodes() { ndctl list -N | python3 -c "import json,sys; [print(n['chardev']) for n in json.load(sys.stdin) if n.get('mode')=='devdax' and n.get('chardev')]"; }

# Device DAX has no read(2)/write(2), only mmap(2) (in multiples of its 2 MiB alignment): dd
# cannot write it, so Python maps it.
devdax_put() { # devdax_put DEV FILE: FILE's bytes to the start of DEV
    python3 - "$1" "$2" <<'PY'
import mmap, os, sys
data = open(sys.argv[2], "rb").read()
fd = os.open(sys.argv[1], os.O_RDWR)
m = mmap.mmap(fd, len(data), mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
m[:] = data
m.flush()
m.close()
os.close(fd)
PY
}
devdax_sha256() { # devdax_sha256 DEV BYTES: sha256 of the first BYTES of DEV
    python3 - "$1" "$2" <<'PY'
import hashlib, mmap, os, sys
n = int(sys.argv[2])
fd = os.open(sys.argv[1], os.O_RDONLY)
m = mmap.mmap(fd, n, mmap.MAP_SHARED, mmap.PROT_READ)
print(hashlib.sha256(m[:n]).hexdigest())
PY
}

# write_dax_data DIR: a 1 MiB random file on every fsdax mount and a 4 MiB random pattern at the
# start of every devdax device; the originals and their sha256 sums go to DIR (on the results
# disk) for check_dax_data after a kexec or reboot.
write_dax_data() {
    local dir=$1 dev target
    mkdir -p "$dir"
    : >"$dir/fsdax.txt"
    : >"$dir/devdax.txt"
    while read -r dev target; do
        head -c 1M /dev/urandom >"$dir/$dev.bin"
        cp "$dir/$dev.bin" "$target/ramdax-e2e-kept.bin"
        echo "$dev $target $(sha256sum <"$dir/$dev.bin" | cut -d' ' -f1)" >>"$dir/fsdax.txt"
    done < <(fsdax_mounts)
    for dev in $(devdax_nodes); do
        head -c 4M /dev/urandom >"$dir/$dev.bin"
        devdax_put "/dev/$dev" "$dir/$dev.bin"
        echo "$dev $(sha256sum <"$dir/$dev.bin" | cut -d' ' -f1)" >>"$dir/devdax.txt"
    done
    sync
    check "data was written to 2 fsdax mounts and 1 devdax device ($(cut -d' ' -f2 "$dir/fsdax.txt" | xargs) /dev/$(cut -d' ' -f1 "$dir/devdax.txt" | xargs))" \
        sh -c "[ \$(wc -l <'$dir/fsdax.txt') -eq 2 ] && [ \$(wc -l <'$dir/devdax.txt') -eq 1 ]"
    local sum
    while read -r dev sum; do
        check "the pattern reads back from /dev/$dev right after it was written (sha256)" test "$(devdax_sha256 "/dev/$dev" 4194304)" = "$sum"
    done <"$dir/devdax.txt"
}

# check_dax_data DIR WHEN: every file and pattern write_dax_data wrote reads back byte for byte.
# The devices are found again by namespace order (ndctl's names may change after a cold boot; a
# kexec or warm reboot keeps them).
check_dax_data() {
    local dir=$1 when=$2 dev target sum
    [ -s "$dir/fsdax.txt" ] || { echo "FAIL no data was recorded before ($dir/fsdax.txt)" | tee -a "$CHECKS"; return; }
    while read -r dev target sum; do
        check "$target/ramdax-e2e-kept.bin reads back byte for byte $when" cmp "$target/ramdax-e2e-kept.bin" "$dir/$dev.bin"
        check "$target is still on /dev/$dev $when" sh -c "findmnt -rno SOURCE '$target' | grep -qx /dev/$dev"
    done <"$dir/fsdax.txt"
    while read -r dev sum; do
        check "the 4 MiB pattern reads back from /dev/$dev byte for byte $when (sha256 $sum)" \
            test "$(devdax_sha256 "/dev/$dev" 4194304)" = "$sum"
    done <"$dir/devdax.txt"
}

# What an operator reads for the host's health: systemctl is-system-running says running once the
# boot has finished (--wait: the hook starts as the boot ends), and no unit failed. ndctl-monitor.service
# (Debian's ndctl) would fail on ramdax DIMMs ("no dimms to monitor"); the package's drop-in makes that
# exit clean, so it is not excepted here.
# capture_nd_sysfs DEST: /sys/bus/nd/devices as the kernel shows it, for fixtures: every readable
# attribute of every device and of its children (block/pmemN, daxN.M/daxN.M), byte for byte
# (cat), and each symlink's target as one line in NAME.link (driver, subsystem). power/ and
# firmware_node are left out.
capture_nd_sysfs() {
    local dest=$1 dev name f
    for dev in /sys/bus/nd/devices/*; do
        name=$(basename "$dev")
        (cd "$dev/" && find . -maxdepth 3 \( -name power -o -name firmware_node -o -name subsystem \) -prune -o \( -type f -o -type l -o -type d \) -print) |
            while IFS= read -r f; do
                f=${f#./}
                [ "$f" = . ] && continue
                if [ -L "$dev/$f" ]; then
                    mkdir -p "$dest/$name/$(dirname "$f")"
                    readlink "$dev/$f" >"$dest/$name/$f.link"
                elif [ -d "$dev/$f" ]; then
                    mkdir -p "$dest/$name/$f"
                elif [ -r "$dev/$f" ]; then
                    mkdir -p "$dest/$name/$(dirname "$f")"
                    cat "$dev/$f" >"$dest/$name/$f" 2>/dev/null || rm -f "$dest/$name/$f"
                fi
            done
        readlink "$dev" >"$dest/$name.link"
    done
}

report_system_state() {
    local state failed_units
    state=$(timeout 300 systemctl is-system-running --wait 2>/dev/null)
    failed_units=$(systemctl --failed --no-legend --plain | cut -d' ' -f1 | xargs)
    check "systemctl is-system-running says running (it says ${state:-nothing}; failed units: ${failed_units:-none})" \
        test "$state" = running
}

journal_boots() { journalctl --list-boots --no-pager | grep -cE '^ *-?[0-9]+ +[0-9a-f]{32} '; }

# check_decided_from_sysfs WHEN: on a converged boot the agent read every region's namespaces
# from sysfs and never had to ask ndctl (it says why whenever it does).
check_decided_from_sysfs() {
    check "the agent decided from sysfs alone, without ndctl list ($1)" \
        sh -c "grep -q 'namespace' '$E2E_OUT/agent-journal.txt' && ! grep -q 'reading it with ndctl list' '$E2E_OUT/agent-journal.txt'"
}

# check_kept DIR WHEN: after a kexec or a warm reboot the agent found every namespace and
# filesystem of the e2e configuration and changed nothing (reused, nothing created, no mkfs), and
# everything write_dax_data wrote to DIR before reads back.
check_kept() {
    local dir=$1 when=$2 ns
    for ns in e2e-ext4 e2e-xfs e2e-dev; do
        check "status says namespace $ns was reused (ok, '... reused') $when" \
            sh -c "[ '$(item_state namespace $ns)' = ok ] && python3 -c \"import json,sys; j=json.load(open('$E2E_OUT/status.json')); sys.exit(0 if any(i['name']=='$ns' and i['kind'].lower()=='namespace' and i['reason'].endswith('reused') for i in j['reconcile']['items']) else 1)\""
        check "the agent's journal says namespace $ns: ok, reused $when" \
            grep -Eq "namespace '$ns': ok: .*reused" "$E2E_OUT/agent-journal.txt"
    done
    check "the agent's journal of this boot shows no namespace created or recreated $when" \
        sh -c "! grep -Eq \"namespace '[^']+': (created|recreated)\" '$E2E_OUT/agent-journal.txt'"
    check "no mkfs ran on this boot ($when)" sh -c "! grep -Eq 'mkfs\\.(ext4|xfs) ' '$E2E_OUT/agent-journal.txt'"
    check_decided_from_sysfs "$when"
    check "status says both filesystems were reused (ok) $when" \
        sh -c "[ '$(item_state filesystem e2e-ext4)' = ok ] && [ '$(item_state filesystem e2e-xfs)' = ok ]"
    check_dax_data "$dir" "$when"
}
