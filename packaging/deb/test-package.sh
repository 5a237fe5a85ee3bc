#!/bin/bash
# Installs, checks, removes and purges the package in a fresh Debian 12 (bookworm) chroot.
#
#   packaging/deb/test-package.sh [--deb PATH] [--binary PATH] [--skip-missing-commands] [--keep]
#
#   --deb PATH                test this package instead of building one with build.sh
#   --binary PATH             build the package around this executable (passed to build.sh)
#   --skip-missing-commands   commands the units and hooks call (apply, status, revert, clean)
#                             that this build does not have yet are reported as SKIP, not FAIL
#   --keep                    keep the chroot (its path is printed) for a look around
#
# Needs root (debootstrap, chroot) and the Debian mirror. The minbase chroot is built once and
# cached as a tarball in /var/cache/ramdax-provision-test/, keyed by the hash of the function
# that builds it, and rebuilt after a week so that its apt lists stay usable; downloaded .debs
# are cached there too.
# No systemd runs in the chroot (policy-rc.d forbids starting services): enablement is checked
# through the symlinks in /etc/systemd/system/*.wants. Prints one PASS or FAIL line per check
# and ends with "N passed, M failed"; the exit status is 0 only when nothing failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
suite=bookworm
mirror=${RAMDAX_TEST_MIRROR:-http://deb.debian.org/debian}
cache=/var/cache/ramdax-provision-test
deb=""
binary_args=()
skip_missing=0
keep=0

while [ $# -gt 0 ]; do
    case "$1" in
        --deb) deb=$(realpath "${2:?--deb needs a path}"); shift 2 ;;
        --binary) binary_args=(--binary "$(realpath "${2:?--binary needs a path}")"); shift 2 ;;
        --skip-missing-commands) skip_missing=1; shift ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "test-package.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

[ "$(id -u)" -eq 0 ] || { echo "test-package.sh: needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap

passed=0
failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
# check DESCRIPTION COMMAND...: PASS when the command succeeds.
check() {
    local description=$1
    shift
    if "$@" >"$work/check.out" 2>&1; then
        pass "$description"
    else
        fail "$description"
        sed 's/^/    | /' "$work/check.out" | head -n 20
    fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/ramdax-provision-test.XXXXXX")
root="$work/root"
mounted=()
cleanup() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount -l "${mounted[i]}" 2>/dev/null || true
    done
    if [ "$keep" -eq 1 ]; then
        echo "chroot kept in $root"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# Runs a command inside the chroot with a clean environment.
in_root() {
    chroot "$root" /usr/bin/env -i \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# --- the package -----------------------------------------------------------------------------
if [ -z "$deb" ]; then
    echo "== building the package"
    "$here/build.sh" "${binary_args[@]}" --out "$work/out" --no-lintian >"$work/build.log" 2>&1 \
        || { tail -n 40 "$work/build.log"; echo "0 passed, 1 failed"; exit 1; }
    deb=$(ls "$work"/out/ramdax-provision_*_amd64.deb)
fi
version=$(dpkg-deb -f "$deb" Version)
echo "== testing $(basename "$deb")"

# --- the base chroot, cached -----------------------------------------------------------------
# The cache key is the text of this function (and the suite and mirror): editing the tests does
# not throw the cached chroot away, changing how it is built does.
build_base() {
    local target=$1
    debootstrap --variant=minbase --cache-dir="$cache/archives" "$suite" "$target" "$mirror" \
        >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log"; return 1; }
    printf 'deb %s %s main\n' "$mirror" "$suite" >"$target/etc/apt/sources.list"
    printf 'APT::Install-Recommends "false";\n' >"$target/etc/apt/apt.conf.d/90no-recommends"
    chroot "$target" apt-get update -qq
    chroot "$target" apt-get clean
}
mkdir -p "$cache/archives"
key=$( { declare -f build_base; echo "$suite $mirror"; } | sha256sum | cut -c1-16)
base="$cache/$suite-minbase-$key.tar"
if [ -f "$base" ] && [ -n "$(find "$base" -mtime +7)" ]; then
    rm -f "$base"
fi
if [ ! -f "$base" ]; then
    echo "== debootstrap $suite minbase (cached as $base)"
    mkdir "$work/base"
    build_base "$work/base" || exit 1
    tar -C "$work/base" -cf "$base.partial" . && mv "$base.partial" "$base"
    rm -rf "$work/base"
    find "$cache" -maxdepth 1 -name "$suite-minbase-*.tar" ! -name "$(basename "$base")" -delete
fi
mkdir "$root"
tar -C "$root" -xf "$base"

# No daemon may start in the chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc" && mounted+=("$root/proc")
mount --bind "$cache/archives" "$root/var/cache/apt/archives" && mounted+=("$root/var/cache/apt/archives")
cp "$deb" "$root/tmp/"
debname=/tmp/$(basename "$deb")

# Stand-ins that record being called, for the boot configuration tools the purge runs.
mkdir -p "$root/usr/local/sbin" "$root/usr/local/bin" "$root/boot/grub" "$root/etc/default/grub.d" "$root/etc/kernel"
printf '#!/bin/sh\necho "update-grub $*" >>/tmp/boot-tools.log\n' >"$root/usr/local/sbin/update-grub"
printf '#!/bin/sh\necho "kernel-install $*" >>/tmp/boot-tools.log\n' >"$root/usr/local/bin/kernel-install"
chmod 0755 "$root/usr/local/sbin/update-grub" "$root/usr/local/bin/kernel-install"
: >"$root/boot/grub/grub.cfg"
: >"$root/boot/vmlinuz-6.1.0-test-amd64"
echo "root=UUID=0000 ro quiet" >"$root/etc/kernel/cmdline"

# What the agent leaves on a provisioned machine, as far as the package must clean it up.
seed_agent_footprint() {
    mkdir -p "$root/var/lib/ramdax-provision" "$root/run/ramdax-provision"
    echo '{"plan":"recorded"}' >"$root/var/lib/ramdax-provision/plan.json"
    printf 'memmap=2G!4G\nmodprobe.blacklist=nd_e820\n' >"$root/var/lib/ramdax-provision/kernel-arguments"
    : >"$root/run/ramdax-provision/lock"
    echo 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT memmap=2G!4G modprobe.blacklist=nd_e820"' \
        >"$root/etc/default/grub.d/ramdax-provision.cfg"
    echo "root=UUID=0000 ro quiet memmap=2G!4G modprobe.blacklist=nd_e820" >"$root/etc/kernel/cmdline"
    echo 'KERNEL=="dax0.1", OWNER="root", GROUP="kvm", MODE="0660"' >"$root/etc/udev/rules.d/70-ramdax-provision-guests.rules"
    rm -f "$root/tmp/boot-tools.log"
}

# Every path of the chroot with its type and mode; volatile places left out.
file_list() {
    (cd "$root" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./var/cache/apt -o -path ./var/log \
        -o -path ./var/lib/apt/lists -o -path './var/lib/dpkg/*-old' \) -prune -o -printf '%y %m %u:%g %p\n') | sort
}

# --- install ---------------------------------------------------------------------------------
echo "== install"
if in_root dpkg -i "$debname" >"$work/dpkg-i.log" 2>&1; then
    pass "dpkg -i succeeded (its dependencies were already there)"
else
    if grep -q "dependency problems" "$work/dpkg-i.log"; then
        pass "dpkg -i stops at missing dependencies, as expected in a fresh chroot"
    else
        fail "dpkg -i failed for another reason than dependencies"
        sed 's/^/    | /' "$work/dpkg-i.log" | tail -n 20
    fi
fi
check "apt-get -f install pulls in the dependencies and configures the package" in_root apt-get -f install -y -qq
check "the package is installed (ii) at version $version" \
    sh -c "chroot '$root' dpkg-query -W -f '\${db:Status-Abbrev}\${Version}' ramdax-provision | grep -qx 'ii $version'"
check "no .NET runtime was pulled in" sh -c "! chroot '$root' dpkg -l | grep -Eq 'dotnet|aspnetcore'"

# --- files and modes -------------------------------------------------------------------------
expect_file() {
    local path=$1 mode=$2 stat
    stat=$(stat -c '%a %U:%G %F' "$root$path" 2>/dev/null || true)
    case "$stat" in
        "$mode root:root regular file"|"$mode root:root regular empty file") pass "$path is a file, mode $mode, root:root" ;;
        *) fail "$path should be a file, mode $mode, root:root; is: ${stat:-missing}" ;;
    esac
}
expect_file /usr/sbin/ramdax-provision 755
expect_file /usr/lib/systemd/system/ramdax-provision.service 644
expect_file /usr/lib/systemd/system/ramdax-provision-instance.service 644
expect_file /usr/lib/systemd/system/ramdax-provision.target 644
expect_file /usr/lib/systemd/system/ndctl-monitor.service.d/ramdax-provision.conf 644
expect_file /usr/lib/udev/rules.d/60-ramdax-provision.rules 644
expect_file /etc/ramdax-provision/config.yaml 644
expect_file /etc/cloud/clean.d/ramdax-provision 755
expect_file /usr/share/bash-completion/completions/ramdax-provision 644
expect_file /usr/share/ramdax-provision/config.schema.json 644
expect_file /usr/share/man/man8/ramdax-provision.8.gz 644
expect_file /usr/share/doc/ramdax-provision/copyright 644
expect_file /usr/share/doc/ramdax-provision/changelog.gz 644
for example in "$repo"/templates/examples/*.yaml; do
    expect_file "/usr/share/doc/ramdax-provision/examples/$(basename "$example")" 644
done
check "the copyright file is machine-readable (DEP-5)" \
    grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$root/usr/share/doc/ramdax-provision/copyright"
check "the examples include a #cloud-config that writes a config.d drop-in" \
    sh -c "grep -lx '#cloud-config' '$root'/usr/share/doc/ramdax-provision/examples/*.yaml | xargs grep -l 'path: /etc/ramdax-provision/config.d/'"
check "the examples include instance-type profiles" \
    grep -lq '^profiles:' "$root"/usr/share/doc/ramdax-provision/examples/instance-profiles.yaml
conffiles=$(in_root dpkg-query -W -f '${Conffiles}' ramdax-provision | awk '{print $1}' | sort | tr '\n' ' ')
check "the conffiles are exactly config.yaml and the cloud-init clean hook ($conffiles)" \
    test "$conffiles" = "/etc/cloud/clean.d/ramdax-provision /etc/ramdax-provision/config.yaml "
check "the shipped config.yaml is all comments (an installed package changes nothing)" \
    sh -c "! grep -Ev '^[[:space:]]*(#|$)' '$root/etc/ramdax-provision/config.yaml'"

# --- enablement ------------------------------------------------------------------------------
expect_link() {
    local link=$1 unit=$2 target
    target=$(readlink "$root$link" 2>/dev/null || true)
    # deb-systemd-helper links to /lib/systemd/system when /lib exists; on merged-/usr bookworm
    # that is the same directory as /usr/lib/systemd/system, where the package put the unit.
    case "$target" in
        "/usr/lib/systemd/system/$unit"|"/lib/systemd/system/$unit")
            if [ -f "$root$target" ]; then
                pass "$link -> $target"
                return
            fi
            ;;
    esac
    fail "$link should point at /usr/lib/systemd/system/$unit; is: ${target:-missing}"
}
expect_link /etc/systemd/system/sysinit.target.wants/ramdax-provision.service ramdax-provision.service
expect_link /etc/systemd/system/multi-user.target.wants/ramdax-provision-instance.service ramdax-provision-instance.service
expect_link /etc/systemd/system/multi-user.target.wants/ramdax-provision.target ramdax-provision.target
for unit in ramdax-provision.service ramdax-provision-instance.service ramdax-provision.target; do
    check "systemctl is-enabled $unit (offline, in the chroot)" \
        sh -c "chroot '$root' systemctl is-enabled $unit | grep -qx enabled"
done
verify_units() {
    local out status=0
    out=$(in_root systemd-analyze verify --man=no /usr/lib/systemd/system/ramdax-provision.service \
        /usr/lib/systemd/system/ramdax-provision-instance.service /usr/lib/systemd/system/ramdax-provision.target 2>&1) || status=$?
    echo "$out"
    [ "$status" -eq 0 ] && ! grep -q ramdax <<<"$out"
}
check "systemd-analyze verify accepts the units" verify_units
check "the early unit runs 'apply --offline --reboot never' before local-fs.target without default dependencies" \
    sh -c "grep -qx 'ExecStart=/usr/sbin/ramdax-provision apply --offline --reboot never' '$root/usr/lib/systemd/system/ramdax-provision.service' \
        && grep -qx 'DefaultDependencies=no' '$root/usr/lib/systemd/system/ramdax-provision.service' \
        && grep -q '^Before=local-fs.target' '$root/usr/lib/systemd/system/ramdax-provision.service'"

for unit in ramdax-provision.service ramdax-provision-instance.service; do
    check "$unit writes its lines to the console as well as the journal (StandardOutput=journal+console)" \
        sh -c "chroot '$root' systemd-analyze cat-config systemd/system/$unit | grep -qx 'StandardOutput=journal+console'"
done

# The early unit's hardening (9.5 "UNSAFE" without it, 5.1 with it): keep it from slipping back.
check "systemd-analyze security rates the early unit's exposure at most 6.0 of 10" \
    in_root systemd-analyze security --offline=true --threshold=60 /usr/lib/systemd/system/ramdax-provision.service
for unit in ramdax-provision.service ramdax-provision-instance.service; do
    check "$unit has the kill switch (ConditionKernelCommandLine=!ramdax-provision.disable, ConditionPathExists=!/etc/ramdax-provision/disabled)" \
        sh -c "grep -qx 'ConditionKernelCommandLine=!ramdax-provision.disable' '$root/usr/lib/systemd/system/$unit' \
            && grep -qx 'ConditionPathExists=!/etc/ramdax-provision/disabled' '$root/usr/lib/systemd/system/$unit'"
done
# systemd's own evaluation of the file condition, before and after the file exists (this host's
# kernel command line has no ramdax-provision.disable, so that condition holds).
check "systemd-analyze condition: the kill-switch conditions hold without /etc/ramdax-provision/disabled" \
    in_root systemd-analyze condition 'ConditionKernelCommandLine=!ramdax-provision.disable' 'ConditionPathExists=!/etc/ramdax-provision/disabled'
: >"$root/etc/ramdax-provision/disabled"
check "systemd-analyze condition: they fail once /etc/ramdax-provision/disabled exists" \
    sh -c "! chroot '$root' systemd-analyze condition 'ConditionPathExists=!/etc/ramdax-provision/disabled'"
check "apply in the chroot refuses to act while /etc/ramdax-provision/disabled exists" \
    sh -c "chroot '$root' ramdax-provision apply --offline --reboot never | grep -q '^apply: disabled: the file /etc/ramdax-provision/disabled exists' \
        && test ! -e '$root/var/lib/ramdax-provision/state.json'"
rm -f "$root/etc/ramdax-provision/disabled"

# --- udev rule: udevadm parses every rule file when it simulates an event ----------------------
mount --bind /sys "$root/sys" && mounted+=("$root/sys")

# --- ndctl-monitor.service: its "nothing to monitor" exit is clean ----------------------------
monitor_unit=""
for dir in /usr/lib/systemd/system /lib/systemd/system; do
    if [ -f "$root$dir/ndctl-monitor.service" ]; then
        monitor_unit=$dir/ndctl-monitor.service
        break
    fi
done
check "ndctl (a dependency) installed ndctl-monitor.service (${monitor_unit:-missing})" test -n "$monitor_unit"
verify_monitor() {
    local out status=0
    out=$(in_root systemd-analyze verify --man=no "$monitor_unit" 2>&1) || status=$?
    echo "$out"
    [ "$status" -eq 0 ] && ! grep -q ramdax <<<"$out"
}
check "systemd-analyze verify accepts ndctl-monitor.service with the package's drop-in" verify_monitor
check "the drop-in is read for ndctl-monitor.service and makes exit 250 clean" \
    sh -c "chroot '$root' systemd-analyze cat-config systemd/system/ndctl-monitor.service \
        | grep -A 20 '^# /usr/lib/systemd/system/ndctl-monitor.service.d/ramdax-provision.conf' | grep -qx 'SuccessExitStatus=250'"
# This host has no DIMM with SMART support either, so the unit's own command, run here, exits as
# it does on a ramdax host; the drop-in must name that status.
monitor_exec=$(sed -n 's/^ExecStart=//p' "$root$monitor_unit" | head -n 1)
set +e
in_root timeout 30 $monitor_exec >"$work/monitor.log" 2>&1
monitor_status=$?
set -e
check "the unit's '$monitor_exec' finds no DIMM to monitor here and exits 250, the status the drop-in makes clean (exit $monitor_status)" \
    sh -c "[ $monitor_status -eq 250 ] && grep -q 'no dimms to monitor' '$work/monitor.log'"
in_root udevadm test --action=add /class/mem/null >"$work/udev.log" 2>&1 || true
check "udevadm reads 60-ramdax-provision.rules without a complaint" \
    sh -c "grep -q '60-ramdax-provision.rules' '$work/udev.log' && ! grep -E '60-ramdax-provision.rules:[0-9]+' '$work/udev.log'"
umount -l "$root/sys" && unset 'mounted[${#mounted[@]}-1]'

# --- the executable ----------------------------------------------------------------------------
check "ramdax-provision --help" in_root ramdax-provision --help
check "ramdax-provision version prints $version" \
    sh -c "chroot '$root' /usr/sbin/ramdax-provision version | grep -qx 'ramdax-provision $version'"
check "the shipped config.yaml validates" in_root ramdax-provision validate /etc/ramdax-provision/config.yaml
# Setting lines are commented as '#key' or '#  key'; explanations as '# text'.
sed -E '/^#( [^ ]|$)/d; s/^#//' "$root/etc/ramdax-provision/config.yaml" >"$root/tmp/config-uncommented.yaml"
check "config.yaml with every setting uncommented validates" \
    sh -c "grep -q '^carveout:' '$root/tmp/config-uncommented.yaml' && chroot '$root' ramdax-provision validate /tmp/config-uncommented.yaml"
for example in "$root"/usr/share/doc/ramdax-provision/examples/*.yaml; do
    check "example $(basename "$example") validates" in_root ramdax-provision validate "/usr/share/doc/ramdax-provision/examples/$(basename "$example")"
done
# Profiles only take effect as the machine's own configuration; plan on a recorded machine.
fixture="$repo/tests/fixtures/roots/qemu-6G-memmap2G"
if [ -d "$fixture" ]; then
    mkdir -p "$root/tmp/machine"
    cp -a "$fixture/." "$root/tmp/machine/"
    mkdir -p "$root/tmp/machine/etc/ramdax-provision"
    cp "$root/usr/share/doc/ramdax-provision/examples/instance-profiles.yaml" "$root/tmp/machine/etc/ramdax-provision/config.yaml"
    for type in r7i.2xlarge Standard_E8s_v5 n2-highmem-8; do
        set +e
        in_root ramdax-provision plan --root /tmp/machine --set "instance.type=$type" >"$work/plan.out" 2>&1
        status=$?
        set -e
        if [ $status -eq 0 ] || [ $status -eq 3 ]; then
            pass "the $type profile of instance-profiles.yaml plans (exit $status: 0 planned, 3 too big for the recorded machine)"
        else
            fail "the $type profile of instance-profiles.yaml: plan exit $status"
            sed 's/^/    | /' "$work/plan.out" | head -n 10
        fi
    done
fi

# --- the manual page and the completion agree with the executable ------------------------------
zcat "$root/usr/share/man/man8/ramdax-provision.8.gz" >"$work/man.8"
check "the manual page renders without warnings" \
    sh -c "out=\$(man --warnings -E UTF-8 -l -Tutf8 -Z '$work/man.8' 2>&1 >/dev/null); [ -z \"\$out\" ] || { echo \"\$out\"; false; }"
codes=$(sed -n 's/.*public const int [A-Za-z]* = \([0-9]*\);.*/\1/p' "$repo/src/RamDax.Provision/ExitCodes.cs")
for code in $codes; do
    check "the manual page documents exit code $code" grep -qx ".B $code" "$work/man.8"
done
commands=$(in_root ramdax-provision --help | awk '/^Commands:/ {on=1; next} on && NF {print $1}')
for command in $commands; do
    check "the manual page and the completion know the command '$command'" \
        sh -c "grep -q '^\\.B ramdax-provision $command' '$work/man.8' && grep -q \"commands='.*$command\" '$root/usr/share/bash-completion/completions/ramdax-provision'"
done
check "the bash completion parses" in_root bash -n /usr/share/bash-completion/completions/ramdax-provision

# Commands the units and hooks call; another part of the code base provides them.
# (An unknown command with --help prints the top-level help and exits 0, so ask the command list.)
for command in apply status revert clean; do
    if grep -qx "$command" <<<"$commands"; then
        pass "ramdax-provision $command exists (the units or hooks call it)"
    elif [ "$skip_missing" -eq 1 ]; then
        echo "SKIP ramdax-provision $command is not in this build yet"
    else
        fail "ramdax-provision $command does not exist, but the units or hooks call it"
    fi
done

# --- remove ------------------------------------------------------------------------------------
echo "== remove"
seed_agent_footprint
check "dpkg -r succeeds" in_root dpkg -r ramdax-provision
check "the package is removed with its configuration kept (rc)" \
    sh -c "chroot '$root' dpkg-query -W -f '\${db:Status-Abbrev}' ramdax-provision | grep -qx 'rc '"
check "the executable is gone" test ! -e "$root/usr/sbin/ramdax-provision"
check "the units are gone" sh -c "! ls '$root'/usr/lib/systemd/system/ramdax-provision* 2>/dev/null"
check "the conffiles stay" test -f "$root/etc/ramdax-provision/config.yaml" -a -x "$root/etc/cloud/clean.d/ramdax-provision"
check "the state stays" test -f "$root/var/lib/ramdax-provision/plan.json"
check "the kernel arguments stay (GRUB drop-in, /etc/kernel/cmdline) and no boot tool ran" \
    sh -c "test -f '$root/etc/default/grub.d/ramdax-provision.cfg' && grep -q 'memmap=2G!4G' '$root/etc/kernel/cmdline' && test ! -e '$root/tmp/boot-tools.log'"
check "the cloud-init clean hook exits 0 without the executable" in_root /etc/cloud/clean.d/ramdax-provision

# --- purge -------------------------------------------------------------------------------------
echo "== purge"
# A mount unit file an earlier release of the agent wrote (found by its first line) and one the
# administrator wrote for another disk.
printf '# Generated by ramdax-provision on every boot from its configuration; edits here are replaced.\n[Mount]\nWhat=/dev/pmem0\nWhere=/mnt/old\n' \
    >"$root/etc/systemd/system/mnt-old.mount"
printf '[Mount]\nWhat=/dev/sdb1\nWhere=/srv/data\n' >"$root/etc/systemd/system/srv-data.mount"
# The agent's textfiles (the default one, and one at a configured path it noted) and another
# exporter's file beside them.
mkdir -p "$root/var/lib/prometheus/node-exporter" "$root/srv/textfiles"
printf '# HELP ramdax_provision_carved_bytes x\n' >"$root/var/lib/prometheus/node-exporter/ramdax_provision.prom"
printf '# HELP ramdax_provision_carved_bytes x\n' >"$root/srv/textfiles/ramdax.prom"
printf '# HELP node_other x\n' >"$root/srv/textfiles/other.prom"
echo /srv/textfiles/ramdax.prom >"$root/var/lib/ramdax-provision/metrics-textfile"
check "dpkg -P succeeds" in_root dpkg -P ramdax-provision
check "the agent's Prometheus textfiles are gone (default and noted path), another exporter's stays" \
    sh -c "test ! -e '$root/var/lib/prometheus/node-exporter/ramdax_provision.prom' -a ! -e '$root/srv/textfiles/ramdax.prom' -a -f '$root/srv/textfiles/other.prom'"
rm -rf "$root/var/lib/prometheus" "$root/srv/textfiles"
check "the mount unit file an earlier release wrote is gone, the administrator's stays" \
    test ! -e "$root/etc/systemd/system/mnt-old.mount" -a -f "$root/etc/systemd/system/srv-data.mount"
rm -f "$root/etc/systemd/system/srv-data.mount"
check "dpkg no longer knows the package" sh -c "! chroot '$root' dpkg-query -W ramdax-provision 2>/dev/null"
check "the configuration is gone" test ! -e "$root/etc/ramdax-provision" -a ! -e "$root/etc/cloud/clean.d/ramdax-provision"
check "the state is gone (/var/lib, /run)" test ! -e "$root/var/lib/ramdax-provision" -a ! -e "$root/run/ramdax-provision"
check "the GRUB drop-in is gone and update-grub ran" \
    sh -c "test ! -e '$root/etc/default/grub.d/ramdax-provision.cfg' && grep -qx 'update-grub ' '$root/tmp/boot-tools.log'"
check "/etc/kernel/cmdline lost exactly the agent's arguments and kernel-install rebuilt the entry" \
    sh -c "grep -qx 'root=UUID=0000 ro quiet' '$root/etc/kernel/cmdline' \
        && grep -qx 'kernel-install add 6.1.0-test-amd64 /boot/vmlinuz-6.1.0-test-amd64' '$root/tmp/boot-tools.log'"
check "the generated udev rules are gone" sh -c "! ls '$root'/etc/udev/rules.d/*ramdax-provision* 2>/dev/null"
check "the enablement symlinks are gone" sh -c "! find '$root/etc/systemd' -name 'ramdax-provision*' | grep ."
leftovers=$(cd "$root" && find . -xdev \( -path ./proc -o -path ./tmp \) -prune -o -name '*ramdax*' -print)
check "no path named after the agent remains${leftovers:+: $leftovers}" test -z "$leftovers"

# --- a second round: after install and purge the file list is what it was before ----------------
echo "== install and purge again, comparing file lists"
file_list >"$work/before.txt"
check "dpkg -i succeeds now that the dependencies are there" in_root dpkg -i "$debname"
seed_agent_footprint
echo "root=UUID=0000 ro quiet memmap=2G!4G modprobe.blacklist=nd_e820" >"$root/etc/kernel/cmdline"
check "dpkg -P succeeds" in_root dpkg -P ramdax-provision
file_list >"$work/after.txt"
if diff -u "$work/before.txt" "$work/after.txt" >"$work/files.diff"; then
    pass "install + purge leaves the same files, types, modes and owners as before ($(wc -l <"$work/before.txt") paths)"
else
    fail "install + purge changed the file list"
    sed 's/^/    | /' "$work/files.diff" | head -n 30
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
