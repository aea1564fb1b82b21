#!/bin/bash
# The Debian package (make deb): lintian finds no error and no warning, even pedantic; the
# package holds the program, both man pages, the completion, the templates under /usr/share,
# the udev rule and the initramfs script under /usr, its /etc files as conffiles, and a trigger
# that rebuilds the initramfs; the packaged program finds its own templates.
. tests/lib/cli.sh
d=$(tmpdir deb)
version=$(sed -n 's/^VERSION[[:space:]]*:= *//p' Makefile)
deb=$(ls build/deb/tenxen_"$version"_*.deb 2> /dev/null)
[ -f "$deb" ] || fail "no build/deb/tenxen_${version}_*.deb (make check builds it with make deb)"
command -v lintian > /dev/null || fail "lintian is missing (make deps installs it)"

lintian --pedantic --display-info --display-experimental "${deb%_*.deb}_$(dpkg-architecture -qDEB_HOST_ARCH).changes" > "$d/lintian" 2>&1
grep -v '^running with root privileges' "$d/lintian" | sed 's/^/  lintian: /'
grep -Eq '^[EW]: ' "$d/lintian" && fail "lintian reports errors or warnings"
grep -Eq '^[IPX]: ' "$d/lintian" && fail "lintian has remarks (info, pedantic or experimental)"

[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "the package is version $(dpkg-deb -f "$deb" Version), the Makefile $version"
[ "$(dpkg-deb -f "$deb" Package)" = tenxen ] || fail "the package is not called tenxen"
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' > "$d/files"
for f in /usr/sbin/tenxen /usr/share/man/man8/tenxen.8.gz /usr/share/man/man5/tenxen-answers.5.gz \
	/usr/share/bash-completion/completions/tenxen /usr/lib/udev/rules.d/60-tenxen-writeback.rules \
	/usr/share/initramfs-tools/scripts/local-block/tenxen-degraded-root \
	/etc/kernel/postinst.d/zz-tenxen /etc/kernel/postrm.d/zz-tenxen /etc/apt/apt.conf.d/90tenxen \
	/usr/share/doc/tenxen/copyright; do
	grep -qx "$f" "$d/files" || fail "the package lacks $f"
done
for t in data/templates/*.tmpl; do
	grep -qx "/usr/share/tenxen/templates/$(basename "$t")" "$d/files" || fail "the package lacks the template $(basename "$t")"
done
grep -Eq '^/(etc/udev|etc/initramfs-tools|etc/tenxen/templates)/.' "$d/files" && fail "the package puts its own files where an admin's go: $(grep -E '^/etc/(udev|initramfs-tools|tenxen)' "$d/files")"
dpkg-deb -e "$deb" "$d/control"
want=$(grep '^/etc/.*[^/]$' "$d/files" | sort)
[ "$(sort "$d/control/conffiles")" = "$want" ] || fail "conffiles are $(cat "$d/control/conffiles"), not $want"
grep -qx 'activate-noawait update-initramfs' "$d/control/triggers" || fail "no trigger rebuilds the initramfs"

# the packaged program, unpacked into a tree, finds the templates it brought
dpkg-deb -x "$deb" "$d/root"
run "$d/root/usr/sbin/tenxen" --root "$d/root" guest templates; expect_rc 0
[ "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" = "$(ls data/templates/*.tmpl | wc -l)" ] || fail "the packaged tenxen lists $out"
run "$d/root/usr/sbin/tenxen" version; expect_rc 0; expect_out "tenxen $version"
LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$d/root/usr/share/man/man5/tenxen-answers.5.gz" > /dev/null 2> "$d/man.err"
[ -s "$d/man.err" ] && fail "the packaged tenxen-answers(5) renders with warnings: $(cat "$d/man.err")"
echo "ok: lintian clean; $(grep -c . "$d/files") paths, $(wc -l < "$d/control/conffiles") conffiles, the initramfs trigger"
