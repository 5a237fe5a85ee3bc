#!/bin/bash
# Builds ramdax-provision_<version>_amd64.deb with Debian's own tools and checks it with lintian.
#
#   packaging/deb/build.sh [--binary PATH] [--out DIR] [--no-lintian]
#
#   --binary PATH  package this ramdax-provision executable instead of publishing one
#   --out DIR      where the .deb (and its .buildinfo and .changes) go; default artifacts/deb
#   --no-lintian   skip the lintian check
#
# The version is <Version> in Directory.Build.props, the only place it is written. Without
# --binary the script publishes the NativeAOT executable itself, which needs the .NET SDK
# (global.json names the version). Missing Debian build tools are installed with apt-get, so a
# fresh Debian 12 machine needs nothing else.
set -euo pipefail

# What this script and debian/rules use: dpkg-buildpackage and dh (dpkg-dev, debhelper),
# fakeroot, lintian; clang and zlib1g-dev for the NativeAOT link step of dotnet publish.
BUILD_DEPENDS=(debhelper dpkg-dev fakeroot lintian clang zlib1g-dev)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
binary=""
out="$repo/artifacts/deb"
run_lintian=1

usage() {
    sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --binary) binary=$(realpath "${2:?--binary needs a path}"); shift 2 ;;
        --out) out=${2:?--out needs a directory}; shift 2 ;;
        --no-lintian) run_lintian=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "build.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

fail() {
    echo "build.sh: $*" >&2
    exit 1
}

install_build_depends() {
    local missing=() package
    for package in "${BUILD_DEPENDS[@]}"; do
        if [ "$(dpkg-query -W -f '${db:Status-Status}' "$package" 2>/dev/null)" != installed ]; then
            missing+=("$package")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "build.sh: installing build dependencies: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || fail "missing ${missing[*]}; install them as root (apt-get install ${missing[*]})"
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

read_version() {
    local version
    version=$(sed -n 's:.*<Version>\([^<]*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)
    [[ $version =~ ^[0-9][0-9A-Za-z.+~]*$ ]] \
        || fail "no usable <Version> in $repo/Directory.Build.props (found '$version')"
    echo "$version"
}

install_build_depends
version=$(read_version)
mkdir -p "$out"
out=$(realpath "$out")

work=$(mktemp -d "${TMPDIR:-/tmp}/ramdax-provision-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -z "$binary" ]; then
    command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is not installed; install it, or pass --binary PATH"
    echo "build.sh: publishing the NativeAOT executable ($version)"
    dotnet publish "$repo/src/RamDax.Provision" -c Release -r linux-x64 -p:PublishAot=true \
        -p:Version="$version" -o "$work/publish" -nologo
    binary="$work/publish/ramdax-provision"
fi
[ -x "$binary" ] || fail "$binary is not an executable"
file -L "$binary" 2>/dev/null | grep -q 'ELF 64-bit.*x86-64' || fail "$binary is not an x86-64 ELF executable"

# A source tree for dpkg-buildpackage: the Debian packaging, the templates of every shipped
# file, and the executable.
source="$work/ramdax-provision-$version"
mkdir -p "$source/build"
cp -a "$here/debian" "$source/debian"
cp -a "$repo/templates" "$source/templates"
install -m 0755 "$binary" "$source/build/ramdax-provision"

# The package version is the project version: the newest changelog entry takes it, whatever
# number it was written with.
sed -i "1s/^ramdax-provision ([^)]*)/ramdax-provision ($version)/" "$source/debian/changelog"

echo "build.sh: building the package"
(cd "$source" && dpkg-buildpackage -b -us -uc)

deb="ramdax-provision_${version}_amd64.deb"
for artifact in "$deb" "ramdax-provision_${version}_amd64.buildinfo" "ramdax-provision_${version}_amd64.changes"; do
    cp "$work/$artifact" "$out/"
done
echo "build.sh: built $out/$deb"

if [ "$run_lintian" -eq 1 ]; then
    echo "build.sh: lintian $deb"
    lintian --display-info --fail-on error,warning "$out/$deb"
    echo "build.sh: lintian: no errors, no warnings"
fi
