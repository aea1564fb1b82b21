# The VM helpers (iso/qemu.sh) tell a power-off from a kill: qemu that ends by itself is a
# power-off; qemu killed by its own timeout, or stopped by qvm_end, is not, whatever its console
# said. A stand-in qemu (a script first in PATH) plays each part in seconds.
. tests/lib/cli.sh
. iso/qemu.sh
d=$(tmpdir qemu-end)
d=$(cd "$d" && pwd)
mkdir -p "$d/bin"
export PATH="$d/bin:$PATH"
fake() { printf '#!/bin/sh\n%s\n' "$1" > "$d/bin/qemu-system-x86_64"; chmod +x "$d/bin/qemu-system-x86_64"; }

# powers off: says so, and ends by itself
fake 'echo "reboot: Power down"; exit 0'
qvm_start "$d" off 20
qvm_wait 'reboot: Power down' 10 || fail "the console's power-off was not seen"
qvm_end 5
qvm_powered_off || fail "a qemu that ended by itself (status $QVM_STATUS) is not taken as a power-off"

# hangs, silent: its timeout kills it; the wait that outlives it must not read that as a power-off
fake 'sleep 600'
qvm_start "$d" hang 2
qvm_wait 'reboot: Power down' 10 && fail "a silent hang showed a power-off"
qvm_end 5
[ "$QVM_STATUS" = 124 ] || fail "a qemu killed by its timeout ended with status $QVM_STATUS, not 124"
qvm_powered_off && fail "a qemu killed by its timeout was taken as a power-off"

# hangs after printing the marker: stopped by qvm_end, no power-off either
fake 'echo "reboot: Power down"; sleep 600'
qvm_start "$d" late 60
qvm_wait 'reboot: Power down' 10 || fail "the marker was not seen"
qvm_end 1
qvm_powered_off && fail "a qemu that qvm_end had to stop was taken as a power-off (status $QVM_STATUS)"
echo "qvm_end: a power-off, a timeout's kill and a stop told apart"
