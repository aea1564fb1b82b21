#!/bin/bash
# Reinstalling a host and keeping its guests (docs/answer-file.md, "Reinstalling a host"), on the
# disks iso-1-install.sh installed (mirrors with a core log), and a real guest that runs:
#  1. the host boots and makes two guests' volumes (one linear on its first disk, one raid1 on
#     both) full of random data, their configs in /etc/xen, and notes their SHA-256 and its
#     ssh host keys' fingerprints; then it makes a PV guest, web1, from the template
#     debian-12-pv, offline (from the root the install kept), starts it with xl create, logs in
#     on xl console (tests/lib/guest-console.py), checks its host name, disk, swap, a write, its
#     address by DHCP on the bridge and a connection to dom0, shuts it down: tenxen guest lists
#     it running, then stopped;
#  2. the ISO reinstalls it with tests/iso/answers/check-reinstall.ks (vg0 kept, /boot and the
#     root reformatted where they are, another dom0 memory, serial speed and host name), with a
#     fault injected once the new root is made and mounted: the install stops;
#  3. the same reinstall runs again, to the end: the files it carries are those the first run
#     saved before it reformatted the root;
#  4. the host boots: both volumes byte for byte as they were, tenxen guest lists both with
#     their disks, the same ssh host keys, the new settings in force, and the carried files'
#     volume gone; web1 starts again, writes while tenxen profile records the host (the report
#     names it), shuts down, and guest delete removes its volumes and config.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/iso.sh
scratch "$ISO_WORK"/a.img "$ISO_WORK"/b.img "$ISO_WORK/installed" "$ISO_WORK/txscript.img"
[ -f "$ISO_WORK/installed" ] || fail "no installed disks: iso-1-install.sh did not succeed"
check_iso || fail "cannot build the check ISO"
mapfile -t disks < <(iso_disks a b)
script_disk() { # NAME: tests' script as /run.sh on a disk labelled TXSCRIPT, with the console driver
	mkdir -p "$ISO_WORK/txscript" && cp "$1" "$ISO_WORK/txscript/run.sh" &&
		cp tests/lib/guest-console.py "$ISO_WORK/txscript/" &&
		rm -f "$ISO_WORK/txscript.img" && truncate -s 16M "$ISO_WORK/txscript.img" &&
		mke2fs -q -t ext2 -L TXSCRIPT -d "$ISO_WORK/txscript" "$ISO_WORK/txscript.img"
}
SCRIPT_DISK=(-drive "if=none,id=ts,file=$ISO_WORK/txscript.img,format=raw,readonly=on"
	-device "virtio-blk-pci,drive=ts,serial=TXSCRIPT")

# 1. the guests' volumes and configs, made on the installed host
cat > "$ISO_WORK/prepare.sh" << 'EOS'
set -e
lvcreate -q -y -n guest-a -L 64M vg0 /dev/vda3
lvcreate -q -y -n guest-b -L 48M --type raid1 -m 1 vg0
head -c 64M /dev/urandom > /dev/vg0/guest-a
head -c 48M /dev/urandom > /dev/vg0/guest-b
for g in a b; do
	printf 'name = "guest-%s"\ntype = "pvh"\nmemory = 256\nvcpus = 1\ndisk = [ "format=raw, vdev=xvda, access=rw, target=/dev/vg0/guest-%s" ]\n' "$g" "$g" > "/etc/xen/guest-$g.cfg"
done
sync
for g in a b; do echo "TENXEN-STATE sum guest-$g $(sha256sum "/dev/vg0/guest-$g" | cut -d' ' -f1)"; done
for k in ed25519 rsa; do echo "TENXEN-STATE key $k $(ssh-keygen -lf "/etc/ssh/ssh_host_${k}_key.pub" | cut -d' ' -f2)"; done
# a guest that runs: made offline, started, logged into, shut down
set +e
tenxen guest create --template debian-12-pv --name web1 --size 2G --memory 384M > /root/web1.out 2>&1
echo "TENXEN-GUEST create rc=$?"
sed 's/^/TENXEN-GC /' /root/web1.out
pw=$(sed -n "s/.*the guest's root password (made here, said once): //p" /root/web1.out)
echo "TENXEN-GUEST password $pw"
xl create /etc/xen/web1.cfg > /root/xl.out 2>&1
rc=$?
echo "TENXEN-GUEST xl-create rc=$rc $(tr '\n' ' ' < /root/xl.out)"
[ $rc = 0 ] || tail -n 20 /var/log/xen/bootloader.*.log | sed 's/^/TENXEN-GUEST bootloader: /'
tenxen guest list | sed 's/^/TENXEN-LIST1 /'
dom0ip=$(ip -4 -o addr show xenbr0 | awk '{print $4}' | cut -d/ -f1)
python3 /run/txscript/guest-console.py web1 "$pw" 900 \
	'echo GUEST""-SAYS host $(hostname)' \
	'echo GUEST""-SAYS root $(findmnt -n -o SOURCE /) $(df -BM --output=size / | tail -1 | tr -d " ") swap $(swapon --show=NAME --noheadings)' \
	'dd if=/dev/zero of=/root/w bs=1M count=16 oflag=direct 2> /dev/null && sync && echo GUEST""-SAYS wrote $(stat -c %s /root/w)' \
	'for i in $(seq 60); do ip -4 -o addr show eth0 | grep -q inet && break; sleep 2; done; echo GUEST""-SAYS net $(ip -4 -o addr show eth0 | awk "{print \$4}")' \
	'echo GUEST""-SAYS lease $(grep -ho "fixed-address [0-9.]*" /var/lib/dhcp/dhclient*.leases 2> /dev/null | tail -1)' \
	"timeout 20 bash -c 'exec 3<>/dev/tcp/$dom0ip/22; head -c 7 <&3' | sed 's/^/GUEST-SAYS dom0 /'; echo"
echo "TENXEN-GUEST console rc=$?"
timeout 300 xl shutdown -w web1 > /dev/null 2>&1
echo "TENXEN-GUEST shutdown rc=$?"
for i in $(seq 60); do xl domid web1 > /dev/null 2>&1 || break; sleep 1; done
tenxen guest list | sed 's/^/TENXEN-LIST2 /'
systemctl --no-block poweroff
EOS
script_disk "$ISO_WORK/prepare.sh" || fail "cannot make the script disk"
QVM_SMP=1 qvm_start "$ISO_WORK" prepare 2400 -m 1536 "${disks[@]}" "${SCRIPT_DISK[@]}" "${ISO_NET[@]}"
qvm_wait 'TENXEN-SCRIPT-DONE' 2400 || fail "the installed host did not run the preparing script"
qvm_end 180
grep -q 'TENXEN-SCRIPT-DONE rc=0' "$QVM_LOG.txt" || fail "the guests' volumes could not be made"
before=$(grep -o 'TENXEN-STATE .*' "$QVM_LOG.txt" | sort)
[ "$(grep -c '^TENXEN-STATE' <<< "$before")" = 4 ] || fail "the host did not say its volumes' sums and keys: $before"
# equal is not empty: each side holds a real sum (not that of nothing) and a real fingerprint
state_whole() {
	! grep -Ev '^TENXEN-STATE (sum guest-[ab] [0-9a-f]{64}|key (ed25519|rsa) SHA256:[A-Za-z0-9+/]{43})$' <<< "$1" | grep -q . &&
		! grep -q e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 <<< "$1"
}
state_whole "$before" || fail "a sum or a fingerprint before the reinstall is empty or not one: $before"
echo "before: $(tr '\n' ';' <<< "$before")"
# the guest that ran
says() { grep -Eq "guest\| GUEST-SAYS $1" "$QVM_LOG.txt" || fail "the guest did not say $1: $(grep -a -m5 'GUEST-SAYS\|guest-console' "$QVM_LOG.txt")"; }
grep -q 'TENXEN-GUEST create rc=0' "$QVM_LOG.txt" || fail "guest create failed: $(grep -a 'TENXEN-GC .*error' "$QVM_LOG.txt")"
grep -q "TENXEN-GC tenxen: note: writing the guest's root from this host's Debian bookworm root (/var/lib/tenxen/guest-root), offline" "$QVM_LOG.txt" ||
	fail "the guest's root was not made offline from the kept root"
grep -q 'TENXEN-GUEST xl-create rc=0' "$QVM_LOG.txt" || fail "xl create failed: $(grep -a 'TENXEN-GUEST xl-create\|TENXEN-GUEST bootloader' "$QVM_LOG.txt")"
grep -Eq 'TENXEN-LIST1 web1 +pv +384 MiB +2 +running +/dev/vg0/web1-disk \(2 GiB\), /dev/vg0/web1-swap \(512 MiB\)' "$QVM_LOG.txt" ||
	fail "tenxen guest does not list web1 running with its volumes: $(grep -a 'TENXEN-LIST1' "$QVM_LOG.txt")"
grep -q 'TENXEN-GUEST console rc=0' "$QVM_LOG.txt" || fail "the guest's console did not let the test log in and run its commands: $(grep -a 'guest-console:' "$QVM_LOG.txt")"
says "host web1"
says "root /dev/xvda2 (19|20)[0-9][0-9]M swap /dev/xvda1"
says "wrote 16777216"
says "net 10\.0\.2\.[0-9]*/24"
# the address came from DHCP: the guest's DHCP client holds a lease for the address it has
addr=$(grep -o 'GUEST-SAYS net 10\.0\.2\.[0-9]*' "$QVM_LOG.txt" | head -1 | awk '{print $3}')
says "lease fixed-address ${addr//./\\.}\b"
says "dom0 SSH-2.0"
grep -q 'TENXEN-GUEST shutdown rc=0' "$QVM_LOG.txt" || fail "xl shutdown did not stop web1"
grep -Eq 'TENXEN-LIST2 web1 +pv +384 MiB +2 +stopped ' "$QVM_LOG.txt" || fail "tenxen guest does not list web1 stopped: $(grep -a 'TENXEN-LIST2' "$QVM_LOG.txt")"
pw=$(sed -n 's/.*TENXEN-GUEST password \([A-Za-z0-9]*\).*/\1/p' "$QVM_LOG.txt" | head -1)
echo "guest web1: made offline, started, logged into on xl console ($(grep -o 'GUEST-SAYS net [0-9./]*' "$QVM_LOG.txt" | head -1)), shut down"

# 2. the reinstall, stopped by a fault once the new root is made and mounted
reinstall() { # NAME [KERNEL-OPTIONS]
	QVM_SMP=1 qvm_start "$ISO_WORK" "$1" 1800 -m 1024 -cdrom "$ISO_WORK/check.iso" -boot d "${disks[@]}" "${ISO_NET[@]}"
	qvm_iso_menu "tenxen.answers=/tenxen/answers/check-reinstall.ks tenxen.atexit=poweroff${2:+ $2}" ||
		fail "the ISO's boot menu did not appear"
	qvm_wait 'TENXEN-INSTALL-(OK|FAILED)' 1800 || fail "the reinstall ($1) did not end"
	qvm_end 120
}
reinstall reinstall-fault tenxen.fault=mount
grep -q 'TENXEN-INSTALL-FAILED' "$QVM_LOG.txt" || fail "the fault did not stop the first reinstall"
grep -q 'a fault was injected after this step, as TENXEN_FAULT_AFTER=mount asks' "$QVM_LOG.txt" ||
	fail "the first reinstall failed, but not by the fault: $(grep -m3 'error:' "$QVM_LOG.txt")"
grep -q 'carried over from the old root: [1-9][0-9]* paths* into /dev/vg0/tenxen-carryover' "$QVM_LOG.txt" ||
	fail "the first reinstall did not carry the old root's files: $(grep -m3 'error:' "$QVM_LOG.txt")"
echo "reinstall 1: stopped by the fault after the root's mount, the old root's files saved"

# 3. again, to the end
reinstall reinstall
grep -q 'TENXEN-INSTALL-OK' "$QVM_LOG.txt" || fail "the second reinstall failed: $(grep -m3 'error:' "$QVM_LOG.txt")"
grep -q 'the files an earlier run of this reinstall carried over are in /dev/vg0/tenxen-carryover' "$QVM_LOG.txt" ||
	fail "the second reinstall did not use the files the first one saved"
echo "reinstall 2: $(grep -o 'phases: .*' "$QVM_LOG.txt")"

# 4. the host as reinstalled; web1 runs again, profiled, then deleted
{ echo "pw='$pw'"; cat << 'EOS'
for g in a b; do echo "TENXEN-STATE sum guest-$g $(sha256sum "/dev/vg0/guest-$g" | cut -d' ' -f1)"; done
for k in ed25519 rsa; do echo "TENXEN-STATE key $k $(ssh-keygen -lf "/etc/ssh/ssh_host_${k}_key.pub" | cut -d' ' -f2)"; done
tenxen guest list | sed 's/^/TENXEN-LIST /'
echo "TENXEN-AFTER host $(hostname) volumes $(lvs --noheadings -o lv_name vg0 | tr -d ' ' | sort | tr '\n' ' ')"
set +e
xl create /etc/xen/web1.cfg > /root/xl.out 2>&1
rc=$?
echo "TENXEN-GUEST2 xl-create rc=$rc $(tr '\n' ' ' < /root/xl.out)"
[ $rc = 0 ] || tail -n 20 /var/log/xen/bootloader.*.log | sed 's/^/TENXEN-GUEST2 bootloader: /'
python3 /run/txscript/guest-console.py web1 "$pw" 900 \
	'echo GUEST""-SAYS again $(hostname) $(stat -c %s /root/w)' \
	'(while :; do dd if=/dev/zero of=/root/w bs=1M count=32 oflag=direct conv=fsync 2> /dev/null; done) > /dev/null 2>&1 &'
echo "TENXEN-GUEST2 console rc=$?"
tenxen guest list | sed 's/^/TENXEN-LIST3 /'
tenxen profile --seconds 5 --output /root/profile > /root/profile.out 2>&1
echo "TENXEN-GUEST2 profile rc=$?"
sed 's/^/TENXEN-PROFILE /' /root/profile/report.txt
timeout 300 xl shutdown -w web1 > /dev/null 2>&1
echo "TENXEN-GUEST2 shutdown rc=$?"
for i in $(seq 60); do xl domid web1 > /dev/null 2>&1 || break; sleep 1; done
tenxen guest delete web1 > /root/del0.out 2>&1
echo "TENXEN-GUEST2 delete-unconfirmed rc=$? left $(lvs --noheadings -o lv_name vg0 | grep -c web1)"
tenxen guest delete web1 --yes > /root/del.out 2>&1
echo "TENXEN-GUEST2 delete rc=$? left $(lvs --noheadings -o lv_name vg0 | grep -c web1) $(ls /etc/xen/web1.cfg 2> /dev/null)."
systemctl --no-block poweroff
EOS
} > "$ISO_WORK/verify.sh"
script_disk "$ISO_WORK/verify.sh" || fail "cannot make the script disk"
QVM_SMP=1 qvm_start "$ISO_WORK" reinstalled 2400 -m 1536 "${disks[@]}" "${SCRIPT_DISK[@]}" "${ISO_NET[@]}"
qvm_wait 'TENXEN-SCRIPT-DONE' 2400 || fail "the reinstalled host did not come up"
qvm_end 180
after=$(grep -o 'TENXEN-STATE .*' "$QVM_LOG.txt" | sort)
state_whole "$after" && [ "$(grep -c '^TENXEN-STATE' <<< "$after")" = 4 ] ||
	fail "a sum or a fingerprint after the reinstall is missing, empty or not one: $after"
[ "$after" = "$before" ] || fail "the guests' volumes or the ssh host keys changed: before $before; after $after"
grep -o 'TENXEN-LIST .*' "$QVM_LOG.txt" | sed 's/^TENXEN-LIST /  | /'
for g in a b; do
	size=$([ $g = a ] && echo 64 || echo 48)
	grep -Eq "TENXEN-LIST guest-$g +pvh +256 MiB +1 +stopped +/dev/vg0/guest-$g \\($size MiB\\)" "$QVM_LOG.txt" ||
		fail "tenxen guest does not list guest-$g with its disk"
done
grep -Eq 'TENXEN-AFTER host xen-again volumes guest-a guest-b root swap web1-disk web1-swap *$' "$QVM_LOG.txt" ||
	fail "the host is not as reinstalled: $(grep -o 'TENXEN-AFTER .*' "$QVM_LOG.txt")"
grep -q '(XEN) Command line: .*dom0_mem=700M,max:700M' "$QVM_LOG.txt" || fail "Xen did not get the new dom0_mem=700M,max:700M"
grep -q '(XEN) Command line: .*com1=57600,8n1 console=com1' "$QVM_LOG.txt" || fail "Xen's serial console is not at the new speed"
# web1 after the reinstall: it runs, the profile names it, it goes
grep -q 'TENXEN-GUEST2 xl-create rc=0' "$QVM_LOG.txt" || fail "web1 did not start after the reinstall: $(grep -a 'TENXEN-GUEST2 xl-create' "$QVM_LOG.txt")"
grep -q 'TENXEN-GUEST2 console rc=0' "$QVM_LOG.txt" || fail "web1's console did not let the test log in after the reinstall"
says "again web1 16777216"
grep -Eq 'TENXEN-LIST3 web1 +pv +384 MiB +2 +running ' "$QVM_LOG.txt" || fail "web1 is not listed running after the reinstall"
grep -q 'TENXEN-GUEST2 profile rc=0' "$QVM_LOG.txt" || fail "tenxen profile failed: $(grep -a -m3 'TENXEN-PROFILE' "$QVM_LOG.txt")"
grep -a 'TENXEN-PROFILE' "$QVM_LOG.txt" | grep -a web1 | sed 's/^/  | /'
grep -Eq 'TENXEN-PROFILE   web1 +[0-9.]+ +[0-9.]+% +[0-9.]+ MiB' "$QVM_LOG.txt" || fail "the profile's CPU and I/O by domain (xentop) does not name web1"
grep -Eq 'TENXEN-PROFILE +[0-9.]+%  web1 \(domain [0-9]+\)' "$QVM_LOG.txt" || fail "the profile's time by domain (xentrace) does not name web1"
grep -Eq 'TENXEN-PROFILE +[0-9.]+%  web1 +[0-9]+\.xvda2-[0-9]+ \(domain' "$QVM_LOG.txt" || fail "the profile does not show dom0's block back-end serving web1 (perf)"
grep -q 'TENXEN-GUEST2 shutdown rc=0' "$QVM_LOG.txt" || fail "xl shutdown did not stop web1 after the reinstall"
grep -q 'TENXEN-GUEST2 delete-unconfirmed rc=1 left 2' "$QVM_LOG.txt" || fail "guest delete without --yes did not refuse, or removed something"
grep -q 'TENXEN-GUEST2 delete rc=0 left 0 \.' "$QVM_LOG.txt" || fail "guest delete --yes left web1's volumes or config: $(grep -a 'TENXEN-GUEST2 delete' "$QVM_LOG.txt")"
echo "ok: reinstalled keeping its guests: both volumes byte for byte, the ssh host keys, the guests listed; a fault mid-way, then a run to the end; dom0_mem 700M and com1 at 57600 in force; a PV guest made offline ran before and after, logged into, profiled by name, deleted"
