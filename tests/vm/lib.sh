# shellcheck shell=bash
# Helpers shared by the VM test scripts. Source it; it does nothing by itself.
#
# build-image.sh hashes this file into its cache key, so any change here
# rebuilds the base image. Keep it free of things that do not affect images
# or tests.

# Everything the scripts print for humans goes to stderr so that stdout can
# carry a machine-readable answer (build-image.sh prints the image path).
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The Debian package behind every host program the harness runs comes from the project's one
# list, tests/host-tools.tsv (tests/run.sh installs all of it up front). CI starts from a fresh
# machine, so a script run on its own still checks (and, as root, installs) what it uses.
VM_HOST_TOOLS_LIST=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/host-tools.tsv

# ensure_host_tools TOOL...: install the packages behind missing tools.
ensure_host_tools() {
    local tool package missing=()
    for tool in "$@"; do
        # A path row (firmware, headers) is a file, not a program on PATH.
        if [[ $tool == /* ]]; then [[ -e $tool ]] && continue
        else command -v "$tool" >/dev/null 2>&1 && continue; fi
        package=$(awk -v p="$tool" '!/^[[:space:]]*#/ && $1 == p { print $2 }' "$VM_HOST_TOOLS_LIST")
        [[ -n $package && $package != - ]] || die "no Debian package for $tool in $VM_HOST_TOOLS_LIST"
        missing+=("$package")
    done
    ((${#missing[@]} == 0)) && return 0
    [[ $EUID -eq 0 ]] || die "missing host packages (run as root to install): ${missing[*]}"
    log "installing host packages: ${missing[*]}"
    # Debian's default configuration; nothing else is reachable from CI anyway.
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >&2
}

# A cleanup stack run on exit, newest first, so that a failure half-way
# through a build still unmounts filesystems and detaches loop devices in the
# right order. Each entry is a command string; failures are ignored so that
# one stuck mount does not leave the loop device behind.
_VM_CLEANUPS=()
push_cleanup() { _VM_CLEANUPS+=("$1"); }
pop_cleanup() {
    # Run and drop the newest entry (used when a step finishes normally).
    local n=$((${#_VM_CLEANUPS[@]} - 1))
    ((n >= 0)) || return 0
    eval "${_VM_CLEANUPS[n]}" || true
    unset "_VM_CLEANUPS[n]"
}
run_cleanups() {
    while ((${#_VM_CLEANUPS[@]} > 0)); do pop_cleanup; done
}
# cleanups_to N: run entries newer than the first N (undo one step's mounts).
cleanups_to() {
    while ((${#_VM_CLEANUPS[@]} > $1)); do pop_cleanup; done
}
trap run_cleanups EXIT
# Turn signals into a normal exit so the EXIT trap runs the cleanups.
trap 'exit 130' INT
trap 'exit 143' TERM

# Phase timing: `phase_start NAME` ... `phase_end` logs and records seconds
# in PHASE_TIMES (name=seconds lines) for the caller's summary.
PHASE_TIMES=()
_PHASE_NAME=""
_PHASE_T0=0
phase_start() { _PHASE_NAME=$1; _PHASE_T0=$(date +%s); log "== $1"; }
phase_end() {
    local dt=$(($(date +%s) - _PHASE_T0))
    PHASE_TIMES+=("$_PHASE_NAME=${dt}s")
    log "== $_PHASE_NAME done in ${dt}s"
}

# wait_for_path PATH SECONDS: bounded wait for a device node to appear
# (loop partitions show up asynchronously).
wait_for_path() {
    local path=$1 secs=$2 i
    for ((i = 0; i < secs * 10; i++)); do
        [[ -e "$path" ]] && return 0
        sleep 0.1
    done
    return 1
}

# attach_image IMG: attach a disk image to a loop device with partition
# scanning and register its detach. Sets LOOP_DEV and LOOP_PART, the root
# filesystem's partition: number ROOT_PARTNO (default 1; the UEFI image has
# its ESP first and the root second).
attach_image() {
    local img=$1
    LOOP_DEV=$(losetup -fP --show "$img")
    push_cleanup "losetup -d $LOOP_DEV"
    # -P normally creates the partition nodes; partx covers hosts where the
    # kernel scanned before the table was written or udev is absent.
    partx -u "$LOOP_DEV" 2>/dev/null || true
    LOOP_PART=${LOOP_DEV}p${ROOT_PARTNO:-1}
    wait_for_path "$LOOP_PART" 10 || die "partition node $LOOP_PART did not appear"
}

# mount_chroot ROOT: mount what package scripts, update-initramfs and GRUB
# need inside a chroot on ROOT, and register the unmount.
#
# /dev is a private tmpfs rather than a bind of the host's /dev because GRUB
# needs /dev/disk/by-uuid/<uuid> of the image's root filesystem: without it
# update-grub writes root=/dev/loopNp1, which does not exist in the guest.
# Creating that link in the host's /dev would leak into the host and clash
# between images that share a UUID (every copy of the base image does).
mount_chroot() {
    local root=$1 uuid
    uuid=$(blkid -s UUID -o value "$LOOP_PART")
    [[ -n "$uuid" ]] || die "no filesystem UUID on $LOOP_PART"

    mount -t proc proc "$root/proc"
    push_cleanup "umount -l $root/proc"
    mount -t sysfs sysfs "$root/sys"
    push_cleanup "umount -l $root/sys"
    mount -t tmpfs -o mode=0755,size=16m devtmp "$root/dev"
    push_cleanup "umount -l $root/dev"
    mount -t tmpfs -o mode=0755,size=64m runtmp "$root/run"
    push_cleanup "umount -l $root/run"

    local d=$root/dev
    mknod -m 666 "$d/null" c 1 3
    mknod -m 666 "$d/zero" c 1 5
    mknod -m 666 "$d/full" c 1 7
    mknod -m 666 "$d/random" c 1 8
    mknod -m 666 "$d/urandom" c 1 9
    mknod -m 666 "$d/tty" c 5 0
    ln -s /proc/self/fd "$d/fd"
    ln -s /proc/self/fd/0 "$d/stdin"
    ln -s /proc/self/fd/1 "$d/stdout"
    ln -s /proc/self/fd/2 "$d/stderr"
    mkdir -p "$d/pts" "$d/shm" "$d/disk/by-uuid"
    # apt runs dpkg on a pty; a private devpts instance keeps the host's alone.
    mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$d/pts"
    push_cleanup "umount -l $d/pts"
    ln -s pts/ptmx "$d/ptmx"
    # The loop device and its partitions (root, and an ESP), for grub-install
    # and grub-probe.
    cp -a "$LOOP_DEV" "$LOOP_DEV"p[0-9]* "$d/"
    ln -s "../../$(basename "$LOOP_PART")" "$d/disk/by-uuid/$uuid"
    ROOT_UUID=$uuid
}

# Keep package maintainer scripts from starting daemons inside the chroot.
block_services() {
    local root=$1
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
    push_cleanup "rm -f $root/usr/sbin/policy-rc.d"
}

in_chroot() {
    local root=$1
    shift
    LANG=C.UTF-8 LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
        DEBCONF_NONINTERACTIVE_SEEN=true \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        chroot "$root" "$@"
}

# run update-grub in the chroot and refuse a result that would not boot.
update_grub_checked() {
    local root=$1 prober=$1/etc/grub.d/30_os-prober
    # An image whose GRUB is told to look for other systems (the UEFI image) must not look from
    # the chroot: os-prober would mount the build host's partitions. grub-mkconfig runs only the
    # executable scripts of /etc/grub.d, so 30_os-prober sits out this run; the guest's own
    # update-grub runs it.
    if [[ -x $prober ]]; then
        chmod -x "$prober"
        push_cleanup "chmod +x '$prober'"
        in_chroot "$root" update-grub >&2
        pop_cleanup
    else
        in_chroot "$root" update-grub >&2
    fi
    if grep -E '^\s*linux\s' "$root/boot/grub/grub.cfg" | grep -q 'root=/dev/loop'; then
        die "update-grub wrote a loop device as root= (by-uuid link missing?)"
    fi
    grep -qE "^\s*linux\s.*root=UUID=$ROOT_UUID" "$root/boot/grub/grub.cfg" ||
        die "grub.cfg has no linux line with root=UUID=$ROOT_UUID"
}
