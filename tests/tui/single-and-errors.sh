#!/bin/bash
# One disk, and each inline check on the screen where it happens, each put right: no disk
# chosen, a mirror with one disk, sizes that do not fit, a static address without a netmask,
# passwords that differ. F1 shows the screen's help. Ends with a single-disk spec.
. tests/lib/tui.sh
tui_start single-and-errors one-disk
screen Keyboard;       keys F1
screen Help;            keys Enter
screen Keyboard;       keys F12
screen Disks;          keys F12
wait_for "No disk is chosen: mark the disks to install on with the space bar."; keys Enter
screen Disks;          keys Space; keys F12
screen "Storage layout"; keys F12
wait_for "A mirrored layout needs two disks and 1 is chosen"; keys Enter
screen "Storage layout"; keys Space Tab Tab Tab Tab; retype 300G; keys F12
wait_for "make them smaller"; keys Enter
screen "Storage layout"; keys Tab Tab Tab Tab; retype 40G; keys F12
screen "dom0 memory";  retype 2048; keys F12
wait_for "Xen would read it as KiB"; keys Enter
screen "dom0 memory";  retype 2G; keys F12
screen "Serial console"; keys F12
screen Network;        keys Tab Tab Space Tab; type_text 198.51.100.7; keys F12
wait_for "A static address needs a netmask"; keys Enter
screen Network;        keys Tab Tab Tab Tab; type_text 255.255.255.0; keys F12
screen "Time zone";    keys F12
screen "Root password"; type_text "first-try"; keys Tab; type_text "second-try"; keys F12
wait_for "The two passwords differ"; keys Enter
password "single-secret"
screen "Package sets"; keys F12
confirm
tui_end 0
expect_saved tests/tui/single-and-errors.expected "single-secret"
echo "single-and-errors: each error shown and put right; saved answer file as expected"
