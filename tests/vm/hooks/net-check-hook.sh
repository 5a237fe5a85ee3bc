#!/bin/bash
# Guest side of net-check.sh: fetch /token twice from the guestfwd address
# (10.0.2.100:80), which run-guest.sh --net-guestfwd maps to a server on the
# host's 127.0.0.1. Two fetches prove that every connection is forwarded,
# not just the first. Talks to no other address.
set -euo pipefail

RES=$E2E_OUT/results.env
: >"$RES"
rec() { echo "$1=$2" >>"$RES"; echo "result: $1=$2"; }

# cloud-init leaves networking alone in this image; configure the NIC by
# hand on QEMU's user network (10.0.2.0/24).
nic=$(ip -o link show | awk -F': ' '$2 != "lo" {print $2; exit}')
rec nic "${nic:-none}"
ip link set "$nic" up
ip addr add 10.0.2.15/24 dev "$nic"

fetch() { # fetch N: GET /token over bash's /dev/tcp, body to fetch-N.txt
    local rc=0
    timeout 30 bash -c '
        exec 3<>/dev/tcp/10.0.2.100/80
        printf "GET /token HTTP/1.0\r\nHost: metadata\r\n\r\n" >&3
        cat <&3' >"$E2E_OUT/fetch-$1.raw" || rc=$?
    rec "fetch${1}_rc" "$rc"
    # The body is everything after the blank line that ends the headers.
    rec "fetch${1}_body" "$(tr -d '\r' <"$E2E_OUT/fetch-$1.raw" | sed '1,/^$/d')"
}
fetch 1
fetch 2
