#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/deps.sh's choice of packages, against stubbed archives: apt-cache,
# dpkg-query, apt-get and id on PATH answer from two lists of a case,
# the packages the archive has (a name alone: it has a candidate; a name
# and "none": known, without one) and the packages installed. apt-get
# install only records what it was asked for. Each case asserts the exit
# status, the packages asked for (or that none were) and, for a failure,
# that it said why in one line.
#
#   tests/deps/run.sh        every case; TAP-like lines, then "N passed, M failed"
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
DEPS=${NOVA_DEPS_SCRIPT:-$TOP/tools/deps.sh}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

mkdir -p "$work/bin"
cat > "$work/bin/apt-cache" <<'STUB'
#!/bin/bash
cmd=$1; shift
case $cmd in
policy)
	for n in "$@"; do
		line=$(grep -E "^$(printf '%s' "$n" | sed 's/[.+]/\\&/g')( |\$)" "$STUB_CASE/archive")
		[ -n "$line" ] || continue
		echo "$n:"
		grep -qxF "$n" "$STUB_CASE/installed" && echo "  Installed: 1" || echo "  Installed: (none)"
		case $line in *" none") echo "  Candidate: (none)" ;; *) echo "  Candidate: 1" ;; esac
		echo "  Version table:"
	done ;;
pkgnames)
	awk -v p="$1" 'index($1, p) == 1 {print $1}' "$STUB_CASE/archive" ;;
*) echo "apt-cache stub: $cmd" >&2; exit 100 ;;
esac
STUB
cat > "$work/bin/dpkg-query" <<'STUB'
#!/bin/bash
# dpkg-query -W -f=FORMAT PATTERN...: "ii  name" for each installed match.
shift 2
found=0
for pat in "$@"; do
	while read -r n; do
		[ -n "$n" ] || continue
		# shellcheck disable=SC2053 # a glob on purpose
		if [[ $n == $pat ]]; then echo "ii  $n"; found=1; fi
	done < "$STUB_CASE/installed"
done
[ $found = 1 ] || { echo "dpkg-query: no packages found matching $*" >&2; exit 1; }
STUB
cat > "$work/bin/apt-get" <<'STUB'
#!/bin/bash
# update: fails when the case says so; install: records its arguments.
for a in "$@"; do
	case $a in
	update) [ -f "$STUB_CASE/update-fails" ] && { echo "E: Failed to fetch stub"; exit 100; }; exit 0 ;;
	install) echo "$*" > "$STUB_CASE/asked"; exit 0 ;;
	esac
done
echo "apt-get stub: $*" >&2
exit 100
STUB
cat > "$work/bin/id" <<'STUB'
#!/bin/sh
echo "${STUB_UID:-0}"
STUB
chmod +x "$work/bin"/*

base=$("$DEPS" --print | grep -v '6\.12\.N')

# A release's four packages as the archive or dpkg lists them.
release() { # N [flavours: std rt] [image suffix]
	local n=$1 img=${2:-} k
	for k in "6.12.$n+deb12-amd64" "6.12.$n+deb12-rt-amd64"; do
		echo "linux-headers-$k"
		echo "linux-image-$k$img"
	done
}

# new_case NAME: a fresh case directory; the archive holds the base
# packages; fill archive and installed after it.
new_case() {
	case_name=$1
	STUB_CASE=$work/cases/$1
	mkdir -p "$STUB_CASE"
	echo "$base" > "$STUB_CASE/archive"
	: > "$STUB_CASE/installed"
	export STUB_CASE
}

# expect RC WANT [ENV...]: run deps.sh; WANT is the kernel release whose
# packages it must ask for, "nothing" when it must not install, or a
# pattern its one-line failure must match.
expect() {
	local want_rc=$1 want=$2 out rc ok=1
	shift 2
	rm -f "$STUB_CASE/asked"
	out=$(env "$@" PATH="$work/bin:$PATH" "$DEPS" 2>&1)
	rc=$?
	[ "$rc" = "$want_rc" ] || { ok=0; echo "# exit $rc, expected $want_rc"; }
	if [ "$want" = nothing ]; then
		[ ! -f "$STUB_CASE/asked" ] || { ok=0; echo "# asked for: $(cat "$STUB_CASE/asked")"; }
	elif [ "$want_rc" = 0 ]; then
		if [ ! -f "$STUB_CASE/asked" ]; then
			ok=0; echo "# installed nothing"
		else
			local asked
			asked=$(tr ' ' '\n' < "$STUB_CASE/asked" | grep -v -e '^-' -e '^install$')
			for p in $base $want; do
				grep -qxF "$p" <<<"$asked" || { ok=0; echo "# not asked for: $p"; }
			done
			local extra
			extra=$(grep -vxF -f <(printf '%s\n' $base $want) <<<"$asked")
			[ -z "$extra" ] || { ok=0; echo "# asked for more: $extra"; }
		fi
	else
		[ ! -f "$STUB_CASE/asked" ] || { ok=0; echo "# asked for: $(cat "$STUB_CASE/asked")"; }
		[ "$(grep -c '^deps: ' <<<"$out")" = 1 ] || { ok=0; echo "# not one deps: line"; }
		grep -q -E "$want" <<<"$out" || { ok=0; echo "# no line matching: $want"; }
	fi
	if [ $ok = 1 ]; then
		passed=$((passed + 1)); echo "ok - $case_name"
	else
		failed=$((failed + 1)); echo "not ok - $case_name"; sed 's/^/#   /' <<<"$out"
	fi
}

r() { release "$@" | tr '\n' ' '; }

new_case nothing-installed
{ release 115; release 117; release 118; } >> "$STUB_CASE/archive"
expect 0 "$(r 118)"

new_case headers-ahead-of-images
{ release 117; echo "linux-headers-6.12.118+deb12-amd64"; echo "linux-headers-6.12.118+deb12-rt-amd64"
  echo "linux-image-6.12.118+deb12-amd64 none"; echo "linux-image-6.12.118+deb12-rt-amd64 none"; } >> "$STUB_CASE/archive"
expect 0 "$(r 117)"

new_case rt-behind-standard
{ release 117; echo "linux-headers-6.12.118+deb12-amd64"; echo "linux-image-6.12.118+deb12-amd64"; } >> "$STUB_CASE/archive"
expect 0 "$(r 117)"

new_case only-unsigned-images
{ release 117; release 118 -unsigned; echo "linux-image-6.12.118+deb12-amd64 none"; } >> "$STUB_CASE/archive"
expect 0 "$(r 118 -unsigned)"

new_case signed-preferred-over-unsigned
{ release 118; release 118 -unsigned; } >> "$STUB_CASE/archive"
expect 0 "$(r 118)"

new_case pinned-release
{ release 115; release 118; } >> "$STUB_CASE/archive"
expect 0 "$(r 115)" NOVA_K612=6.12.115+deb12-amd64

new_case pinned-short-form
{ release 115; release 118; } >> "$STUB_CASE/archive"
expect 0 "$(r 115)" NOVA_K612=6.12.115

new_case pinned-release-not-in-archive
release 118 >> "$STUB_CASE/archive"
expect 1 'NOVA_K612=6\.12\.99.*lacks' NOVA_K612=6.12.99+deb12-amd64

new_case pinned-release-malformed
release 118 >> "$STUB_CASE/archive"
expect 1 'not a 6\.12 release' NOVA_K612=7.3

new_case complete-install-kept
{ release 117; release 118; } >> "$STUB_CASE/archive"
{ echo "$base"; release 117; } > "$STUB_CASE/installed"
expect 0 nothing

new_case complete-unsigned-install-kept
release 118 >> "$STUB_CASE/archive"
{ echo "$base"; release 116 -unsigned; } > "$STUB_CASE/installed"
expect 0 nothing

new_case complete-kernel-base-missing
{ release 117; release 118; } >> "$STUB_CASE/archive"
{ echo "$base" | grep -v '^gnuplot-nox$'; release 117; } > "$STUB_CASE/installed"
expect 0 "$(r 117)"

new_case partial-install-replaced
{ release 117; release 118; } >> "$STUB_CASE/archive"
{ echo "$base"; echo "linux-headers-6.12.117+deb12-amd64"; echo "linux-image-6.12.117+deb12-amd64"; } > "$STUB_CASE/installed"
expect 0 "$(r 118)"

new_case no-612-in-archive
expect 1 'no linux-headers-6\.12.*bookworm-security'

new_case no-complete-release
{ echo "linux-headers-6.12.118+deb12-amd64"; echo "linux-image-6.12.118+deb12-amd64"; } >> "$STUB_CASE/archive"
expect 1 'no 6\.12 release.*NOVA_K612'

new_case not-root
release 118 >> "$STUB_CASE/archive"
expect 1 'run as root: sudo ' STUB_UID=1000

new_case update-fails
release 118 >> "$STUB_CASE/archive"
touch "$STUB_CASE/update-fails"
expect 1 'apt-get update failed.*network'

# tools/k612-release: the release the build and the VM use, from what is
# installed (headers in usr/src, images in boot under K612_ROOT).
k612_case() {
	local name=$1 want=$2 want_rt=$3 got got_rt
	shift 3
	local root="$work/k612-$name"
	mkdir -p "$root/usr/src" "$root/boot"
	for f in "$@"; do
		case $f in
		vmlinuz-*) touch "$root/boot/$f" ;;
		*) mkdir -p "$root/usr/src/$f" ;;
		esac
	done
	got=$(K612_ROOT=$root "$TOP/tools/k612-release")
	got_rt=$(K612_ROOT=$root "$TOP/tools/k612-release" --rt)
	if [ "$got" = "$want" ] && [ "$got_rt" = "$want_rt" ]; then
		echo "ok - k612-release-$name"
		passed=$((passed + 1))
	else
		echo "not ok - k612-release-$name: '$got' '$got_rt', want '$want' '$want_rt'"
		failed=$((failed + 1))
	fi
}
whole() {
	echo "linux-headers-6.12.$1+deb12-amd64 linux-headers-6.12.$1+deb12-rt-amd64"
	echo "vmlinuz-6.12.$1+deb12-amd64 vmlinuz-6.12.$1+deb12-rt-amd64"
}
# shellcheck disable=SC2046 # one word per file on purpose
k612_case whole-kept 6.12.117+deb12-amd64 6.12.117+deb12-rt-amd64 $(whole 117) \
	linux-headers-6.12.118+deb12-amd64 vmlinuz-6.12.118+deb12-amd64
# shellcheck disable=SC2046
k612_case newest-whole 6.12.118+deb12-amd64 6.12.118+deb12-rt-amd64 $(whole 117) $(whole 118)
k612_case headers-only 6.12.118+deb12-amd64 "" linux-headers-6.12.118+deb12-amd64 \
	linux-headers-6.12.9+deb12-amd64
k612_case nothing "" ""

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
