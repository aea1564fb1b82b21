#!/bin/bash
# tenxen profile: where it cannot record (no Xen, not root, tools missing) it says what and why
# and records nothing; with the tools (stand-ins replaying recorded output: tests/profile/) it
# writes a report of each domain's CPU, dom0's top symbols and the hypervisor trace. The real
# tools run in the virtual-machine test of the installed host.
. tests/lib/cli.sh
d=$(tmpdir profile)
mkdir -p "$d/sys/hypervisor" "$d/proc/xen" "$d/tools" "$d/none"
echo xen > "$d/sys/hypervisor/type"
echo control_d > "$d/proc/xen/capabilities"

# this machine: no Xen
run "$TENXEN" --sys "$d/nosys" profile --seconds 1 --output "$d/p0"; expect_rc 1
expect_out "cannot record the hypervisor trace and the CPU of each domain: this system is not running under Xen ($d/nosys/hypervisor/type is missing)"
expect_out "tenxen profile recorded nothing"
[ -e "$d/p0" ] && fail "a profile that recorded nothing made $d/p0"
# a Xen guest, not dom0
echo > "$d/proc/xen/capabilities.guest"
run "$TENXEN" --sys "$d/sys" --proc "$d/nosuchproc" profile --seconds 1 --output "$d/p0"; expect_rc 1
expect_out "this is a guest, not dom0"
# not root (as nobody: the program and the sanitizer's suppressions copied where nobody reads)
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$d/sys" "$d/proc" "$d/sys/hypervisor" "$d/proc/xen"
	pub=$(mktemp -d /tmp/tenxen-profile.XXXXXX)
	cp "$TENXEN" "$pub/tenxen" && cp tests/asan.supp "$pub/asan.supp" && cp -r "$d/sys" "$d/proc" "$pub/"
	chmod -R a+rX "$pub"
	run setpriv --reuid=65534 --regid=65534 --clear-groups env ASAN_OPTIONS=suppressions=$pub/asan.supp \
		"$pub/tenxen" --sys "$pub/sys" --proc "$pub/proc" profile --seconds 1 --output "$pub/p0"
	rm -rf "$pub"
else
	run "$TENXEN" --sys "$d/sys" --proc "$d/proc" profile --seconds 1 --output "$d/p0"
fi
expect_rc 1
expect_out "cannot record anything: perf record -a and xentrace need root; run tenxen profile as root"
[ "$(id -u)" = 0 ] || fail "the rest of this test records as root (run the tests as root)"
# dom0 without the tools
PATH=$d/none run "$PWD/$TENXEN" --sys "$d/sys" --proc "$d/proc" profile --seconds 1 --output "$d/p0"
expect_rc 1
expect_out "cannot record dom0's symbols: perf is not installed; install the @profiler set"
expect_out "cannot record the hypervisor trace: xentrace is not installed"
[ -e "$d/p0" ] && fail "a profile without tools made $d/p0"

# dom0 with the tools, replaying recorded output
python3 tests/profile/make-trace.py "$d/trace.bin"
cat > "$d/tools/xl" << EOF2
#!/bin/sh
if [ "\$1" = list ]; then
	printf 'Name                                        ID   Mem VCPUs\tState\tTime(s)\nDomain-0                                     0   600     1     r-----      40.1\nweb1                                         3   384     2     -b----       3.2\n'
	exit 0
fi
printf 'xen_version            : 4.17.5\nxen_commandline        : dom0_mem=600M vpmu=ipc com1=115200,8n1\n'
EOF2
cat > "$d/tools/xentop" << EOF2
#!/bin/sh
cat "$PWD/tests/profile/xentop.txt"
EOF2
cat > "$d/tools/xentrace" << EOF2
#!/bin/sh
for a; do out=\$a; done
cp "$d/trace.bin" "\$out"
EOF2
cat > "$d/tools/perf" << EOF2
#!/bin/sh
echo "perf \$*" >> "$d/perf.calls"
case \$1 in
record) for a; do [ "\$prev" = -o ] && : > "\$a"; [ "\$prev" = -e ] && echo "\$a" > "$d/perf.event"; prev=\$a; done ;;
report) case "\$*" in *"--sort comm"*) cat "$PWD/tests/profile/perf-comm.txt" ;;
	*) sed "s/cpu-clock:ppp/\$(cat "$d/perf.event")/" "$PWD/tests/profile/perf-report.txt" ;; esac ;;
esac
EOF2
chmod +x "$d/tools/"*
PATH=$d/tools:$PATH run "$TENXEN" --sys "$d/sys" --proc "$d/proc" profile --seconds 2 --output "$d/p1"
expect_rc 0
expect_out "Xen 4.17.5; vpmu ipc"
expect_out "  Domain-0                     50.0    71.4%"
expect_out "  web1                         20.0    28.6%"
expect_out "Top symbols in dom0 (perf, cycles samples)"
expect_out " 71.35%  [k] xen_hypercall_sched_op                   [kernel.kallsyms]"
expect_out "  4.50%  [.] __memmove_avx_unaligned_erms"
expect_out "  web1                         20.0    28.6%    20.0 MiB   0.0 MiB"
expect_out "  20 records in"
expect_out ", the last one cut short; 4 records lost"
expect_out "          16  scheduler"
expect_out "           3  PV guests (hypercalls, traps, faults)"
expect_out "  cpu 1            6 records"
expect_out "           3  0x00021101  scheduler: runstate change"
# each domain's time from the runstate changes, named through xl list (the idle domain left out)
expect_out "       75.0%  Domain-0 (domain 0)"
expect_out "       25.0%  web1 (domain 3)"
expect_no_out "(domain 32767)"
# dom0's blkback threads, each with the guest it serves; a domain xl did not list is "?"
expect_out "    6.40%  web1                     3.xvda2-0 (domain 3, its xvda2)"
expect_out "    0.90%  ?                        blkback.9.xvda-0 (domain 9, its xvda)"
expect_no_out "blkbackish"
expect_out "           5  0x0002800a  scheduler: switch"
expect_out "           3  0x00201101  PV: hypercall"
expect_no_out "Not recorded"
grep -q 'perf record -a -q -e cycles' "$d/perf.calls" || fail "perf did not sample cycles with vpmu on: $(cat "$d/perf.calls")"
cmp -s <(printf '%s\n' "$out" | sed -n '/^Tenxen profile/,$p') "$d/p1/report.txt" || fail "report.txt is not what was printed"
# vpmu off: perf samples the clock, and the report says what that misses (the report names the
# event perf says it sampled: the stand-in replays what it was asked for)
sed -i 's/ vpmu=ipc//' "$d/tools/xl"
printf '#!/bin/sh\necho "xentrace: cannot map trace buffers" >&2\nexit 1\n' > "$d/tools/xentrace"
PATH=$d/tools:$PATH run "$TENXEN" --sys "$d/sys" --proc "$d/proc" profile --seconds 1 --output "$d/p2"
expect_rc 0
expect_out "Top symbols in dom0 (perf, cpu-clock samples)"
expect_out "Not recorded"
expect_out "hardware counters in dom0: Xen's virtual PMU is off"
expect_out "the hypervisor trace: xentrace failed: xentrace: cannot map trace buffers"
run "$TENXEN" profile --seconds 0; expect_rc 2; expect_out "--seconds 0 is not a number of seconds from 1 to 3600"
echo "profile: refusals and reports checked"
