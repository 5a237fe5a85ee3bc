#!/bin/bash
# Boot cost of the agent's early unit against the hand-written baseline (scenario 14), from the
# files boot-cost-hook.sh records per boot (which, unit-cost.txt, critical-chain-sysinit.txt,
# agent-journal.txt, baseline-journal.txt): each boot's wall time (activating to active), CPU time
# (the unit's cgroup: the unit and every program it ran) and peak memory of the cgroup, the
# programs it ran and its line on sysinit.target's critical chain; then the medians of each and
# the ratios agent/baseline against the targets (wall <= 1.2, CPU <= 1.5). Figures, not assertions:
# it exits 1 only when fewer than three boots of each have their files.
#
#   tests/vm/boot-cost-figures.sh RESULTS-DIR
set -euo pipefail
out=${1:?usage: boot-cost-figures.sh RESULTS-DIR}

printf '%-6s %-9s %9s %9s %10s  %-28s %s\n' boot unit "wall s" "CPU s" "peak MiB" "programs run" "on sysinit.target's critical chain"
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for dir in $(ls -d "$out"/boot-[0-9]* 2>/dev/null | sort -V); do
    [ -s "$dir/which" ] && [ -s "$dir/unit-cost.txt" ] || continue
    which=$(cat "$dir/which")
    case $which in agent) unit=ramdax-provision.service ;; baseline) unit=ramdax-baseline.service ;; *) continue ;; esac
    read -r wall cpu peak < <(awk -v want="$unit" -F= '
        function flush() { if (id == want) { printf "%.2f %s %s\n", (e - s) / 1e6, (c ~ /^[0-9]+$/) ? sprintf("%.2f", c / 1e9) : "?", (m ~ /^[0-9]+$/) ? sprintf("%.1f", m / 1048576) : "?" } id = "" }
        /^$/ { flush(); next }
        /^Id=/ { id = $2 }
        /^InactiveExitTimestampMonotonic=/ { s = $2 }
        /^ActiveEnterTimestampMonotonic=/ { e = $2 }
        /^CPUUsageNSec=/ { c = $2 }
        /^MemoryPeak=/ { m = $2 }
        END { flush() }' "$dir/unit-cost.txt")
    if [ "$which" = agent ]; then
        programs=$(sed -nE 's/.*apply: programs run: ([^;]*);.*/\1/p' "$dir/agent-journal.txt" | head -n1)
        rss=$(sed -nE 's/.*peak resident memory ([0-9]+ MiB).*/\1/p' "$dir/agent-journal.txt" | head -n1)
        [ -z "$rss" ] || programs="$programs, agent RSS $rss"
    else
        programs=$(sed -nE 's/.*programs run: ([0-9]+).*/\1/p' "$dir/baseline-journal.txt" | head -n1)
    fi
    chain=$( (grep -F "$unit" "$dir/critical-chain-sysinit.txt" || true) | sed -E 's/^[^a-z]*//' | head -n1)
    printf '%-6s %-9s %9s %9s %10s  %-28s %s\n' "$(basename "$dir" | cut -d- -f2)" "$which" "$wall" "$cpu" "$peak" "${programs:-?}" "${chain:-not on it}"
    echo "$which $wall $cpu" >>"$rows"
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "?"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
n_agent=$(grep -c '^agent ' "$rows" || true)
n_base=$(grep -c '^baseline ' "$rows" || true)
aw=$(awk '$1 == "agent" { print $2 }' "$rows" | median)
ac=$(awk '$1 == "agent" { print $3 }' "$rows" | median)
bw=$(awk '$1 == "baseline" { print $2 }' "$rows" | median)
bc=$(awk '$1 == "baseline" { print $3 }' "$rows" | median)
echo
printf 'median of %s agent and %s baseline boots: agent %s s wall, %s s CPU; baseline %s s wall, %s s CPU\n' "$n_agent" "$n_base" "$aw" "$ac" "$bw" "$bc"
awk -v aw="$aw" -v ac="$ac" -v bw="$bw" -v bc="$bc" 'BEGIN {
    if (bw > 0 && bc > 0) {
        rw = aw / bw; rc = ac / bc
        printf "ratio agent/baseline: wall %.2f (target <= 1.2: %s), CPU %.2f (target <= 1.5: %s)\n", rw, rw <= 1.2 ? "met" : "not met", rc, rc <= 1.5 ? "met" : "not met"
    } else print "ratio agent/baseline: no baseline figures" }'
[ "$n_agent" -ge 3 ] && [ "$n_base" -ge 3 ]
