#!/bin/bash
# On the Linux console's terminal type (TERM=linux, as on VGA): mirrored LVM with a core log on
# two disks, German keyboard, serial console, the second card with DHCP, Paris, both package
# sets with vpmu=ipc.
. tests/lib/tui.sh
tui_start mirror-core two-identical linux
screen Keyboard;       keys Down Down; keys F12
screen Disks;          keys Space Space; keys F12
screen "Storage layout"; keys F12
screen "dom0 memory";  keys F12
screen "Serial console"; keys Down Space; keys F12
screen Network;        keys Down Tab Tab Tab Tab Tab Tab Tab; retype xen-a.example.org; keys F12
screen "Time zone";    type_text E; keys F12
wait_for "City:";      type_text P; keys F12
password "s3cret-tenxen"
screen "Package sets"; keys Tab Tab Down Space; keys F12
confirm
tui_end 0
expect_saved tests/tui/mirror-core.expected "s3cret-tenxen"
echo "mirror-core: saved answer file as expected"
