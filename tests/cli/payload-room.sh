#!/bin/bash
# make payload says where it lacks room before it starts, rather than failing deep in a package
# script when the disk fills up halfway; and it leaves nothing behind.
. tests/lib/cli.sh
d=$(realpath "$(tmpdir payload-room)")
mkdir -p "$d/tiny"
mount -t tmpfs -o size=32M tenxen-test "$d/tiny" || fail "cannot mount a small tmpfs (the tests run as root)"
trap 'umount "$d/tiny"' EXIT

run env TMPDIR="$d/tiny" iso/payload.sh "$d/out/payload"
expect_rc 1
expect_out "payload: $d/tiny has 32 MiB free, and building the root needs about 4096 MiB there"
expect_out "set TMPDIR to a roomier place"
[ ! -e "$d/out/payload.new" ] || fail "a half-made payload was left in $d/out"

run env TMPDIR="$d" iso/payload.sh "$d/tiny/payload"
expect_rc 1
expect_out "payload: $d/tiny has 32 MiB free, and the payload needs about 1024 MiB there"
[ -z "$(ls -A "$d/tiny")" ] || fail "the small disk was written to: $(ls -A "$d/tiny")"
echo "ok"
