#!/usr/bin/env bash
# The main job on a built-in example: plan the carve-out and namespaces for the captured 6 GiB
# test guest (tests/fixtures/roots/qemu-6G-memmap2G) with the example layout of ext4, XFS and
# devdax namespaces, first for people, then as JSON, then with the origin of every setting.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dotnet >/dev/null; then
    echo "the .NET 10 SDK is needed: https://dotnet.microsoft.com/download" >&2
    exit 1
fi
dotnet build src/RamDax.Provision -c Release -v quiet -nologo >/dev/null
agent=src/RamDax.Provision/bin/Release/net10.0/ramdax-provision
root=tests/fixtures/roots/qemu-6G-memmap2G
config=tests/fixtures/machines/qemu-6G/config.yaml

echo "\$ ramdax-provision plan --root $root --config $config"
"$agent" plan --root "$root" --config "$config"
echo "\$ ramdax-provision plan --root $root --config $config --format json --explain"
"$agent" plan --root "$root" --config "$config" --format json --explain
echo "\$ ramdax-provision validate $config"
"$agent" validate "$config"
