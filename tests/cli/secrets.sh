# A password never shows: not in an error, a warning, the canonical text, the JSON spec or a
# plan, whatever form the rootpw line takes (spaces, --lock with a word, a word that looks like an
# option, a misspelt option).
. tests/lib/cli.sh
d=$(tmpdir secrets)
base='#version=1
disk a --serial=S3Y1NB0K100001
clearpart a
part /boot --size=512M --disks=a
volgroup vg0 --disks=a
logvol / --vg=vg0 --name=root --size=8G'
n=0
for line in "rootpw --plaintext Pw0rdSecret" "rootpw --plaintext 'Pw0rd Secret spaced'" \
	"rootpw --plaintext Pw0rd Secret" "rootpw --lock Pw0rdSecret" "rootpw --plaintext --Pw0rdSecret" \
	"rootpw --plaintxt Pw0rdSecret" "rootpw Pw0rdSecret" "rootpw --plaintext Pw0rdSecret Pw0rdSecret2" \
	"rootpw --iscrypted Pw0rdSecret" "rootpw --plaintext=Pw0rdSecret"; do
	n=$((n + 1))
	printf '%s\n%s\n' "$base" "$line" > "$d/$n.ks"
	all=$( { "$TENXEN" check "$d/$n.ks"; "$TENXEN" check --canonical "$d/$n.ks"
		"$TENXEN" check --json "$d/$n.ks"
		"$TENXEN" plan --answers "$d/$n.ks" --machine tests/machines/one-disk.json; } 2>&1)
	grep -q 'Pw0rd' <<< "$all" && fail "the password shows for: $line
$(grep 'Pw0rd' <<< "$all")"
done
# and the two clean forms did check clean (the test reads what a user sees, not only errors)
"$TENXEN" check "$d/1.ks" > /dev/null 2>&1 || fail "a plain rootpw --plaintext was refused"
"$TENXEN" check "$d/5.ks" > /dev/null 2>&1 || fail "a password starting with -- was refused"
echo "ok: $n rootpw forms, no password shown"
