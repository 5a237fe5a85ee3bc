#!/bin/bash
# Boot figures of the agent's units, from the files the scenario hooks record per boot
# (systemd-analyze.txt, unit-times.txt, agent-journal.txt): userspace boot time, and for each
# agent unit its wall time (activating to active) and CPU time (its cgroup: the agent and the
# tools it ran), with their shares of userspace; then where the early unit's time went, stage by
# stage, and how long from its start until every mount was up.
#
#   tests/vm/boot-figures.sh RESULTS-DIR [LABEL]...
#
# RESULTS-DIR is a run-guest.sh --results-out copy with boot-N/ folders. Each LABEL names the
# boot of the same position (boot-1, boot-2, ...) in the table; boots without a label are shown
# with their folder name. Exits 1 when a boot lacks the recorded files.
set -euo pipefail
out=${1:?usage: boot-figures.sh RESULTS-DIR [LABEL]...}
shift
labels=("$@")

# seconds SYSTEMD-TIME: "1min 28.616s", "55.127s", "812ms" -> seconds with three decimals
seconds() {
    awk -v t="$1" 'BEGIN {
        s = 0; n = split(t, p, " ")
        for (i = 1; i <= n; i++) {
            v = p[i]
            if (v ~ /min$/) s += substr(v, 1, length(v) - 3) * 60
            else if (v ~ /ms$/) s += substr(v, 1, length(v) - 2) / 1000
            else if (v ~ /s$/) s += substr(v, 1, length(v) - 1)
        }
        printf "%.3f", s
    }'
}

printf '%-34s %10s %24s %24s\n' boot userspace "early unit: wall / CPU" "instance unit: wall / CPU"
status=0
i=0
for dir in $(ls -d "$out"/boot-[0-9]* 2>/dev/null | sort -V); do
    label=${labels[$i]:-$(basename "$dir")}
    i=$((i + 1))
    if [ ! -s "$dir/systemd-analyze.txt" ] || [ ! -s "$dir/unit-times.txt" ]; then
        echo "boot-figures: $dir lacks systemd-analyze.txt or unit-times.txt" >&2
        status=1
        continue
    fi
    userspace=$(sed -nE 's/.*\+ ([0-9.]+(min|s|ms)( [0-9.]+(s|ms))?) \(userspace\).*/\1/p' "$dir/systemd-analyze.txt")
    if [ -z "$userspace" ]; then
        echo "boot-figures: no userspace time in $dir/systemd-analyze.txt" >&2
        status=1
        continue
    fi
    us=$(seconds "$userspace")
    # systemctl show prints one block per unit, properties in its own order, blocks apart by a blank line.
    row=$(awk -v us="$us" -F= '
        function flush() { if (id != "") { start[id] = s; end[id] = e; cpu[id] = c } id = ""; s = 0; e = 0; c = "" }
        /^$/ { flush(); next }
        /^Id=/ { id = $2 }
        /^InactiveExitTimestampMonotonic=/ { s = $2 }
        /^ActiveEnterTimestampMonotonic=/ { e = $2 }
        /^CPUUsageNSec=/ { c = $2 }
        function cell(u,   w, c) {
            if (!(u in start) || start[u] == 0 || end[u] == 0) return sprintf("%24s", "not run")
            w = (end[u] - start[u]) / 1e6
            c = (cpu[u] ~ /^[0-9]+$/) ? sprintf("%.2f s", cpu[u] / 1e9) : "?"
            return sprintf("%24s", sprintf("%.2f s (%.1f%%) / %s", w, 100 * w / us, c))
        }
        END { flush(); printf "%s %s", cell("ramdax-provision.service"), cell("ramdax-provision-instance.service") }
    ' "$dir/unit-times.txt")
    printf '%-34s %9.2fs %s\n' "$label" "$us" "$row"
done
[ "$i" -gt 0 ] || { echo "boot-figures: no boot-N folders under $out" >&2; status=1; }

# Where the early unit's time went, from its journal lines (agent-journal.txt, monotonic seconds):
# unit start to the agent's first line (process start, configuration, recorded plan), then each
# reconcile stage up to its last line, and unit start to the last mount line (all mounts ready).
echo
printf '%-34s %7s %7s %7s %7s %7s %7s %7s %9s\n' "early unit, seconds" start bind regions nspaces fs mounts rest "mounts up"
i=0
for dir in $(ls -d "$out"/boot-[0-9]* 2>/dev/null | sort -V); do
    label=${labels[$i]:-$(basename "$dir")}
    i=$((i + 1))
    [ -s "$dir/agent-journal.txt" ] || continue
    awk -v label="$label" '
        function t(line) { return substr(line, 2, index(line, "]") - 2) + 0 }
        /systemd\[1\]: Starting ramdax-provision.service/ && !start { start = t($0); next }
        /systemd\[1\]: Finished ramdax-provision.service/ && !done { done = t($0); next }
        start && !done && /ramdax-provision\[[0-9]+\]:/ {
            if (!pid) { match($0, /ramdax-provision\[[0-9]+\]/); pid = substr($0, RSTART, RLENGTH); first = t($0) }
            if (index($0, pid) == 0) next
            now = t($0)
            if ($0 ~ /e820_pmem/ && !bound) bound = now
            if ($0 ~ /carve-out .*: region/) regions = now
            # Outcome lines only ("namespace NAME: created: ..."), not "namespace NAME: mkfs.ext4 ...".
            if ($0 ~ /namespace .[^ ]+.: [a-z_]+: /) nspaces = now
            if ($0 ~ /filesystem .[^ ]+.: [a-z_]+: /) fs = now
            if ($0 ~ /mount .[^ ]+.: [a-z_]+: /) mounts = now
        }
        function d(a, b) { return (a && b) ? sprintf("%7.1f", a - b) : sprintf("%7s", "-") }
        END {
            if (!start || !done) exit
            printf "%-34s %s %s %s %s %s %s %s %9s\n", label, d(first, start), d(bound, first), d(regions, bound),
                d(nspaces, regions), d(fs, nspaces), d(mounts, fs), d(done, mounts ? mounts : first),
                mounts ? sprintf("%.1f", mounts - start) : "-"
        }' "$dir/agent-journal.txt"
done
exit $status
