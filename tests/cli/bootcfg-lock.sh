# Two runs at once: the second is refused while the first holds the lock, and nothing changes.
. tests/lib/bootcfg-host.sh
d=$(tmpdir lock)
host "$d/h"
conf="$d/h/boot/extlinux/extlinux.conf"
flock -o "$(dirname "$conf")" sleep 30 &
holder=$!
for _ in $(seq 50); do flock -n "$(dirname "$conf")" true || break; sleep 0.1; done
run "$TENXEN" serial-console --root "$d/h"
kill "$holder"; wait "$holder" 2> /dev/null
expect_rc 1
expect_out "another run is changing $conf right now"
cmp -s "$conf" tests/bootcfg/corpus/debian-xen-by-hand.conf || fail "the config changed while locked"
run "$TENXEN" serial-console --root "$d/h"; expect_rc 0
# the lock is the folder itself: no lock file is left, whether the run changed anything or not
ls "$d/h/boot/extlinux" | grep -q lock && fail "a lock file was left: $(ls "$d/h/boot/extlinux")"
true
