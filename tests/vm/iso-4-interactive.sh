#!/bin/bash
# The installer's screens on a serial console, end to end: boot the ISO, pick "Install on the
# serial console", answer every screen over the serial line (a vt100: Tab, Space, Enter, text),
# confirm with yes, and let the install run to its finish screen. Then, in the installer's
# shell, the installed root holds the answer file of the run (/root/tenxen-answers.ks, 0600,
# the password only hashed).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/iso.sh
check_iso || fail "cannot build the check ISO"
rm -f "$ISO_WORK/ia.img"
truncate -s 8G "$ISO_WORK/ia.img"
mapfile -t disks < <(qvm_disks "$ISO_WORK" ia TXINT-A)
tab() { local i; for i in $(seq 1 "$1"); do qvm_keys "\t"; sleep 0.3; done; }
# screen MARKER: the screen holding MARKER is drawn (the console's text, escapes removed)
screen() { qvm_wait "$1" 300 || fail "the screen with \"$1\" did not appear"; sleep 2; }

qvm_start "$ISO_WORK" interactive 1800 -m 1024 -cdrom "$ISO_WORK/check.iso" -boot d "${disks[@]}" "${ISO_NET[@]}"
qvm_wait 'Rescue shell' 120 || fail "the ISO's boot menu did not appear"
sleep 1
qvm_keys "$QVM_DOWN\r"
screen English;  tab 1; qvm_keys "\r"                      # keyboard: us
screen TXINT-A;  qvm_keys " "; sleep 0.5; tab 2; qvm_keys "\r"  # the one disk
screen Guest;    qvm_keys " "; tab 4                         # single disk; root 4G, swap 512M
qvm_keys "\001\013"; qvm_keys "4G"; tab 1; qvm_keys "\001\013"; qvm_keys "512M"; tab 2; qvm_keys "\r"
screen gives;    tab 1; qvm_keys "\r"                      # dom0 memory: auto
screen COM4;     tab 6; qvm_keys "\r"                      # serial: ttyS0 at 115200, as booted
screen DHCP;     tab 8; qvm_keys "\r"                      # the first card, DHCP, xenhost
screen Region;   tab 1; qvm_keys "\r"                      # UTC
screen Password; qvm_keys "tenxen-pw\t"; sleep 0.5; qvm_keys "tenxen-pw\t"; sleep 0.5; qvm_keys "\r"
screen Profiler; qvm_keys " \t \t"; tab 5; qvm_keys "\r"   # no package sets (a faster install)
screen ERASED;   qvm_keys "yes\t"; sleep 0.5; qvm_keys "\r"
screen Installing
qvm_wait Reboot 1500 || fail "the install did not reach its finish screen"
sleep 2
tab 1; qvm_keys "\r"                                       # Shell, to look at what was installed
qvm_wait 'TENXEN-INSTALL-(OK|FAILED)' 60 || fail "the installer did not end"
grep -q TENXEN-INSTALL-OK "$QVM_LOG.txt" || fail "the install failed"
qvm_wait 'a shell; the log is' 30 || fail "no shell after the install"
sleep 2
# (qvm_keys is printf: %% is a percent sign)
qvm_keys "mount /dev/mapper/vg0-root /mnt && echo TX-ANSWERS \$(stat -c %%a /mnt/root/tenxen-answers.ks) \$(grep -c '^rootpw --iscrypted' /mnt/root/tenxen-answers.ks) \$(grep -c tenxen-pw /mnt/root/tenxen-answers.ks) \$(cat /mnt/etc/hostname)\r"
qvm_wait 'TX-ANSWERS [0-9]' 60 || fail "the installed root could not be read"
qvm_end 0
ans=$(grep -o 'TX-ANSWERS [0-9].*' "$QVM_LOG.txt" | tail -1)
[ "$ans" = "TX-ANSWERS 600 1 0 xenhost" ] || fail "the installed answer file: $ans (expected mode 600, one hashed rootpw, no clear password, host xenhost)"
echo "ok: an install through the screens on the serial console ($ans, in $(qvm_seconds) s)"
