#!/usr/bin/env bash
# The performance figures of the boot-path agent, printed as tables:
#   1. whole-process wall time (median of RUNS runs) and peak RSS of `version`, `plan` and
#      `status` on a fixture root, for the NativeAOT binary and a framework-dependent (JIT) build
#      of the same code, and their ratio;
#   2. the sizes of the binary and of the .deb;
#   3. the planner's time per plan over growing machines (BenchmarkDotNet).
#   4. whole-process `plan` of 509 and 32 x 509 namespaces (bench/scale-input.sh), AOT and JIT;
# Kept out of the test command: it measures, it does not judge. Usage: bench/run.sh [--quick]
# (--quick: a dry BenchmarkDotNet job; BENCH_SKIP_PLANNER=1: the process figures only).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
RUNS=${RUNS:-15}
quick=0
[ "${1:-}" = "--quick" ] && quick=1

for p in time bc; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p"; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "building the NativeAOT and the framework-dependent (JIT) binaries ..."
dotnet publish src/RamDax.Provision -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" -v quiet -nologo >/dev/null
dotnet publish src/RamDax.Provision -c Release -r linux-x64 --self-contained false -p:PublishAot=false -o "$work/jit" -v quiet -nologo >/dev/null

root=${BENCH_ROOT:-tests/fixtures/roots/converged-6G}
[ -d "$root" ] || root=tests/fixtures/roots/qemu-6G-memmap2G
config=tests/fixtures/machines/qemu-6G/config.yaml
declare -A commands=(
    [version]="version"
    [plan]="plan --root $root --config $config --offline"
    [status]="status --root $root"
)

# median wall milliseconds and median peak RSS KiB of RUNS runs of one command line
measure() {
    local binary=$1 args=$2 i
    local -a walls=() rss=()
    for ((i = 0; i < RUNS; i++)); do
        local start end kib
        start=$(date +%s%N)
        /usr/bin/time -f '%M' -o "$work/rss" "$binary" $args >/dev/null 2>&1 || true
        end=$(date +%s%N)
        kib=$(tail -1 "$work/rss")
        walls+=($(( (end - start) / 1000 )))
        rss+=("$kib")
    done
    local wall_median rss_median
    wall_median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    rss_median=$(printf '%s\n' "${rss[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "$wall_median $rss_median"
}

echo
echo "Whole process, median of $RUNS runs (fixture root: $root)"
printf '  %-8s %12s %12s %12s %12s %10s\n' command "AOT wall" "AOT RSS" "JIT wall" "JIT RSS" "AOT/JIT"
for name in version plan status; do
    read -r aot_us aot_kib < <(measure "$work/aot/ramdax-provision" "${commands[$name]}")
    read -r jit_us jit_kib < <(measure "$work/jit/ramdax-provision" "${commands[$name]}")
    printf '  %-8s %9.1f ms %8.1f MiB %9.1f ms %8.1f MiB %10.2f\n' "$name" \
        "$(bc -l <<<"$aot_us/1000")" "$(bc -l <<<"$aot_kib/1024")" \
        "$(bc -l <<<"$jit_us/1000")" "$(bc -l <<<"$jit_kib/1024")" "$(bc -l <<<"$aot_us/$jit_us")"
done

echo
echo "Whole-process plan at scale, median of ${SCALE_RUNS:=5} runs (bench/scale-input.sh: CARVEOUTS x 509 namespaces)"
printf '  %-12s %12s %12s %12s %12s\n' namespaces "AOT wall" "AOT RSS" "JIT wall" "JIT RSS"
for carveouts in 1 32; do
    read -r scale_root scale_config < <(bench/scale-input.sh "$work/scale-$carveouts" "$carveouts")
    args="plan --root $scale_root --config $scale_config --offline"
    # A refusal is fast: the figures are only worth printing for a plan that was made.
    "$work/aot/ramdax-provision" $args >/dev/null 2>"$work/scale-$carveouts.err" \
        || { echo "the plan of $((carveouts * 509)) namespaces failed:" >&2; cat "$work/scale-$carveouts.err" >&2; exit 1; }
    read -r aot_us aot_kib < <(RUNS=$SCALE_RUNS measure "$work/aot/ramdax-provision" "$args")
    read -r jit_us jit_kib < <(RUNS=$SCALE_RUNS measure "$work/jit/ramdax-provision" "$args")
    printf '  %-12s %9.1f ms %8.1f MiB %9.1f ms %8.1f MiB\n' $((carveouts * 509)) \
        "$(bc -l <<<"$aot_us/1000")" "$(bc -l <<<"$aot_kib/1024")" "$(bc -l <<<"$jit_us/1000")" "$(bc -l <<<"$jit_kib/1024")"
done

echo
echo "Sizes"
printf '  %-40s %8.2f MiB\n' "ramdax-provision (NativeAOT, stripped)" "$(bc -l <<<"$(stat -c %s "$work/aot/ramdax-provision")/1048576")"
deb=$(ls -t artifacts/deb/ramdax-provision_*_amd64.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then
    packaging/deb/build.sh --binary "$work/aot/ramdax-provision" --no-lintian >/dev/null
    deb=$(ls -t artifacts/deb/ramdax-provision_*_amd64.deb | head -1)
fi
printf '  %-40s %8.2f MiB\n' "$(basename "$deb")" "$(bc -l <<<"$(stat -c %s "$deb")/1048576")"

[ "${BENCH_SKIP_PLANNER:-0}" = 1 ] && exit 0
echo
echo "Planner, time per plan (BenchmarkDotNet)"
job=(--job short)
[ $quick -eq 1 ] && job=(--job dry)
dotnet run -c Release --project bench/RamDax.Provision.Benchmarks -- --filter '*' "${job[@]}" --exporters markdown \
    --artifacts "$work/bdn" 2>&1 | grep -E '^\|' || true
