#!/bin/bash
# Checks run-guest.sh --net-guestfwd: the guest reaches a server on the
# host's loopback through QEMU's restricted user network, once per
# connection. This is the path a test would use to stand in for a cloud
# metadata service. Nothing but 127.0.0.1 is contacted.
#
#   net-check.sh [--keep]
#
# Prints PASS/FAIL lines and "N passed, N failed". Needs root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

KEEP=0
[[ ${1:-} == --keep ]] && KEEP=1
[[ $EUID -eq 0 ]] || die "must run as root"
# socat relays each forwarded connection (guestfwd's cmd: form starts one
# per connection; the plain chardev form would connect only once).
ensure_host_tools socat python3
WORK=$(mktemp -d /var/tmp/ramdax-net.XXXXXX)
OUT=$WORK/results

# A throw-away HTTP server on loopback serving one random token.
mkdir "$WORK/www"
head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/www/token"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$WORK/www" "$PORT" \
    >"$WORK/http.log" 2>&1 &
push_cleanup "kill $! 2>/dev/null"

"$HERE/build-image.sh" --out "$WORK/disk.raw" >/dev/null
printf 'instance-id: iid-net-0001\nlocal-hostname: ramdax-net\n' >"$WORK/meta-data"
rc=0
"$HERE/run-guest.sh" --image "$WORK/disk.raw" --results "$WORK/results.img" \
    --hook "$HERE/hooks/net-check-hook.sh" --meta-data "$WORK/meta-data" \
    --net-guestfwd "tcp:10.0.2.100:80-cmd:socat - TCP:127.0.0.1:$PORT" \
    --serial-log "$WORK/serial.log" --results-out "$OUT" --timeout 600 || rc=$?

PASS=0
FAIL=0
get() { sed -n "s/^$1=//p" "$OUT/boot-1/results.env" 2>/dev/null | tail -n 1; }
expect() {
    if [[ $3 == "$2" ]]; then echo "PASS $1"; PASS=$((PASS + 1))
    else echo "FAIL $1: want '$2', got '${3:-<nothing>}'"; FAIL=$((FAIL + 1)); fi
}
token=$(cat "$WORK/www/token")
expect "guest powered off" 0 "$rc"
expect "hook ran" 0 "$(cat "$OUT/boot-1/hook.rc" 2>/dev/null)"
expect "first fetch through guestfwd" "$token" "$(get fetch1_body)"
expect "second fetch (a new connection)" "$token" "$(get fetch2_body)"
if ((FAIL)); then
    tail -n 40 "$WORK/serial.log" | tr -d '\r'
    tail -n 20 "$OUT/boot-1/hook.log" 2>/dev/null || true
    log "keeping $WORK"
elif ((!KEEP)); then
    rm -rf "$WORK"
fi
echo "$PASS passed, $FAIL failed"
((FAIL == 0))
