#!/bin/bash
# Back from the summary to the disks: a different second disk and raid1 instead of a mirror;
# every other answer is kept (the password too, when its fields are left empty), and the saved
# spec is the changed one.
. tests/lib/tui.sh
back() { keys BTab Enter; }
tui_start back-and-change two-plus-data
screen Keyboard;       keys F12
screen Disks;          keys Space Space; keys F12
screen "Storage layout"; keys F12
screen "dom0 memory";  keys F12
screen "Serial console"; keys F12
screen Network;        keys Tab Tab Tab Tab Tab Tab Tab; retype xen-d; keys F12
screen "Time zone";    keys F12
password "back-secret"
screen "Package sets"; keys F12
screen Summary;        wait_for "sdb"; keys Tab Tab Enter
for s in "Package sets" "Root password" "Time zone" Network "Serial console" "dom0 memory" "Storage layout"; do
	screen "$s"; back
done
screen Disks;          keys Down Space Space; keys F12
screen "Storage layout"; keys Down Down Down Space; keys F12
for s in "dom0 memory" "Serial console" Network "Time zone" "Root password" "Package sets"; do
	screen "$s"; keys F12
done
screen Summary;        wait_for "sdc"
confirm
tui_end 0
expect_saved tests/tui/back-and-change.expected "back-secret"
echo "back-and-change: the changed spec was saved"
