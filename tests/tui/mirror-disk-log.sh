#!/bin/bash
# Mirrored LVM with a disk log, sizes of one's own and a guest volume, no serial console, a
# static address with its netmask, UTC, the guest templates only.
. tests/lib/tui.sh
tui_start mirror-disk-log two-identical
screen Keyboard;       keys F12
screen Disks;          keys Space Space; keys F12
screen "Storage layout"; keys Down Down Space Tab Tab; retype 30G; keys Tab; retype 8G; keys Tab; type_text 200G; keys F12
screen "dom0 memory";  retype 4G,max:4G; keys F12
screen "Serial console"; keys F12
screen Network;        keys Tab Tab Space Tab; type_text 192.0.2.10; keys Tab; type_text 255.255.255.0
keys Tab; type_text 192.0.2.1; keys Tab; type_text "192.0.2.53,192.0.2.54"; keys Tab; retype xen-b; keys F12
screen "Time zone";    keys F12
password "another-secret"
screen "Package sets"; keys Space; keys F12
confirm
tui_end 0
expect_saved tests/tui/mirror-disk-log.expected "another-secret"
echo "mirror-disk-log: saved answer file as expected"
