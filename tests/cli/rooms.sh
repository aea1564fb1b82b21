# The rooms' include rules, as docs/architecture.md's table states them: each room's C files
# include only the rooms its row names (all lower ones); and every C file lives in a room the
# table knows, so a new folder is placed in the table before it lands.
. tests/lib/cli.sh
table=docs/architecture.md
rows=$(sed -n 's/^| `\([a-z]*\)\/` | .* | \([^|]*\) |$/\1:\2/p' "$table")
[ "$(wc -l <<< "$rows")" -ge 12 ] || fail "$table: the rooms table has too few rows: $rows"
declare -A allowed
while IFS=: read -r room may; do
	allowed[$room]=" $(tr -d ',' <<< "$may") "
done <<< "$rows"
# check FILE ROOM: prints what is wrong with FILE's includes for ROOM, nothing when it is right
check() {
	local f=$1 room=$2 inc
	[ -n "${allowed[$room]:-}" ] || { echo "$f: its folder $room/ is not in $table's rooms table"; return; }
	for inc in $(sed -n 's/^#include "\([a-z]*\)\/.*"$/\1/p' "$f" | sort -u); do
		[ "$inc" = "$room" ] && continue
		case ${allowed[$room]} in
		*" every room "*) ;;
		*" $inc "*) ;;
		*) echo "$f includes $inc/, which $table does not let $room/ include" ;;
		esac
	done
	if grep -q '^#include "[^/]*"' "$f"; then
		echo "$f: includes are written from the root (\"room/file.h\")"
	fi
}
# the check catches a low room reaching up, a bare include and an unknown folder
d=$(tmpdir rooms)
printf '#include "common/util.h"\n#include "plan/plan.h"\n' > "$d/up.c"
[ -n "$(check "$d/up.c" common)" ] || fail "the check let common/ include plan/"
[ -z "$(check "$d/up.c" cli)" ] || fail "the check refused cli/ an include of plan/"
printf '#include "util.h"\n' > "$d/bare.c"
[ -n "$(check "$d/bare.c" common)" ] || fail "the check let a bare include through"
[ -n "$(check "$d/up.c" nosuchroom)" ] || fail "the check let an unknown folder through"
bad=""
for f in $(git ls-files '*.c' '*.h' | grep -v '^tests/'); do
	bad+=$(check "$f" "${f%%/*}")
done
[ -z "$bad" ] || fail "$bad"
# the rooms table names every C file of its room, so a newcomer finds each from the table
unnamed=
for f in $(git ls-files '*.c' | grep -v '^tests/'); do
	grep "^| \`${f%%/*}/\`" "$table" | grep -qF "\`$(basename "$f")\`" || unnamed="$unnamed $f"
done
[ -z "$unnamed" ] || fail "$table's rooms table does not name:$unnamed"
# a header that says it is its room's own is included by that room alone (and the tests)
for h in $(grep -l 'Inside [a-z]*/\|Not for other rooms' $(git ls-files '*.h' | grep -v '^tests/')); do
	users=$(grep -l "#include \"$h\"" $(git ls-files '*.c' '*.h' | grep -v '^tests/' | grep -v "^${h%%/*}/"))
	[ -z "$users" ] || fail "$h is ${h%%/*}/'s own header, and these include it: $users"
done
# every include guard is TENXEN_ and its file's name, so a copied header is seen
for h in $(git ls-files '*.h' | grep -v '^tests/'); do
	want=TENXEN_$(basename "$h" .h | tr 'a-z-' 'A-Z_')_H
	grep -q "^#ifndef $want\$" "$h" || fail "$h's include guard is not $want"
done
# the house's rules that a grep can hold: only cli/ reads the environment; only storage/lvm.c
# names the lvm program; only storage/partition.c uses libparted
core=$(git ls-files '*.c' | grep -v '^tests/' | grep -v '^cli/')
env_readers=$(grep -l 'getenv *(' $core)
[ -z "$env_readers" ] || fail "outside cli/, these read the environment: $env_readers; take the value as a field that cli/ fills"
lvm_callers=$(grep -lE '(\{|, *)"lvm" *,|= *"lvm" *;' $(git ls-files '*.c' | grep -v '^tests/') | grep -v '^storage/lvm.c$')
[ -z "$lvm_callers" ] || fail "these run lvm without storage/lvm.c's configuration: $lvm_callers"
parted_users=$(grep -lE 'parted/parted.h|\bped_[a-z_]+ *\(' $(git ls-files '*.c' '*.h' | grep -v '^tests/') | grep -v '^storage/partition\.[ch]$')
[ -z "$parted_users" ] || fail "these use libparted outside storage/partition.c: $parted_users"
# apply/ writes what the plan carries: only record.c (the answer file kept on the host) reads
# the spec; the check itself is tried on a planted reader first
spec_readers() { grep -lwE 'spec|spec_[a-z_]+|lang/spec\.h' "$@" | grep -v '^apply/record\.c$'; }
printf 'static int f(const struct target_ctx *t) { return t->spec->nnets; }\n' > "$d/reads.c"
[ -n "$(spec_readers "$d/reads.c")" ] || fail "the check let a file of apply/ read the spec"
readers=$(spec_readers $(git ls-files 'apply/*.c' 'apply/*.h'))
[ -z "$readers" ] || fail "these files of apply/ read the spec, not the plan: $readers"
# no C file is over 800 lines: one that grows past it holds two jobs, and is split by them
long=$(for f in $(git ls-files '*.c' | grep -v '^tests/'); do n=$(wc -l < "$f"); [ "$n" -le 800 ] || echo "$f ($n lines)"; done)
[ -z "$long" ] || fail "these C files are over 800 lines; split each by its jobs: $long"
# no test leaves its lock files among the tests' own files (nor are any committed)
locks=$( (git ls-files tests; find tests -name '*.tenxen-lock') | grep 'tenxen-lock$' | sort -u)
[ -z "$locks" ] || fail "lock files among the tests: $locks"
echo "rooms: every include follows $table"
