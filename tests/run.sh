#!/usr/bin/env bash
# Runs every test of the project on a fresh Debian machine: installs what the tests need, builds
# with warnings as errors, runs the unit and integration tests, checks that the NativeAOT publish
# is warning-free, builds the .deb and tests it in a chroot, and runs the end-to-end scenarios in
# a QEMU guest with a real ramdax kernel (RAMDAX_SKIP_E2E=1 leaves those out). Needs root.
# Prints how long each part took and ends with "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

declare -a part_names=() part_seconds=() part_results=()
passed=0
failed=0

part() {
    local name=$1
    shift
    local start=$SECONDS
    echo "=== ${name}"
    if "$@"; then
        part_results+=("ok")
    else
        part_results+=("FAILED")
        failed=$((failed + 1))
    fi
    part_names+=("$name")
    part_seconds+=($((SECONDS - start)))
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# One list of what the build and the tests run on the host, with the Debian package of each:
# tests/host-tools.tsv. Installing and then checking it means a program a test needs fails here,
# named with its package, instead of deep inside a test on a machine that lacks it.
install_packages() { tests/host-tools.sh install; }
check_host_tools() { tests/host-tools.sh check; }

dotnet_tests() {
    local log
    log=$(mktemp)
    # RAMDAX_TESTS_STRICT: a test that needs root or a host program is never skipped here; the
    # command installed everything, so such a test runs and fails if something is still missing.
    RAMDAX_TESTS_STRICT=1 dotnet test RamDax.Provision.sln -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee "$log" | grep -E "^ +Failed |^ +(Total tests|Passed|Failed|Skipped): |error" || true
    # The console logger ends with "Total tests: N", "Passed: N" and, when any failed, "Failed: N".
    local p f
    p=$(sed -nE 's/^ +Passed: +([0-9]+)$/\1/p' "$log" | tail -1)
    f=$(sed -nE 's/^ +Failed: +([0-9]+)$/\1/p' "$log" | tail -1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    local ok=0
    grep -q "Test Run Successful." "$log" || ok=1
    rm -f "$log"
    [ "$ok" -eq 0 ] && [ "${p:-0}" -gt 0 ]
}

aot_publish() {
    local out log
    out=$(mktemp -d)
    log=$(mktemp)
    dotnet publish src/RamDax.Provision -c Release -r linux-x64 -p:PublishAot=true -o "$out" 2>&1 | tee "$log" | tail -3
    local warnings
    warnings=$(grep -cE "warning [A-Z]+[0-9]+" "$log" || true)
    "$out/ramdax-provision" version && [ "$warnings" -eq 0 ] && passed=$((passed + 1))
    rm -rf "$out" "$log"
}

# Runs a test script that ends with "N passed, M failed" and adds its counts to the totals.
counted() {
    local log
    log=$(mktemp)
    "$@" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    local summary
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    rm -f "$log"
    passed=$((passed + $(sed -E 's/^([0-9]+) passed.*/\1/' <<<"${summary:-0 passed}")))
    failed=$((failed + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"${summary:-0 passed, 1 failed}")))
    [ "$rc" -eq 0 ] && [ -n "$summary" ]
}

deb_dir=$(mktemp -d)
trap 'rm -rf "$deb_dir"' EXIT
build_package() { packaging/deb/build.sh --out "$deb_dir"; }
package_tests() { counted packaging/deb/test-package.sh --deb "$(ls "$deb_dir"/ramdax-provision_*_amd64.deb)"; }
end_to_end() { counted tests/vm/e2e.sh --deb "$(ls "$deb_dir"/ramdax-provision_*_amd64.deb)"; }

part "install packages (tests/host-tools.tsv)" install_packages
part "host programs present" check_host_tools
if [ "${part_results[-1]}" != ok ]; then
    echo "stopping: the programs above are missing (see tests/host-tools.tsv)"
    echo "${passed} passed, ${failed} failed"
    exit 1
fi
part "restore" dotnet restore RamDax.Provision.sln
part "build (warnings are errors)" dotnet build RamDax.Provision.sln -c Release --no-restore
part "dotnet format (no changes needed)" dotnet format RamDax.Provision.sln --verify-no-changes --no-restore
part "unit and integration tests" dotnet_tests
part "NativeAOT publish (no warnings)" aot_publish
part "Debian package (build, lintian)" build_package
part "Debian package (install, remove, purge in a chroot)" package_tests
if [ "${RAMDAX_SKIP_E2E:-0}" != 1 ]; then
    part "end to end (QEMU guest, real ramdax kernel)" end_to_end
fi

echo
echo "Parts:"
for i in "${!part_names[@]}"; do
    printf '  %-36s %5ss  %s\n' "${part_names[$i]}" "${part_seconds[$i]}" "${part_results[$i]}"
done
echo
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
