#!/bin/bash
# LVM raid1 over an NVMe and a SATA disk, serial console on ttyS1 at 57600, the first card by
# DHCP, Lisbon, no package sets.
. tests/lib/tui.sh
tui_start raid1 nvme-sata
screen Keyboard;       keys F12
screen Disks;          keys Space Space; keys F12
screen "Storage layout"; keys Down Down Down Space; keys F12
screen "dom0 memory";  keys F12
screen "Serial console"; keys Down Down Space Tab Tab Tab Down; keys F12
screen Network;        keys Tab Tab Tab Tab Tab Tab Tab; retype xen-c.example.net; keys F12
screen "Time zone";    type_text E; keys F12
wait_for "City:";      type_text L; keys F12
password "raid1-secret"
screen "Package sets"; keys Space Tab Space; keys F12
confirm
tui_end 0
expect_saved tests/tui/raid1.expected "raid1-secret"
echo "raid1: saved answer file as expected"
