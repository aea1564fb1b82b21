# A write killed at each step (as a power cut would) leaves the old file or the new one, never a
# torn one; the next run then succeeds.
. tests/lib/bootcfg-host.sh
d=$(tmpdir faults)
host "$d/want"
"$TENXEN" serial-console --root "$d/want" > /dev/null 2>&1 || fail "the reference run failed"
new="$d/want/boot/extlinux/extlinux.conf"
old=tests/bootcfg/corpus/debian-xen-by-hand.conf
for point in mid-write after-write after-fsync after-backup after-rename; do
	host "$d/h"
	conf="$d/h/boot/extlinux/extlinux.conf"
	TENXEN_FAULT=$point "$TENXEN" serial-console --root "$d/h" > /dev/null 2>&1
	rc=$?
	[ $rc -eq 137 ] || fail "$point: expected the run to be killed (137), got $rc"
	if cmp -s "$conf" "$old"; then state=old; elif cmp -s "$conf" "$new"; then state=new; else
		fail "$point: the config is torn: $(diff "$old" "$conf")"; fi
	echo "killed at $point: the config is the $state one"
	case $point in
		mid-write|after-write|after-fsync|after-backup) [ $state = old ] || fail "$point: expected the old file" ;;
		after-rename) [ $state = new ] || fail "$point: expected the new file" ;;
	esac
	"$TENXEN" serial-console --root "$d/h" > "$d/out" 2>&1 || fail "$point: the run after the crash failed: $(cat "$d/out")"
	cmp -s "$conf" "$new" || fail "$point: the run after the crash did not give the new file"
	ls "$d/h/boot/extlinux" | grep -q 'tenxen-new' && fail "$point: a temporary file is left over"
done
true
