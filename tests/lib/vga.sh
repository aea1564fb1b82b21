# Reading a virtual machine's VGA text screen and typing on its keyboard, through qemu's monitor
# (qvm_start with QVM_MONITOR=1). The screen is the 80x25 text buffer the guest's VGA console
# shows: 2 bytes per cell (character, colours) from where the CRT controller starts drawing,
# which moves when the console scrolls.
#
#   vga_hmp CMD       run a monitor command; prints what it answered
#   vga_screen        prints the 25 lines shown now (box-drawing characters as UTF-8)
#   vga_key KEY...    presses keys (qemu's names: tab, ret, spc, f1, shift-tab, a, ...)
#   vga_wait RE SECS  0 when the screen shows RE (grep -E) within SECS; the screen in $VGA_LAST

vga_hmp() {
	local from t
	for t in $(seq 1 100); do grep -q '(qemu)' "$QVM_MON" && break; sleep 0.1; done
	from=$(($(stat -c %s "$QVM_MON") + 1))
	printf '%s\n' "$1" >&"$QVM_MON_IN"
	for t in $(seq 1 100); do
		# the answer is complete when the next prompt follows it
		tail -c +"$from" "$QVM_MON" | tr -d '\r' | sed -n '2,$p' | grep -q '^(qemu) ' && break
		sleep 0.1
	done
	tail -c +"$from" "$QVM_MON" | tr -d '\r' | sed -n '2,$p' | grep -v '^(qemu) '
}

# the CRT controller's register REG (its index saved and put back: the guest may be between
# choosing an index and writing it when the machine is stopped)
vga_crtc() {
	local index value
	index=$(vga_hmp "i /b 0x3d4" | grep -o '= 0x[0-9a-f]*' | cut -c3-)
	vga_hmp "o /b 0x3d4 $1" > /dev/null
	value=$(vga_hmp "i /b 0x3d5" | grep -o '= 0x[0-9a-f]*' | cut -c3-)
	vga_hmp "o /b 0x3d4 $index" > /dev/null
	echo $((value))
}

vga_screen() {
	local start
	vga_hmp stop > /dev/null
	start=$(($(vga_crtc 0x0c) * 256 + $(vga_crtc 0x0d)))
	vga_hmp "xp /2000hx $((0xb8000 + 2 * start))" > "$QVM_MON.screen"
	vga_hmp cont > /dev/null
	grep -E '^[0-9a-f]+:' "$QVM_MON.screen" | cut -d: -f2 | tr ' ' '\n' | grep '^0x' |
		LC_ALL=C awk '{ n2 = length($0); h = "0123456789abcdef"
			c = index(h, substr($0, n2 - 1, 1)) * 16 + index(h, substr($0, n2, 1)) - 17
			printf "%c", (c < 32 || c == 127) ? 32 : c
			if (++n % 80 == 0) printf "\n" }' | iconv -f CP437 -t UTF-8
}

vga_key() {
	local k
	for k in "$@"; do
		vga_hmp "sendkey $k" > /dev/null
		sleep 0.3
	done
}

vga_wait() {
	local t
	for t in $(seq 1 "$2"); do
		VGA_LAST=$(vga_screen)
		grep -Eq "$1" <<< "$VGA_LAST" && return 0
		sleep 1
	done
	return 1
}
