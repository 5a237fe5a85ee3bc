#!/usr/bin/env bash
# The host's side of tests/host-tools.tsv: installs the Debian packages the build and the tests
# need, and checks that every program they run is there.
#
#   tests/host-tools.sh install   apt-get install the packages of the build and test rows that are
#                                 not installed yet (needs root; apt-get update first)
#   tests/host-tools.sh check     every program of the build and test rows is on PATH (a path row:
#                                 the file exists); else name each missing program and its package
#                                 and exit 1
#   tests/host-tools.sh packages  print the packages of the build and test rows, one a line
#   tests/host-tools.sh package PROGRAM
#                                 print the package that provides PROGRAM (exit 1 if unlisted)
#
# RAMDAX_HOST_TOOLS=FILE reads another list (the test of this script uses it).
set -euo pipefail

list=${RAMDAX_HOST_TOOLS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/host-tools.tsv}
[ -r "$list" ] || { echo "host-tools.sh: cannot read the tool list $list" >&2; exit 2; }

# Rows whose roles include build or test: "program package".
host_rows() {
    awk '!/^[[:space:]]*(#|$)/ && $3 ~ /(^|,)(build|test)(,|$)/ { print $1, $2 }' "$list"
}

packages() { host_rows | awk '$2 != "-" { print $2 }' | sort -u; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install() {
    local missing=() p
    while read -r p; do
        installed "$p" || missing+=("$p")
    done < <(packages)
    if [ ${#missing[@]} -eq 0 ]; then
        echo "every package of $(basename "$list") is installed"
        return 0
    fi
    echo "installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

present() {
    case $1 in
        /*) [ -e "$1" ] ;;
        *) command -v "$1" >/dev/null 2>&1 ;;
    esac
}

check() {
    local program package bad=0 count=0
    while read -r program package; do
        count=$((count + 1))
        if ! present "$program"; then
            echo "missing program: $program (Debian package $package; listed in tests/host-tools.tsv, installed by 'tests/host-tools.sh install')" >&2
            bad=1
        fi
    done < <(host_rows)
    [ "$bad" -eq 0 ] && echo "all $count programs of the build and the tests are here"
    return "$bad"
}

package() {
    awk -v p="$1" '!/^[[:space:]]*(#|$)/ && $1 == p { print $2; found = 1 } END { exit !found }' "$list"
}

case ${1:-} in
    install) install ;;
    check) check ;;
    packages) packages ;;
    package) package "${2:?package needs a program}" ;;
    *) sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
