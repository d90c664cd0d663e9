# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the style checks, sourced with $top set to the tree's top and
# $style_src to where the kernel's scripts go (build/linux-source): the
# scripts, extracted once from the linux-source-6.12 package's tarball,
# and the TAP loop.

: "${top:?}" "${style_src:?}"

# style_extract PATH...: extract these paths of the kernel tree, unless
# they are there already.
style_extract() {
	missing=
	for path in "$@"; do
		[ -f "$style_src/$path" ] || missing=1
	done
	[ -n "$missing" ] || return 0
	tarball=
	for candidate in /usr/src/linux-source-6.12*.tar.xz; do
		[ -f "$candidate" ] && tarball=$candidate
	done
	if [ -z "$tarball" ]; then
		echo "$0: install linux-source-6.12" >&2
		return 1
	fi
	n=$#
	while [ "$n" -gt 0 ]; do
		set -- "$@" "*/$1"
		shift
		n=$((n - 1))
	done
	mkdir -p "$style_src"
	tar -xJf "$tarball" -C "$style_src" --strip-components=1 --wildcards "$@"
}

# style_tracked: the kernel sources git tracks (drivers/ and include/), one
# per line, as paths from the top.
style_tracked() {
	git -C "$top" ls-files 'drivers/*.[ch]' 'include/*.h'
}

n=0 failed=0

# style_report STATUS DESCRIPTION REPORT: one TAP line, passing if STATUS
# is 0, else failing with REPORT as its diagnostics.
style_report() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		printf '%s\n' "$3" | sed 's/^/# /'
		failed=1
	fi
}

# style_tap NAME FILE...: run style_one PATH (defined by the caller) on
# every file, from the top with PATH relative to it (checkpatch tells
# include/uapi/ by its path), one TAP line each. The caller ends with
# style_plan.
style_tap() {
	name=$1
	shift
	here=$(pwd)
	cd "$top" || exit 1
	for file in "$@"; do
		case $file in
		/*) path=$file ;;
		*) path=$here/$file ;;
		esac
		path=${path#"$top"/}
		report=$(style_one "$path" 2>&1)
		style_report $? "$name $path" "$report"
	done
}

# style_plan: print the TAP plan and exit, non-zero if any line failed.
style_plan() {
	echo "1..$n"
	exit "$failed"
}
