#!/bin/bash
# Disks that hold a Tenxen host (tests/machines/installed-raid1.json: vg0 with root, swap and
# two guests' volumes): the screens offer to reinstall it keeping its guests, or to erase it.
# Erase asks for a layout; reinstall skips it, forward and back; the summary says what stays,
# and the saved answer file reuses /boot, the group, root and swap, and keeps each guest volume.
. tests/lib/tui.sh
back() { keys BTab Enter; }
tui_start reinstall installed-raid1
screen Keyboard;       keys F12
screen Disks;          keys Space Space; keys F12
screen "A Tenxen host"; wait_for "its other volumes: guest-a 1 GiB, guest-b 512 MiB"
wait_for "(*) Erase everything"; keys F12
screen "Storage layout"; back
screen "A Tenxen host"; keys Space; keys F12
screen "dom0 memory";  back
screen "A Tenxen host"; wait_for "(*) Reinstall, keeping guests"; keys F12
screen "dom0 memory";  keys F12
screen "Serial console"; keys F12
screen Network;        keys F12
screen "Time zone";    keys F12
password "reinstall-secret"
screen "Package sets"; keys F12
screen Summary;        wait_for "REINSTALLED: volume group vg0 stays, with its volumes:"; wait_for "guest-a 1 GiB, guest-b 512 MiB"; wait_for "Type yes to reinstall the host:"
confirm
tui_end 0
expect_saved tests/tui/reinstall.expected "reinstall-secret"
echo "reinstall: offered beside erase, the layout skipped both ways, the reinstall saved"
