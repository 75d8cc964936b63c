#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages this project needs. Idempotent: when every
# package is present it only runs dpkg-query and returns.
#
#   tools/deps.sh            install what is missing (root)
#   tools/deps.sh --print    list the packages, install nothing
#   tools/deps.sh --choose   print the 6.12 release it would use, install nothing
#
# The 6.12 line comes from bookworm-security, one release 6.12.N at a time,
# each in a standard (6.12.N+deb12-amd64) and a PREEMPT_RT
# (6.12.N+deb12-rt-amd64) flavour, each flavour as headers and an image.
# The archive moves on: a new N can appear with its headers before its
# images, or with its RT build behind the standard one, or with only the
# -unsigned image. So the release is chosen thus:
#
#   - NOVA_K612=6.12.N+deb12-amd64 (or just 6.12.N) pins it;
#   - else a release already installed whole (both flavours' headers and
#     images, signed or -unsigned) is kept, the newest if several;
#   - else the newest N for which all four have an installation candidate
#     (for the images, the signed or the -unsigned package).
#
# linux-source-6.12 (the debug kernel's source and the kselftest harness)
# is whatever 6.12 the archive has: it may be another N than the one
# chosen here, and nothing requires them to match (the debug kernel is
# built from that source alone, its cache keyed on its version).
#
# Every failure ends with one line saying why and what to do.
set -Eeuo pipefail

say() { echo "deps: $*" >&2; }
fail() {
	say "$*"
	exit 1
}
# Whatever else fails names itself instead of ending the script silently:
# once, from the script's own shell (a failure in a command substitution
# ends its subshell quietly and fails the command around it).
trap 'rc=$?; [ "$BASHPID" = "$$" ] && say "unexpected failure (exit $rc) of: $BASH_COMMAND (line $LINENO); run tools/deps.sh again, or report it"; exit $rc' ERR

base_pkgs=(
	build-essential g++-12 gcc-12 make bc flex bison kmod cpio xz-utils zstd
	libelf-dev libssl-dev dwarves python3 rsync clang-format
	busybox-static
	libdrm-dev libdrm-tests drm-info pkg-config gnuplot-nox
	dkms linux-source-6.12 mmdebstrap
	linux-image-amd64 linux-headers-amd64
)

# "6.12.N+deb12-amd64" from "6.12.N+deb12-amd64" or "6.12.N".
normalize() {
	case $1 in
	6.12.[0-9]*+deb12-amd64) echo "$1" ;;
	6.12.[0-9]*) echo "${1%%+*}+deb12-amd64" ;;
	*) return 1 ;;
	esac
}

rt_of() { echo "${1%-amd64}-rt-amd64"; }

# The packages of one release, one line each; an image line holds the
# signed name and the -unsigned one that may stand in for it.
release_pkgs() {
	local rt
	rt=$(rt_of "$1")
	echo "linux-headers-$1"
	echo "linux-headers-$rt"
	echo "linux-image-$1 linux-image-$1-unsigned"
	echo "linux-image-$rt linux-image-$rt-unsigned"
}

# The installed packages among the given names, one a line.
installed() {
	{ dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$@" 2>/dev/null || true; } |
		awk '$1 == "ii" {print $2}'
}

# The names among the given ones that have an installation candidate.
with_candidate() {
	{ apt-cache policy "$@" 2>/dev/null || true; } | awk '
		/^[^ ].*:$/ { pkg = substr($0, 1, length($0) - 1) }
		/^  Candidate:/ { if ($2 != "(none)" && pkg != "") print pkg; pkg = "" }'
}

# pick_release LIST: the first release of LIST (newest first) whose four
# packages are all in $have (a newline-separated set); prints it and the
# names to install, the first name found of each line.
pick_release() {
	local k line name chosen
	for k in $1; do
		chosen=()
		while read -r line; do
			for name in $line; do
				if grep -qxF "$name" <<<"$have"; then
					chosen+=("$name")
					continue 2
				fi
			done
			continue 2
		done < <(release_pkgs "$k")
		[ ${#chosen[@]} -eq 4 ] || continue
		echo "$k ${chosen[*]}"
		return 0
	done
	return 1
}

# Releases named in the given package names, newest first.
releases_in() {
	sed -n 's/^linux-headers-\(6\.12\.[0-9]*+deb12-amd64\)$/\1/p' | sort -u -V -r
}

if [ "${1:-}" = "--print" ]; then
	printf '%s\n' "${base_pkgs[@]}" \
		"linux-image-6.12.N+deb12-amd64" "linux-headers-6.12.N+deb12-amd64" \
		"linux-image-6.12.N+deb12-rt-amd64" "linux-headers-6.12.N+deb12-rt-amd64"
	exit 0
fi
choose_only=0
case $#:${1:-} in
0:) ;;
1:--choose) choose_only=1 ;;
*) fail "unknown arguments: $*; usage: $0 [--print|--choose]" ;;
esac

pin=""
if [ -n "${NOVA_K612:-}" ]; then
	pin=$(normalize "$NOVA_K612") ||
		fail "NOVA_K612=$NOVA_K612 is not a 6.12 release; give 6.12.N+deb12-amd64 or 6.12.N, or unset it"
fi

# What is installed already: the pinned release, or every 6.12 release
# whose headers are there.
if [ -n "$pin" ]; then
	local_releases=$pin
else
	local_releases=$(installed 'linux-headers-6.12.*+deb12-amd64' | releases_in)
fi
# shellcheck disable=SC2046 # one word per package
have=$(installed "${base_pkgs[@]}" $(for k in $local_releases; do release_pkgs "$k"; done))
kept=$(pick_release "$local_releases" || true)

missing_base=()
for p in "${base_pkgs[@]}"; do
	grep -qxF "$p" <<<"$have" || missing_base+=("$p")
done

if [ -n "$kept" ] && [ ${#missing_base[@]} -eq 0 ]; then
	[ "$choose_only" = 1 ] && echo "${kept%% *}"
	exit 0
fi

if [ "$choose_only" = 0 ] && [ "$(id -u)" -ne 0 ]; then
	fail "packages are missing (${missing_base[*]:-a whole 6.12 kernel}); run as root: sudo $0"
fi

export DEBIAN_FRONTEND=noninteractive
if [ "$choose_only" = 0 ]; then
	log=$(mktemp)
	# apt-get update can exit 0 when an index could not be fetched.
	if ! apt-get update -q > "$log" 2>&1 ||
		grep -qE '^(E: |W: Failed to fetch|W: Some index files failed)' "$log"; then
		why=$(grep -E '^(E: |W: |Err:)' "$log" | head -n1 || true)
		rm -f "$log"
		fail "apt-get update failed (${why:-no reason given}): check the network and /etc/apt/sources.list*, then run $0 again"
	fi
	rm -f "$log"
fi

if [ -n "$kept" ]; then
	set -- ${kept#* }
elif [ -n "$pin" ]; then
	# shellcheck disable=SC2046
	have=$(with_candidate $(release_pkgs "$pin"))
	kept=$(pick_release "$pin") ||
		fail "NOVA_K612=$NOVA_K612: the archive lacks some of $(release_pkgs "$pin" | awk '{print $1}' | tr '\n' ' ')(apt-cache policy names them); unset NOVA_K612 to use the newest complete 6.12"
	set -- ${kept#* }
else
	names=$(apt-cache pkgnames linux-headers-6.12. 2>/dev/null || true)
	releases=$(releases_in <<<"$names")
	[ -n "$releases" ] ||
		fail "the archive has no linux-headers-6.12.N+deb12-amd64: add bookworm-security to the apt sources, run apt-get update, then $0 again"
	# shellcheck disable=SC2046
	have=$(with_candidate $(for k in $releases; do release_pkgs "$k"; done))
	kept=$(pick_release "$releases") ||
		fail "no 6.12 release in the archive has headers and images of both flavours (standard and RT) yet; pin one that is installable with NOVA_K612=6.12.N"
	set -- ${kept#* }
fi

if [ "$choose_only" = 1 ]; then
	echo "${kept%% *}"
	exit 0
fi

say "installing ${missing_base[*]:+${missing_base[*]} and }the 6.12 kernel ${kept%% *}"
apt-get install -y -q --no-install-recommends "${base_pkgs[@]}" "$@" ||
	fail "apt-get install failed (its messages are above); fix what they name, or pin another 6.12 with NOVA_K612=6.12.N, then run $0 again"
