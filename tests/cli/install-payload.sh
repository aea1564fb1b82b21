#!/bin/bash
# The payload is checked before any disk is touched: a medium without the root, without tenxen's
# layer, without the repository, or without a package set the answer file asks for is refused
# with what is missing; so is a prebuilt layer whose list of removals is missing or unsafe.
# (install --dry-run checks it when --payload is given.)
. tests/lib/cli.sh
d=$(tmpdir payload)
m=tests/machines/two-identical.json
{ cat tests/answers/mirror-core.ks; echo 'packages @profiler @guest-templates'; } > "$d/a.ks"
p=$d/payload
mkdir -p "$p/repo"
# the dry run that checks the payload as it stands
check_payload() { run "$TENXEN" install --dry-run --machine "$m" --answers "$d/a.ks" --payload "$p"; }

check_payload
expect_rc 1
expect_out "the payload has no root.tar.zst"
expect_out "the payload has no tenxen.tar.zst"
expect_out "the payload has no package repository"
expect_out "cannot read the package sets $p/package-sets"
expect_out "refused before any disk was touched"

touch "$p/root.tar.zst" "$p/tenxen.tar.zst" "$p/repo/Packages.gz"
printf 'profiler: linux-perf fio\n' > "$p/package-sets"
check_payload
expect_rc 1
expect_no_out "the payload has no root.tar.zst"
expect_out "the package set @guest-templates is not in $p/package-sets"

printf 'profiler: linux-perf fio\nguest-templates: xen-tools\n' > "$p/package-sets"
check_payload
expect_rc 0
expect_out "@profiler @guest-templates, offline, from the installer's medium"
expect_no_out "will come with the root"

# a prebuilt layer for exactly these sets: named when it is whole, refused before any disk is
# touched when its list of removals is missing or leads out of the root
mkdir -p "$p/layers"
: > "$p/layers/guest-templates+profiler.tar.zst"
check_payload
expect_rc 1
expect_out "the prebuilt layer $p/layers/guest-templates+profiler.tar.zst has no list of removals"
expect_out "refused before any disk was touched"
printf 'usr/share/doc/x\n/etc/passwd\n' > "$p/layers/guest-templates+profiler.removed"
check_payload
expect_rc 1
expect_out "guest-templates+profiler.removed:2: \"/etc/passwd\" is not a path inside the root"
printf 'usr/share/doc/x\n' > "$p/layers/guest-templates+profiler.removed"
check_payload
expect_rc 0
expect_out "the package sets will come with the root: prebuilt layer $p/layers/guest-templates+profiler.tar.zst"
