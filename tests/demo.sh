#!/usr/bin/env bash
# The main job, on a built-in example: what RamDax Provision does to a fresh machine.
#
# 1. `plan` on the recorded 6 GiB test guest (tests/fixtures/roots/qemu-trixie-6G) with the example
#    layout of ext4, XFS and devdax namespaces (tests/vm/scenarios/baked.yaml): instant, no root.
# 2. The same layout for real: the .deb built and installed into a Debian 13 guest with a ramdax
#    kernel under QEMU, booted from its own disk; the agent plans, writes the GRUB drop-in and
#    reboots by itself, then binds ramdax, creates the namespaces, makes the filesystems and
#    mounts them with dax=always. Each boot is told as it happens, from the guest's serial console
#    (the agent's units write there as well as to the journal), with the elapsed seconds, ending
#    with the `status` table. Needs root (loop devices, chroot); about 10 minutes, longer the first time
#    (the guest image is built and cached). DEMO_PLAN_ONLY=1 stops after step 1.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is needed" >&2; exit 1; }
dotnet build src/RamDax.Provision -c Release -v quiet -nologo >/dev/null
agent=src/RamDax.Provision/bin/Release/net10.0/ramdax-provision
root=tests/fixtures/roots/qemu-trixie-6G
config=tests/vm/scenarios/baked.yaml

echo "\$ ramdax-provision plan --root $root --config $config --offline"
"$agent" plan --root "$root" --config "$config" --offline
[ "${DEMO_PLAN_ONLY:-0}" = 1 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "the boots in QEMU need root: run it as root, or DEMO_PLAN_ONLY=1 for the plan alone" >&2
    exit 1
fi
exec tests/vm/e2e.sh --demo
