#!/bin/bash
# A payload read over HTTP (install --payload URL, the kernel's tenxen.payload=): the dry run
# fetches its manifest and small files and asks the server the large files' sizes, and refuses
# before any disk is touched when the manifest is missing or damaged, a small file or a large
# file's size is not the manifest's, a file it names is gone, or the root image's map gives no
# frame digests; each said with the URL.
. tests/lib/cli.sh
d=$(tmpdir payload-http)
d=$(realpath "$d")
# this test's temporary folders in its own folder: another run's are never seen
mkdir -p "$d/tmp"
export TMPDIR=$d/tmp
m=tests/machines/two-identical.json
cp tests/answers/mirror-core.ks "$d/a.ks" # packages @profiler @guest-templates
srv=$d/www/tenxen
mkdir -p "$srv/repo" "$srv/layers"
head -c 200000 /dev/urandom > "$srv/root.tar.zst"
head -c 3000 /dev/urandom > "$srv/repo/tenxen_0.1_amd64.deb"
: | gzip > "$srv/repo/Packages.gz"
printf 'profiler: linux-perf fio\nguest-templates: xen-tools\n' > "$srv/package-sets"
head -c 5000 /dev/urandom > "$srv/layers/guest-templates+profiler.tar.zst"
printf 'usr/share/doc/x\n' > "$srv/layers/guest-templates+profiler.removed"
sums() { iso/payload-sums.sh "$srv" > /dev/null; }
sums

python3 tests/lib/payload-httpd.py "$d/www" "$d/port" "$d/log" > /dev/null 2>&1 &
server=$!
trap 'kill $server 2> /dev/null' EXIT
for _ in $(seq 50); do [ -s "$d/port" ] && break; sleep 0.1; done
url=http://127.0.0.1:$(cat "$d/port")/tenxen
# (a URL without the trailing / names the same folder)
check() { TENXEN_FETCH_TIMEOUT=1 TENXEN_PAYLOAD_TRIES=2 run "$TENXEN" install --dry-run --machine "$m" --answers "$d/a.ks" --payload "$url"; }

check
expect_rc 0
expect_out "the payload at $url/: 6 files in its manifest, the small ones checked"
expect_out "the payload's large files are on the server at their sizes: 3 checked"
expect_out "the package sets will come with the root: prebuilt layer"
# the small files were fetched once, the large ones only asked (HEAD), and nothing is left behind
[ "$(grep -c '^GET /tenxen/package-sets ' "$d/log")" = 1 ] || fail "package-sets fetched $(grep -c 'GET /tenxen/package-sets' "$d/log") times"
grep -q '^HEAD /tenxen/root.tar.zst - 200 0 ' "$d/log" || fail "the root's size was not asked"
! grep -q '^GET /tenxen/root.tar.zst' "$d/log" || fail "a dry run fetched the root"
! ls "$TMPDIR"/tenxen-payload-* > /dev/null 2>&1 || fail "the payload's folder was left in $TMPDIR"

# a small file changed on the server: refused, saying which
printf 'profiler: linux-perf fio\nguest-templates: xen-toolz\n' > "$srv/package-sets"
check
expect_rc 1
expect_out "$url/package-sets: its SHA-256 is"
expect_out "refused before any disk was touched"
printf 'profiler: linux-perf fio\nguest-templates: xen-tools\n' > "$srv/package-sets"
# a large file cut short, and one gone
truncate -s 100 "$srv/root.tar.zst"
mv "$srv/layers/guest-templates+profiler.tar.zst" "$d/"
check
expect_rc 1
expect_out "$url/root.tar.zst holds 100 bytes, and the manifest says 200000"
expect_out "$url/layers/guest-templates+profiler.tar.zst: the server answered HTTP 404, and the manifest names the file"
expect_out "refused before any disk was touched"
mv "$d/guest-templates+profiler.tar.zst" "$srv/layers/"
head -c 200000 /dev/urandom > "$srv/root.tar.zst"
sums

# the root as an image whose map has no frame digests (a payload older than this installer)
printf 'tenxen-image 1\nfilesystem ext4\nsize 1048576\nextent 0 4096\nframe 100 4096\n' > "$srv/root.img.map"
head -c 100 /dev/urandom > "$srv/root.img.zst"
head -c 100 /dev/urandom > "$srv/boot.tar.zst"
sums
check
expect_rc 1
expect_out "the root image's map (${url}/root.img.map) gives no SHA-256 of its frames"
rm "$srv/root.img.map" "$srv/root.img.zst" "$srv/boot.tar.zst"
sums

# manifests: none, a damaged line
mv "$srv/payload.sums" "$d/"
check
expect_rc 1
expect_out "cannot fetch the payload's manifest $url/payload.sums: the server answered 404"
expect_out "refused before any disk was touched"
{ cat "$d/payload.sums"; echo "xyz 1 a"; } > "$srv/payload.sums"
check
expect_rc 1
expect_out "$url/payload.sums:7: error: a line of the manifest is \"SHA256 BYTES PATH\""

# the server gone: said after the tries, naming the URL
kill $server
wait $server 2> /dev/null
check
expect_rc 1
expect_out "cannot fetch the payload's manifest $url/payload.sums: Failed to connect"
expect_out "refused before any disk was touched"
echo "payload-http: ok"
