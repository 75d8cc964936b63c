#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A rehearsal of a fresh machine: tools/deps.sh run in a minimal Debian 12
# root that has nothing of the project's packages, against the real
# archive, with apt-get's installs simulated (apt-get -s). apt must resolve
# the whole set; the run fails if deps.sh fails, says nothing, or leaves a
# package of its list or a 6.12 kernel unresolved.
#
#   tests/fresh-machine/run.sh [DEPS_SCRIPT]   default: tools/deps.sh
#   tests/fresh-machine/run.sh --bug-back     the rehearsal must fail on a
#       deps.sh whose look-up of installed kernels fails when none is there
#       (dpkg-query exits 1 when nothing matches), as an earlier one did
#
# The root is built once with mmdebstrap (variant apt: Essential and apt)
# from the mirrors the machine's own apt sources name, and cached as a
# tarball under ${NOVA_CACHE:-~/.cache/nova-cxx}/fresh-root/; each run
# unpacks a new copy, so that no run sees another's state. Needs root
# (chroot). See Documentation/testing-host.rst.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
say() { echo "fresh-machine: $*" >&2; }
fail() {
	say "$*"
	exit 1
}

if [ "${1:-}" = "--bug-back" ]; then
	mutant=$(mktemp /tmp/nova-deps-mutant.XXXXXX)
	trap 'rm -f "$mutant"' EXIT
	sed '/^installed() {/,/^}/s/ || true//' "$TOP/tools/deps.sh" > "$mutant"
	chmod +x "$mutant"
	cmp -s "$mutant" "$TOP/tools/deps.sh" && fail "could not put the bug back into a copy of tools/deps.sh"
	if "$0" "$mutant"; then
		fail "the rehearsal passed a deps.sh that fails when no package of a pattern is installed"
	fi
	echo "fresh-machine: the rehearsal fails on the deps.sh with the bug back, as it must"
	exit 0
fi
deps=${1:-$TOP/tools/deps.sh}
[ "$(id -u)" = 0 ] || fail "needs root (chroot into the rehearsal root)"
command -v mmdebstrap > /dev/null || fail "mmdebstrap is not installed (tools/deps.sh)"

# The machine's own mirrors for bookworm and bookworm-security.
uris=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}' || true)
main_uri=$(grep -v -- '-security' <<<"$uris" | head -n1 || true)
sec_uri=$(grep -- '-security' <<<"$uris" | head -n1 || true)
main_uri=${main_uri:-http://deb.debian.org/debian}
sec_uri=${sec_uri:-http://deb.debian.org/debian-security}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
sources=(
	"deb [signed-by=$keyring] $main_uri bookworm main"
	"deb [signed-by=$keyring] $main_uri bookworm-updates main"
	"deb [signed-by=$keyring] $sec_uri bookworm-security main"
)

# >>> recipe (hashed: a change selects a new cache entry)
recipe_args=(--variant=apt --include=ca-certificates --skip=cleanup/apt/lists)
# <<< recipe
key=$({
	sed -n '/^# >>> recipe/,/^# <<< recipe/p' "$0"
	printf '%s\n' "${sources[@]}"
	mmdebstrap --version
} | sha256sum | cut -c1-12)
cache=${NOVA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nova-cxx}/fresh-root
tarball=$cache/bookworm-$key.tar
if [ ! -f "$tarball" ]; then
	mkdir -p "$cache"
	say "building the bookworm root once (mmdebstrap)"
	t0=$SECONDS
	mmdebstrap --quiet "${recipe_args[@]}" bookworm "$cache/partial-$key.tar" "${sources[@]}" ||
		fail "mmdebstrap could not build the root (see above)"
	mv "$cache/partial-$key.tar" "$tarball"
	say "root built in $((SECONDS - t0)) s: $tarball"
fi

root=$(mktemp -d /tmp/nova-fresh.XXXXXX)
cleanup() {
	umount -l "$root/proc" 2>/dev/null || true
	rm -rf "$root"
}
trap cleanup EXIT
tar -C "$root" -xf "$tarball"

# Nothing of the project's list may be there already, or the rehearsal
# would not be of a fresh machine.
"$deps" --print > "$root/packages"
grep -v '6\.12\.N' "$root/packages" > "$root/expected" || true
pre=$(chroot "$root" dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' \
	$(cat "$root/expected") 2>/dev/null | awk '$1 == "ii" {print $2}' || true)
[ -z "$pre" ] || fail "the root already has packages of the list: $(echo $pre)"

mkdir -p "$root/nova/tools"
cp "$deps" "$root/nova/tools/deps.sh"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# apt-get's installs simulated; everything else (update) real.
cat > "$root/usr/local/sbin/apt-get" <<'WRAP'
#!/bin/sh
for a in "$@"; do
	[ "$a" = install ] && exec /usr/bin/apt-get -s "$@"
done
exec /usr/bin/apt-get "$@"
WRAP
chmod +x "$root/usr/local/sbin/apt-get"
mount -t proc proc "$root/proc"

log=$root/deps.log
set +e
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	/bin/bash /nova/tools/deps.sh > "$log" 2>&1
rc=$?
set -e
grep -E '^(deps|E):' "$log" || true
[ "$rc" = 0 ] || fail "tools/deps.sh failed (exit $rc) on a fresh Debian 12: $(tail -n1 "$log" | grep . || echo 'it printed nothing')"

# Every package of the list and a whole 6.12 kernel is among the
# simulated installs.
inst=$(awk '$1 == "Inst" {print $2}' "$log")
missing=$(grep -vxF -f <(printf '%s\n' $inst) "$root/expected" || true)
[ -z "$missing" ] || fail "apt would not install: $(echo $missing)"
k=$(sed -n 's/^linux-headers-\(6\.12\.[0-9]*+deb12-amd64\)$/\1/p' <<<"$inst" | head -n1)
[ -n "$k" ] || fail "no 6.12 kernel among the installs"
for p in "linux-headers-${k%-amd64}-rt-amd64"; do
	grep -qxF "$p" <<<"$inst" || fail "apt would not install $p"
done
for img in "linux-image-$k" "linux-image-${k%-amd64}-rt-amd64"; do
	grep -qx -e "$img" -e "$img-unsigned" <<<"$inst" || fail "apt would not install $img"
done
echo "fresh-machine: apt resolves all $(wc -l < "$root/expected") packages and the 6.12 kernel $k ($(wc -w <<<"$inst") packages in all)"
