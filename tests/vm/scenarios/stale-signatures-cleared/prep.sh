# an old md superblock (metadata 1.0, at the end) on partition 2 of disk a, and an old volume
# group of the same name as the new one on disk b
mdadm --create /dev/md9 --run --metadata=1.0 --level=1 --raid-devices=2 /dev/vda2 missing && mdadm --stop /dev/md9
lvm pvcreate -y /dev/vdb && lvm vgcreate vg0 /dev/vdb && lvm lvcreate -y -n old -L 64M vg0 && lvm vgchange -an vg0
