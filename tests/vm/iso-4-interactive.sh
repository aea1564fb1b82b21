#!/bin/bash
# The installer's screens on a serial console, end to end: boot the ISO's "Install on the serial
# console" entry and answer every screen over the serial line (a vt100: Tab, Space, Enter, text).
# The first run meets a fault injected after the filesystems are made (tenxen.fault=mkfs): the
# error screen shows the log's last lines and offers a shell. From that shell the screens run
# again, over the half-made disk, to a completed install; the installed root then holds the
# answer file of the run (/root/tenxen-answers.ks, 0600, the password only hashed).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/iso.sh
check_iso || fail "cannot build the check ISO"
rm -f "$ISO_WORK/ia.img"
scratch "$ISO_WORK/ia.img"
truncate -s 8G "$ISO_WORK/ia.img"
mapfile -t disks < <(qvm_disks "$ISO_WORK" ia TXINT-A)
tab() { local i; for i in $(seq 1 "$1"); do qvm_keys "\t"; sleep 0.3; done; }
# from here on, screens are looked for only in what the console shows after this point
mark() { qvm_text; FROM=$(($(wc -c < "$QVM_LOG.txt") + 1)); }
seen() { tail -c +"$FROM" "$QVM_LOG.txt" | grep -Eq "$1"; }
# screen MARKER: the screen holding MARKER is drawn (the console's text, escapes removed)
screen() {
	local t
	for t in $(seq 1 "${2:-300}"); do
		qvm_text
		seen "$1" && { sleep 2; return 0; }
		sleep 1
	done
	fail "the screen with \"$1\" did not appear"
}
# every screen, the same answers each time: one disk, single layout with 4G root and 512M swap,
# dom0 memory auto, ttyS0 at 115200 (as booted), DHCP on the first card, UTC, no package sets.
# With "again", the disk holds what the first run made (vg0 with its root, /boot named boot):
# the screen that offers to reinstall a Tenxen host comes, and Erase everything (its default)
# is kept.
answer_screens() {
	screen English;  tab 1; qvm_keys "\r"
	screen TXINT-A;  qvm_keys " "; sleep 0.5; tab 2; qvm_keys "\r"
	if [ "${1:-}" = again ]; then
		screen "Reinstall, keeping guests"; tab 2; qvm_keys "\r"
	fi
	screen Guest;    qvm_keys " "; tab 4
	qvm_keys "\001\013"; qvm_keys "4G"; tab 1; qvm_keys "\001\013"; qvm_keys "512M"; tab 2; qvm_keys "\r"
	screen gives;    tab 1; qvm_keys "\r"
	screen COM4;     tab 6; qvm_keys "\r"
	screen DHCP;     tab 9; qvm_keys "\r"
	screen Region;   tab 1; qvm_keys "\r"
	screen Password; qvm_keys "tenxen-pw\t"; sleep 0.5; qvm_keys "tenxen-pw\t"; sleep 0.5; qvm_keys "\r"
	screen Profiler; qvm_keys " \t \t"; tab 5; qvm_keys "\r"
	screen ERASED;   qvm_keys "yes\t"; sleep 0.5; qvm_keys "\r"
	screen Installing
}

qvm_start "$ISO_WORK" interactive 1800 -m 1024 -cdrom "$ISO_WORK/check.iso" -boot d "${disks[@]}" "${ISO_NET[@]}"
qvm_wait 'Rescue shell' 120 || fail "the ISO's boot menu did not appear"
sleep 1
qvm_keys "$QVM_DOWN\t"; sleep 1; qvm_keys " tenxen.fault=mkfs\r"
mark
answer_screens
seen "Reinstall, keeping guests" && fail "a blank disk was offered a reinstall"
# the error screen: the log's last lines, then Shell (its first button)
screen "The install failed" 600
screen "TENXEN_FAULT_AFTER=mkfs" 10
qvm_keys "\r"
screen 'TENXEN-INSTALL-FAILED' 60
screen 'a shell; the log is' 30
sleep 2
# the screens again, from the shell, without the fault
mark
qvm_keys "unset TENXEN_FAULT_AFTER; tenxen install --interactive --payload /run/tenxen/medium/tenxen --log /run/tenxen/again.log; echo TX-RERUN-rc=\$?\r"
answer_screens again
screen "Installed|The install failed" 1500
if seen "The install failed"; then
	# Shell is the error screen's first button: show why from the run's own log
	qvm_keys "\r"; sleep 3
	qvm_keys "echo TX-LOG-BEGIN; tail -n 40 /run/tenxen/again.log; echo TX-LOG-END\r"
	qvm_wait 'TX-LOG-END' 60
	fail "the second run failed; its log ends: $(sed -n '/^TX-LOG-BEGIN/,/^TX-LOG-END/p' "$QVM_LOG.txt" | tail -n 42)"
fi
tab 1; qvm_keys "\r"                                       # Shell (the finish screen's second button)
screen 'TX-RERUN-rc=[0-9]' 60
seen 'TX-RERUN-rc=0' || fail "the second run failed: $(tail -c +"$FROM" "$QVM_LOG.txt" | grep -Eo 'TX-RERUN-rc=[0-9]+')"
# (qvm_keys is printf: %% is a percent sign)
qvm_keys "mount /dev/mapper/vg0-root /mnt && echo TX-ANSWERS \$(stat -c %%a /mnt/root/tenxen-answers.ks) \$(grep -c '^rootpw --iscrypted' /mnt/root/tenxen-answers.ks) \$(grep -c tenxen-pw /mnt/root/tenxen-answers.ks) \$(cat /mnt/etc/hostname)\r"
qvm_wait 'TX-ANSWERS [0-9]' 60 || fail "the installed root could not be read"
qvm_end 0
ans=$(grep -o 'TX-ANSWERS [0-9].*' "$QVM_LOG.txt" | tail -1)
[ "$ans" = "TX-ANSWERS 600 1 0 xenhost" ] || fail "the installed answer file: $ans (expected mode 600, one hashed rootpw, no clear password, host xenhost)"
echo "ok: through the screens on the serial console: a fault shown on the error screen, then an install ($ans, in $(qvm_seconds) s)"
