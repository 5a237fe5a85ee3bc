#!/bin/bash
# Build (or reuse) a Debian test image and optionally make a per-test copy
# with the agent's .deb(s) installed.
#
#   build-image.sh [--uefi|--systemd-boot|--suite S]
#                                          build/reuse the base; print its path
#   build-image.sh [--uefi|--systemd-boot|--suite S] --out DISK [--deb PATH]... [--cmdline 'ARGS']
#                                          copy the base to DISK, install the
#                                          debs with dpkg -i in a chroot, add
#                                          kernel arguments; print DISK
#
# Options:
#   --suite S        trixie (the default: Debian 13 with the trixie-backports
#                    kernel, which has ramdax) or bookworm (Debian 12 with its
#                    own 6.1 kernel: no ramdax, only nd_e820; ndctl 76,
#                    cloud-init 22.4). BIOS GRUB either way. Its own cache
#                    key; give it for the per-test copy as well.
#   --uefi           the UEFI variant: a GPT disk with an ESP (vfat, 256 MiB,
#                    mounted at /boot/efi) and the root filesystem second,
#                    grub-efi-amd64 instead of grub-pc, installed as
#                    \EFI\BOOT\BOOTX64.EFI (the removable-media path, so the
#                    firmware boots it without an NVRAM entry; see
#                    install_grub_efi). Boot it with
#                    run-guest.sh --uefi. Its own cache key; give it for the
#                    per-test copy as well.
#   --systemd-boot   the UEFI disk of --uefi, booted by systemd-boot instead
#                    of GRUB (no GRUB package at all): Debian's systemd-boot,
#                    /etc/kernel/cmdline as the command line, the kernel's
#                    Boot Loader Specification entry made by kernel-install on
#                    the ESP (see install_systemd_boot). Boot it with
#                    run-guest.sh --uefi. Its own cache key.
#   --out PATH       per-test disk (raw). Never the base image itself.
#   --deb PATH       .deb to install into the copy (repeatable).
#   --file SRC:DEST  copy SRC into the copy at DEST (repeatable), after the
#                    debs: how a test bakes a configuration into an image.
#   --wrap PATH:WRAPPER
#                    move the copy's program PATH to PATH.real and install
#                    WRAPPER (0755) at PATH (repeatable), after the files: how
#                    the fault guests stand a wrapper in for a tool itself, so
#                    every caller runs it, however it looks programs up.
#                    WRAPPER finds the real one as "$0.real".
#   --cmdline ARGS   kernel arguments appended to GRUB_CMDLINE_LINUX through
#                    /etc/default/grub.d/zz-e2e.cfg (e.g. 'memmap=2G!4G').
#                    GRUB_CMDLINE_LINUX_DEFAULT stays the agent's to edit.
#   --rebuild        rebuild the base even if the cache has it.
#   --prune          delete cached base images of other keys (older
#                    versions of these scripts, or other checkouts sharing
#                    the cache, which then rebuild on demand).
#
# Environment:
#   RAMDAX_VM_CACHE   cache directory (default /var/cache/ramdax-provision-vm)
#   RAMDAX_VM_MIRROR  Debian mirror (default http://deb.debian.org/debian)
#
# The base image is cached under $RAMDAX_VM_CACHE/base-<key>/ where <key> is
# the sha256 of everything that decides its content: this script, lib.sh,
# packages.txt, the files in guest/ and, for --uefi, the variant's name. Edit any of them and the next run
# builds a new base; old ones stay until deleted. Package versions are
# whatever the mirror serves on the day of the build (see manifest.txt next
# to the image); use --rebuild to pick up new ones.
#
# Needs root (loop devices, mounts, chroot).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

SUITE=trixie
MIRROR=${RAMDAX_VM_MIRROR:-http://deb.debian.org/debian}
CACHE=${RAMDAX_VM_CACHE:-/var/cache/ramdax-provision-vm}
IMAGE_SIZE=4G   # sparse; the installed system uses about 1.3 GiB

OUT=""
DEBS=()
FILES=()
WRAPS=()
CMDLINE=""
REBUILD=0
PRUNE=0
UEFI=0
SDBOOT=0
while (($#)); do
    case $1 in
        --uefi) UEFI=1; shift ;;
        --systemd-boot) UEFI=1; SDBOOT=1; shift ;;
        --suite) SUITE=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --deb) DEBS+=("$(realpath "$2")"); shift 2 ;;
        --cmdline) CMDLINE=$2; shift 2 ;;
        --file) FILES+=("$2"); shift 2 ;;
        --wrap) WRAPS+=("$2"); shift 2 ;;
        --rebuild) REBUILD=1; shift ;;
        --prune) PRUNE=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
case $SUITE in
    # The kernel each suite's image boots: ramdax needs Linux 6.19+, which trixie has only in
    # backports; bookworm's own kernel is the nd_e820 host users run.
    trixie) KERNEL_PKG=linux-image-amd64/trixie-backports; DRIVER_MODULE=ramdax ;;
    bookworm) KERNEL_PKG=linux-image-amd64; DRIVER_MODULE=nd_e820 ;;
    *) die "--suite wants trixie or bookworm, not '$SUITE'" ;;
esac
((UEFI)) && [[ $SUITE != trixie ]] && die "--uefi and --systemd-boot are built for trixie only"
((SDBOOT)) && [[ -n $CMDLINE ]] && die "--cmdline edits GRUB's configuration; the --systemd-boot image has none"
for deb in "${DEBS[@]}"; do [[ -f $deb ]] || die "no such .deb: $deb"; done
for wrap in "${WRAPS[@]}"; do [[ $wrap =~ ^/[^:]+:[^:]+$ && -f ${wrap#*:} ]] || die "--wrap wants /PATH:WRAPPER with an existing WRAPPER, not '$wrap'"; done
for file in "${FILES[@]}"; do [[ $file == *:/* && -f ${file%%:*} ]] || die "--file wants SRC:/DEST with an existing SRC, not '$file'"; done
if [[ -z $OUT ]] && { ((${#DEBS[@]})) || ((${#FILES[@]})) || ((${#WRAPS[@]})) || [[ -n $CMDLINE ]]; }; then
    die "--deb, --file, --wrap and --cmdline change a per-test copy: give --out"
fi
[[ $EUID -eq 0 ]] || die "must run as root (loop devices, mounts, chroot)"
ensure_host_tools debootstrap sfdisk partx losetup blkid mkfs.ext4 flock
((UEFI)) && ensure_host_tools mkfs.vfat mmd mcopy
# The UEFI disk: partition 1 the ESP, partition 2 the root filesystem.
ROOT_PARTNO=1
((UEFI)) && ROOT_PARTNO=2

# ---------------------------------------------------------------- cache key
# Inputs are hashed by path relative to tests/vm plus content, in a fixed
# order, so the key is the same in every checkout.
cache_key() {
    { (cd "$HERE" && sha256sum build-image.sh lib.sh packages.txt guest/*)
      if ((SDBOOT)); then echo "variant systemd-boot"; elif ((UEFI)); then echo "variant uefi"; fi
      if [[ $SUITE != trixie ]]; then echo "suite $SUITE"; fi; } |
        sha256sum | cut -c1-16
}
KEY=$(cache_key)
BASE_DIR=$CACHE/base-$KEY
BASE=$BASE_DIR/base.raw
mkdir -p "$CACHE"

# ------------------------------------------------------------- base build
# install_systemd_boot ROOT ESP-DEVICE KERNEL-VERSION: what `bootctl install` and the kernel's
# `kernel-install add` do on a Debian system with systemd-boot, into /boot/efi of the image (a
# directory on the root filesystem, bound onto itself, during the build: the build host's kernel may have no vfat,
# and bootctl and kernel-install look for a FAT ESP, which SYSTEMD_RELAX_ESP_CHECKS waives), then
# copied onto the real ESP with mtools and removed underneath, where the guest mounts the ESP.
# The entry token is "debian" (/etc/kernel/entry-token): the image's machine-id is empty until
# the first boot. loader.conf boots the default entry at once.
install_systemd_boot() {
    local root=$1 esp=$2 kver=$3
    echo debian >"$root/etc/kernel/entry-token"
    # Both tools want the ESP to be the root of a mount: bind the directory onto itself.
    mount --bind "$root/boot/efi" "$root/boot/efi"
    push_cleanup "umount -l $root/boot/efi"
    in_chroot "$root" env SYSTEMD_RELAX_ESP_CHECKS=1 bootctl install --esp-path=/boot/efi \
        --no-variables --entry-token=literal:debian --make-entry-directory=yes >&2
    in_chroot "$root" env SYSTEMD_RELAX_ESP_CHECKS=1 kernel-install --esp-path=/boot/efi \
        add "$kver" "/boot/vmlinuz-$kver" "/boot/initrd.img-$kver" >&2
    printf 'timeout 0\nconsole-mode keep\n' >"$root/boot/efi/loader/loader.conf"
    local entry path
    entry=$(compgen -G "$root/boot/efi/loader/entries/*.conf" || true)
    [[ $(wc -w <<<"$entry") -eq 1 ]] || die "kernel-install made $(wc -w <<<"$entry") loader entries, not 1"
    # In the chroot the bind mount's mount point reads as the host's path, so kernel-install
    # takes "/" for the ESP's mount and writes the linux and initrd paths with /boot/efi in
    # front; on the ESP they start at its root. (In the guest, where the ESP is mounted, it
    # writes them right.)
    sed -i -E 's#^(linux|initrd)( +)/boot/efi/#\1\2/#' "$entry"
    for path in $(awk '$1 == "linux" || $1 == "initrd" {print $2}' "$entry"); do
        [[ -s $root/boot/efi$path ]] || die "the loader entry names $path, which is not on the ESP"
    done
    grep -q "^options .*root=UUID=$ROOT_UUID" "$entry" || die "the loader entry $(basename "$entry") lacks root=UUID=$ROOT_UUID: $(cat "$entry")"
    [[ -s $root/boot/efi/EFI/BOOT/BOOTX64.EFI ]] || die "bootctl did not install \\EFI\\BOOT\\BOOTX64.EFI"
    (cd "$root/boot/efi" && MTOOLS_SKIP_CHECK=1 mcopy -s -Q -i "$esp" ./* ::/)
    MTOOLS_SKIP_CHECK=1 mcopy -i "$esp" "::/loader/entries/$(basename "$entry")" - | cmp -s - "$entry" ||
        die "the loader entry on the ESP differs from the one kernel-install made"
    find "$root/boot/efi" -mindepth 1 -delete
    pop_cleanup
    log "systemd-boot and the entry $(basename "$entry") are on the ESP"
}

# install_grub_efi ROOT ESP-DEVICE: what `grub-install --target=x86_64-efi
# --efi-directory=/boot/efi --removable --no-nvram` does, by hand. grub-install
# finds the ESP through the mount table and so needs it mounted, and a build
# host's kernel may have no vfat (the CI machines' has none); mtools writes
# FAT without the kernel. The same steps: GRUB's modules into
# /boot/grub/x86_64-efi, a core image whose early configuration finds the root
# filesystem by UUID and sets the prefix to its /boot/grub (where update-grub
# writes grub.cfg), installed at the removable-media path \EFI\BOOT\BOOTX64.EFI,
# which the firmware boots without an NVRAM entry.
install_grub_efi() {
    local root=$1 esp=$2
    mkdir -p "$root/boot/grub/x86_64-efi"
    cp "$root"/usr/lib/grub/x86_64-efi/*.mod "$root"/usr/lib/grub/x86_64-efi/*.lst \
        "$root/boot/grub/x86_64-efi/"
    printf 'search.fs_uuid %s root\nset prefix=($root)/boot/grub\n' "$ROOT_UUID" >"$root/tmp/grub-early.cfg"
    in_chroot "$root" grub-mkimage -O x86_64-efi -o /tmp/BOOTX64.EFI -c /tmp/grub-early.cfg \
        -p /boot/grub part_gpt ext2 search_fs_uuid >&2
    MTOOLS_SKIP_CHECK=1 mmd -i "$esp" ::/EFI ::/EFI/BOOT
    MTOOLS_SKIP_CHECK=1 mcopy -i "$esp" "$root/tmp/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
    MTOOLS_SKIP_CHECK=1 mcopy -i "$esp" ::/EFI/BOOT/BOOTX64.EFI - | cmp -s - "$root/tmp/BOOTX64.EFI" ||
        die "\\EFI\\BOOT\\BOOTX64.EFI on the ESP differs from the image grub-mkimage made"
    rm -f "$root/tmp/BOOTX64.EFI" "$root/tmp/grub-early.cfg"
    log "GRUB for x86_64-efi is \\EFI\\BOOT\\BOOTX64.EFI on the ESP; modules in /boot/grub/x86_64-efi"
}

build_base() {
    local tmp=$BASE_DIR/base.raw.partial mnt=$BASE_DIR/mnt
    local t_all pkgs
    t_all=$(date +%s)
    # Leftovers of a failed build. Never recurse into something still
    # mounted there (the chroot binds the package cache and /proc).
    if grep -qF " $BASE_DIR/" /proc/mounts; then
        die "something is still mounted under $BASE_DIR; unmount it first"
    fi
    rm -rf --one-file-system "$BASE_DIR"
    mkdir -p "$BASE_DIR" "$mnt"
    # A failed build leaves no half-written image behind to be mistaken
    # for a good one. Everything registered after this mark is undone
    # before the image is moved into place.
    push_cleanup "rm -f '$tmp'"
    local mark=${#_VM_CLEANUPS[@]}

    phase_start "partition and format"
    truncate -s "$IMAGE_SIZE" "$tmp"
    if ((UEFI)); then
        # GPT: the EFI System Partition first, then the root filesystem.
        printf 'label: gpt\nstart=2048, size=256MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=ESP\ntype=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=root\n' |
            sfdisk -q "$tmp"
    else
        # One bootable partition from 1 MiB: leaves the usual post-MBR gap for
        # GRUB's core.img (BIOS boot, msdos label).
        printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$tmp"
    fi
    attach_image "$tmp"
    mkfs.ext4 -q -L ramdax-root "$LOOP_PART"
    mount "$LOOP_PART" "$mnt"
    push_cleanup "umount -R -l $mnt"
    local esp_uuid=""
    if ((UEFI)); then
        mkfs.vfat -F 32 -n ESP "${LOOP_DEV}p1" >/dev/null
        esp_uuid=$(blkid -s UUID -o value "${LOOP_DEV}p1")
        [[ -n $esp_uuid ]] || die "no filesystem UUID on the ESP ${LOOP_DEV}p1"
    fi
    phase_end

    phase_start "debootstrap $SUITE minbase"
    # Only the minimal base: debootstrap's own resolver does not handle
    # virtual packages (cloud-init's python3-cryptography needs
    # python3-cffi-backend-api-*), so the real package list goes through apt.
    # .debs are kept in the cache (not in the image) so that a rebuild after
    # a change of the scripts does not download everything again.
    mkdir -p "$CACHE/debs"
    if ! debootstrap --variant=minbase --cache-dir="$CACHE/debs" \
        "$SUITE" "$mnt" "$MIRROR" >&2; then
        # The log lives inside the image, which the cleanup unmounts.
        cp "$mnt/debootstrap/debootstrap.log" "$BASE_DIR/" 2>/dev/null || true
        tail -n 40 "$BASE_DIR/debootstrap.log" >&2 || true
        die "debootstrap failed; full log: $BASE_DIR/debootstrap.log"
    fi
    phase_end

    phase_start "configure system"
    mount_chroot "$mnt"
    block_services "$mnt"
    # The chroot's apt keeps its downloads in the cache too.
    mkdir -p "$CACHE/apt-archives/partial"
    mount --bind "$CACHE/apt-archives" "$mnt/var/cache/apt/archives"
    push_cleanup "umount -l $mnt/var/cache/apt/archives"

    {
        echo "Types: deb"
        echo "URIs: $MIRROR"
        echo "Suites: $SUITE $SUITE-updates $SUITE-backports"
        echo "Components: main"
        echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
        echo
        echo "Types: deb"
        echo "URIs: http://deb.debian.org/debian-security"
        echo "Suites: $SUITE-security"
        echo "Components: main"
        echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
    } >"$mnt/etc/apt/sources.list.d/debian.sources"
    rm -f "$mnt/etc/apt/sources.list"
    # Recommends would pull in firmware and tools a test VM does not need.
    echo 'APT::Install-Recommends "false";' >"$mnt/etc/apt/apt.conf.d/90-no-recommends"

    # Before the kernel: initramfs-tools reads the root filesystem type here.
    echo "UUID=$ROOT_UUID / ext4 errors=remount-ro 0 1" >"$mnt/etc/fstab"
    if ((UEFI)); then
        # As Debian's installer writes it, with a longer wait for the device: under emulation,
        # with other guests on the cores, udev's coldplug has named the ESP after systemd's
        # default 90 s and the guest stopped in emergency mode. The build never mounts the ESP
        # (see "GRUB" below); the guest does.
        echo "UUID=$esp_uuid /boot/efi vfat umask=0077,x-systemd.device-timeout=10min 0 1" >>"$mnt/etc/fstab"
        mkdir -p "$mnt/boot/efi"
    fi
    echo ramdax-vm >"$mnt/etc/hostname"
    printf '127.0.0.1\tlocalhost\n127.0.1.1\tramdax-vm\n' >"$mnt/etc/hosts"
    phase_end

    phase_start "packages and kernel ($KERNEL_PKG)"
    pkgs=$(sed 's/#.*//' "$HERE/packages.txt" | xargs)
    if ((SDBOOT)); then
        # systemd-boot in place of GRUB; kernel-install (in systemd) makes the entries from
        # /etc/kernel/cmdline, as on an installed system.
        pkgs=$(tr ' ' '\n' <<<"$pkgs" | sed 's/^grub-pc$/systemd-boot/' | xargs)
        mkdir -p "$mnt/etc/kernel"
        echo "root=UUID=$ROOT_UUID ro console=ttyS0,115200 panic=-1" >"$mnt/etc/kernel/cmdline"
    elif ((UEFI)); then
        # The EFI GRUB in place of the BIOS one (they conflict). No NVRAM to
        # update in an image; upgrades keep \EFI\BOOT\BOOTX64.EFI current.
        # memtest86+ as many installed hosts have it: its grub.d script adds a "linux
        # /boot/memtest86+x64.efi" entry without kernel arguments, which the agent must tell apart
        # from the kernels' entries. os-prober as on a host that boots other systems too: once the
        # image is built, GRUB is told to run it (below), and the guest's update-grub adds an entry
        # for the other Linux on the disk e2e.sh attaches, booting with that system's arguments.
        pkgs=$(tr ' ' '\n' <<<"$pkgs" | sed 's/^grub-pc$/grub-efi-amd64/' | xargs)
        pkgs="$pkgs memtest86+ os-prober"
        printf '%s\n' "grub-efi-amd64 grub2/update_nvram boolean false" \
            "grub-efi-amd64 grub2/force_efi_extra_removable boolean true" |
            in_chroot "$mnt" debconf-set-selections
    fi
    in_chroot "$mnt" apt-get update -qq >&2
    # One apt run for everything: initramfs and GRUB triggers run once.
    # shellcheck disable=SC2086  # the package list is meant to split
    in_chroot "$mnt" apt-get install -y -qq $pkgs "$KERNEL_PKG" >&2
    local kver modules
    kver=$(ls "$mnt/lib/modules")
    [[ $(wc -w <<<"$kver") -eq 1 ]] || die "expected one kernel, found: $kver"
    # The whole point of the image: the driver under test (ramdax, or nd_e820 on bookworm).
    modules=$(compgen -G "$mnt/lib/modules/$kver/kernel/drivers/nvdimm/$DRIVER_MODULE.ko*" || true)
    [[ -n $modules ]] || die "kernel $kver has no kernel/drivers/nvdimm/$DRIVER_MODULE.ko*"
    log "kernel $kver has $(basename "$modules")"

    # Empty machine-id: every copy generates its own on first boot, as cloud
    # images do (and systemd treats that boot as the first one).
    : >"$mnt/etc/machine-id"
    rm -f "$mnt/var/lib/dbus/machine-id"
    # Nothing to fetch from a guest without network; keep timers from
    # waking apt in the middle of a test.
    in_chroot "$mnt" systemctl mask apt-daily.timer apt-daily-upgrade.timer >&2

    install -m 0644 "$HERE/guest/99-ramdax-e2e.cfg" "$mnt/etc/cloud/cloud.cfg.d/99-ramdax-e2e.cfg"
    install -D -m 0644 "$HERE/guest/50-ramdax-e2e-journal.conf" "$mnt/etc/systemd/journald.conf.d/50-ramdax-e2e-journal.conf"
    install -m 0755 "$HERE/guest/ramdax-e2e-hook" "$mnt/usr/local/sbin/ramdax-e2e-hook"
    install -m 0644 "$HERE/guest/ramdax-e2e-hook.service" \
        "$mnt/etc/systemd/system/ramdax-e2e-hook.service"
    in_chroot "$mnt" systemctl enable ramdax-e2e-hook.service >&2
    phase_end

    if ((SDBOOT)); then
        phase_start "systemd-boot"
        install_systemd_boot "$mnt" "${LOOP_DEV}p1" "$kver"
        phase_end
    else
    phase_start "GRUB"
    # Edit Debian's own /etc/default/grub so the image looks like a normal
    # install. console= and panic=-1 go to GRUB_CMDLINE_LINUX, which applies
    # to every entry; GRUB_CMDLINE_LINUX_DEFAULT is left empty for the agent.
    sed -i \
        -e 's/^GRUB_TIMEOUT=.*/GRUB_TIMEOUT=0/' \
        -e 's/^GRUB_CMDLINE_LINUX_DEFAULT=.*/GRUB_CMDLINE_LINUX_DEFAULT=""/' \
        -e 's/^GRUB_CMDLINE_LINUX=.*/GRUB_CMDLINE_LINUX="console=ttyS0,115200 panic=-1"/' \
        "$mnt/etc/default/grub"
    printf 'GRUB_TERMINAL=serial\nGRUB_SERIAL_COMMAND="serial --speed=115200"\n' \
        >>"$mnt/etc/default/grub"
    grep -q '^GRUB_CMDLINE_LINUX="console=ttyS0,115200 panic=-1"$' "$mnt/etc/default/grub" ||
        die "could not set GRUB_CMDLINE_LINUX"
    if ((UEFI)); then
        install_grub_efi "$mnt" "${LOOP_DEV}p1"
    else
        in_chroot "$mnt" grub-install --target=i386-pc "$LOOP_DEV" >&2
    fi
    update_grub_checked "$mnt"
    if ((UEFI)); then
        # Debian ships os-prober switched off (GRUB_DISABLE_OS_PROBER); a dual-boot host switches
        # it on. Only now: update_grub_checked keeps it from probing the build host's disks.
        mkdir -p "$mnt/etc/default/grub.d"
        printf '# Look for other installed systems, as a dual-boot host does.\nGRUB_DISABLE_OS_PROBER=false\n' \
            >"$mnt/etc/default/grub.d/50-os-prober.cfg"
    fi
    if ((!UEFI)); then
        # What the guest's own grub-pc upgrades should install to.
        echo "grub-pc grub-pc/install_devices multiselect /dev/vda" |
            in_chroot "$mnt" debconf-set-selections
    fi
    phase_end
    fi

    phase_start "finish"
    {
        echo "key=$KEY"
        echo "firmware=$( ((UEFI)) && echo uefi || echo bios)"
        echo "bootloader=$( ((SDBOOT)) && echo systemd-boot || echo grub)"
        echo "suite=$SUITE"
        echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "kernel=$kver"
        echo "root_uuid=$ROOT_UUID"
        echo "mirror=$MIRROR"
        in_chroot "$mnt" dpkg-query -W -f '${Package}=${Version}\n'
    } >"$BASE_DIR/manifest.txt"
    cleanups_to "$mark"
    # Check the filesystem as the guest will find it.
    attach_image "$tmp"
    e2fsck -fp "$LOOP_PART" >&2 || die "e2fsck of the new image failed"
    cleanups_to "$mark"
    mv "$tmp" "$BASE"
    rmdir "$mnt"
    phase_end
    log "base image built in $(($(date +%s) - t_all))s: $BASE"
}

# Serialise builds: two tests starting at once must not both build (or one
# use a half-written image). The lock is held for the whole script.
exec 9>"$CACHE/.lock"
flock -w 1800 9 || die "timed out waiting for the cache lock $CACHE/.lock"

if ((REBUILD)) || [[ ! -f $BASE ]]; then
    build_base
else
    log "reusing cached base image $BASE"
fi

if ((PRUNE)); then
    for old in "$CACHE"/base-*; do
        [[ $old == "$BASE_DIR" ]] && continue
        grep -qF " $old/" /proc/mounts && { log "not pruning $old: in use"; continue; }
        log "pruning $old"
        rm -rf --one-file-system "$old"
    done
fi

if [[ -z $OUT ]]; then
    echo "$BASE"
    exit 0
fi

# ------------------------------------------------------------- per-test copy
# A plain sparse copy: the copy has to be modified from the host (dpkg -i in
# a chroot), and a qcow2 overlay cannot be loop-mounted without qemu-nbd and
# the nbd kernel module.
phase_start "copy base to $OUT"
[[ $(realpath -m "$OUT") != "$(realpath "$BASE")" ]] || die "--out must not be the base image"
mkdir -p "$(dirname "$OUT")"
push_cleanup "rm -f '$OUT.partial'"   # only matters on failure
KEEP=${#_VM_CLEANUPS[@]}
cp --sparse=always "$BASE" "$OUT.partial"
phase_end

if ((${#DEBS[@]})) || ((${#FILES[@]})) || ((${#WRAPS[@]})) || [[ -n $CMDLINE ]]; then
    mnt=$(mktemp -d)
    push_cleanup "rmdir $mnt"
    attach_image "$OUT.partial"
    mount "$LOOP_PART" "$mnt"
    push_cleanup "umount -R -l $mnt"
    mount_chroot "$mnt"
    block_services "$mnt"

    if ((${#DEBS[@]})); then
        phase_start "install ${#DEBS[@]} .deb(s)"
        mkdir -p "$mnt/tmp/e2e-debs"
        cp "${DEBS[@]}" "$mnt/tmp/e2e-debs/"
        # As a user would: dpkg -i, and only if dependencies are missing let
        # apt fetch them (the package lists in the image may be stale).
        if ! in_chroot "$mnt" sh -c 'dpkg -i /tmp/e2e-debs/*.deb' >&2; then
            log "dpkg -i left dependencies unresolved; running apt-get -f install"
            mkdir -p "$CACHE/apt-archives/partial"
            mount --bind "$CACHE/apt-archives" "$mnt/var/cache/apt/archives"
            push_cleanup "umount -l $mnt/var/cache/apt/archives"
            in_chroot "$mnt" apt-get update -qq >&2
            in_chroot "$mnt" apt-get -f install -y -qq >&2
            pop_cleanup
        fi
        for deb in "${DEBS[@]}"; do
            pkg=$(dpkg-deb -f "$deb" Package)
            status=$(in_chroot "$mnt" dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null || true)
            [[ $status == "install ok installed" ]] ||
                die "$pkg is not installed after dpkg -i (status: ${status:-none})"
            log "installed $pkg $(dpkg-deb -f "$deb" Version)"
        done
        rm -rf "$mnt/tmp/e2e-debs"
        phase_end
    fi

    if ((${#FILES[@]})); then
        phase_start "bake ${#FILES[@]} file(s)"
        for file in "${FILES[@]}"; do
            install -D -m 0644 "${file%%:*}" "$mnt${file#*:}"
            log "baked ${file%%:*} as ${file#*:}"
        done
        phase_end
    fi

    if ((${#WRAPS[@]})); then
        phase_start "wrap ${#WRAPS[@]} program(s)"
        for wrap in "${WRAPS[@]}"; do
            IFS=: read -r prog wrapper <<<"$wrap"
            # A link (mkfs.ext4 -> mke2fs) moves as it is: relative, it still names the program.
            [[ -L $mnt$prog || -f $mnt$prog ]] || die "--wrap: the copy has no program $prog"
            mv "$mnt$prog" "$mnt$prog.real"
            install -m 0755 "$wrapper" "$mnt$prog"
            log "wrapped $prog with $wrapper (the real one is $prog.real)"
        done
        phase_end
    fi

    if [[ -n $CMDLINE ]]; then
        phase_start "kernel arguments: $CMDLINE"
        mkdir -p "$mnt/etc/default/grub.d"
        # grub-mkconfig sources this file with sh: '!' stays literal, a '$'
        # (the other memmap= form) must be passed as '\$'.
        printf '# Added by the test harness (build-image.sh --cmdline).\nGRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX %s"\n' \
            "$CMDLINE" >"$mnt/etc/default/grub.d/zz-e2e.cfg"
        update_grub_checked "$mnt"
        grep -qF -- "$CMDLINE" "$mnt/boot/grub/grub.cfg" || die "grub.cfg lacks '$CMDLINE'"
        phase_end
    fi
    cleanups_to "$KEEP"
fi
mv "$OUT.partial" "$OUT"
echo "$OUT"
