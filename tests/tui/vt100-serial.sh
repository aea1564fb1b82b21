#!/bin/bash
# The screens on a serial terminal (TERM=vt100): no F12 there, so every screen is left with Tab
# and Enter on its Next button, as a person on a serial line would; F1 (PF1) shows help. One
# disk, the serial console on ttyS0.
. tests/lib/tui.sh
tabs() { local i; for i in $(seq 1 "$1"); do keys Tab; done; keys Enter; }
tui_start vt100-serial one-disk vt100
screen Keyboard;       keys F1
screen Help;            keys Enter
screen Keyboard;       tabs 1
screen Disks;          keys Space; tabs 2
screen "Storage layout"; keys Space; tabs 7
screen "dom0 memory";  tabs 1
screen "Serial console"; keys Down Space; tabs 5
screen Network;        tabs 9
screen "Time zone";    tabs 1
screen "Root password"; type_text "serial-secret"; keys Tab; type_text "serial-secret"; tabs 1
screen "Package sets"; tabs 7
confirm
tui_end 0
expect_saved tests/tui/vt100-serial.expected "serial-secret"
echo "vt100-serial: driven with Tab and Enter only; saved answer file as expected"
