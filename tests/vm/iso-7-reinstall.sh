#!/bin/bash
# Reinstalling a host and keeping its guests (docs/answer-file.md, "Reinstalling a host"), on the
# disks iso-1-install.sh installed (mirrors with a core log):
#  1. the host boots and makes two guests' volumes (one linear on its first disk, one raid1 on
#     both) full of random data, their configs in /etc/xen, and notes their SHA-256 and its
#     ssh host keys' fingerprints;
#  2. the ISO reinstalls it with tests/iso/answers/check-reinstall.ks (vg0 kept, /boot and the
#     root reformatted where they are, another dom0 memory, serial speed and host name), with a
#     fault injected once the new root is made and mounted: the install stops;
#  3. the same reinstall runs again, to the end: the files it carries are those the first run
#     saved before it reformatted the root;
#  4. the host boots: both volumes byte for byte as they were, tenxen guest lists both with
#     their disks, the same ssh host keys, the new settings in force, and the carried files'
#     volume gone.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/iso.sh
scratch "$ISO_WORK"/a.img "$ISO_WORK"/b.img "$ISO_WORK/installed" "$ISO_WORK/txscript.img"
[ -f "$ISO_WORK/installed" ] || fail "no installed disks: iso-1-install.sh did not succeed"
check_iso || fail "cannot build the check ISO"
mapfile -t disks < <(iso_disks a b)
script_disk() { # NAME: tests' script as /run.sh on a disk labelled TXSCRIPT
	mkdir -p "$ISO_WORK/txscript" && cp "$1" "$ISO_WORK/txscript/run.sh" &&
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
systemctl --no-block poweroff
EOS
script_disk "$ISO_WORK/prepare.sh" || fail "cannot make the script disk"
QVM_SMP=1 qvm_start "$ISO_WORK" prepare 900 -m 1024 "${disks[@]}" "${SCRIPT_DISK[@]}" "${ISO_NET[@]}"
qvm_wait 'TENXEN-SCRIPT-DONE' 900 || fail "the installed host did not run the preparing script"
qvm_end 180
grep -q 'TENXEN-SCRIPT-DONE rc=0' "$QVM_LOG.txt" || fail "the guests' volumes could not be made"
before=$(grep -o 'TENXEN-STATE .*' "$QVM_LOG.txt" | sort)
[ "$(grep -c '^TENXEN-STATE' <<< "$before")" = 4 ] || fail "the host did not say its volumes' sums and keys: $before"
echo "before: $(tr '\n' ';' <<< "$before")"

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

# 4. the host as reinstalled
cat > "$ISO_WORK/verify.sh" << 'EOS'
for g in a b; do echo "TENXEN-STATE sum guest-$g $(sha256sum "/dev/vg0/guest-$g" | cut -d' ' -f1)"; done
for k in ed25519 rsa; do echo "TENXEN-STATE key $k $(ssh-keygen -lf "/etc/ssh/ssh_host_${k}_key.pub" | cut -d' ' -f2)"; done
tenxen guest list | sed 's/^/TENXEN-LIST /'
echo "TENXEN-AFTER host $(hostname) volumes $(lvs --noheadings -o lv_name vg0 | tr -d ' ' | sort | tr '\n' ' ')"
systemctl --no-block poweroff
EOS
script_disk "$ISO_WORK/verify.sh" || fail "cannot make the script disk"
QVM_SMP=1 qvm_start "$ISO_WORK" reinstalled 900 -m 1024 "${disks[@]}" "${SCRIPT_DISK[@]}" "${ISO_NET[@]}"
qvm_wait 'TENXEN-SCRIPT-DONE' 900 || fail "the reinstalled host did not come up"
qvm_end 180
after=$(grep -o 'TENXEN-STATE .*' "$QVM_LOG.txt" | sort)
[ "$after" = "$before" ] || fail "the guests' volumes or the ssh host keys changed: before $before; after $after"
grep -o 'TENXEN-LIST .*' "$QVM_LOG.txt" | sed 's/^TENXEN-LIST /  | /'
for g in a b; do
	size=$([ $g = a ] && echo 64 || echo 48)
	grep -Eq "TENXEN-LIST guest-$g +pvh +256 MiB +1 +stopped +/dev/vg0/guest-$g \\($size MiB\\)" "$QVM_LOG.txt" ||
		fail "tenxen guest does not list guest-$g with its disk"
done
grep -Eq 'TENXEN-AFTER host xen-again volumes guest-a guest-b root swap *$' "$QVM_LOG.txt" ||
	fail "the host is not as reinstalled: $(grep -o 'TENXEN-AFTER .*' "$QVM_LOG.txt")"
grep -q '(XEN) Command line: .*dom0_mem=700M,max:700M' "$QVM_LOG.txt" || fail "Xen did not get the new dom0_mem=700M,max:700M"
grep -q '(XEN) Command line: .*com1=57600,8n1 console=com1' "$QVM_LOG.txt" || fail "Xen's serial console is not at the new speed"
echo "ok: reinstalled keeping its guests: both volumes byte for byte, the ssh host keys, the guests listed; a fault mid-way, then a run to the end; dom0_mem 700M and com1 at 57600 in force"
