// SPDX-License-Identifier: GPL-2.0-or-later
/* The installer screens' checks and the answer file they write (ui/choices.c). */
#include <crypt.h>
#include <stdlib.h>

#include "lang/answers.h"
#include "ui/choices.h"
#include "lang/spec.h"
#include "unit.h"

static struct tx_report rep = {0};

static struct machine *two_disks(void)
{
	struct machine *m = NULL;

	machine_load("tests/machines/two-identical.json", &rep, &m);
	return m;
}

/* why is a sentence containing part, or NULL when part is NULL */
static int says(char *why, const char *part)
{
	int ok = part ? why && strstr(why, part) != NULL : why == NULL;

	if (!ok)
		fprintf(stderr, "  got: %s\n", why ? why : "(nothing)");
	free(why);
	return ok;
}

TEST(storage_checks)
{
	struct machine *m = two_disks();
	struct choices *c;

	CHECK(m != NULL);
	if (!m)
		return;
	c = choices_new(m);
	CHECK(says(choices_check_disks(c, m), "No disk is chosen"));
	c->disk_on[0] = true;
	CHECK(says(choices_check_disks(c, m), NULL));
	CHECK(says(choices_check_storage(c, m),
		   "A mirrored layout needs two disks and 1 is chosen"));
	c->disk_on[1] = true;
	CHECK(says(choices_check_storage(c, m), NULL));
	/* 500 GB disks: 500G of root does not fit a mirror; 400G does */
	choices_set(&c->root_size, "500G");
	CHECK(says(choices_check_storage(c, m), "make them smaller"));
	choices_set(&c->root_size, "400G");
	CHECK(says(choices_check_storage(c, m), NULL));
	/* without copies, both disks add up */
	c->layout = LAYOUT_SINGLE;
	choices_set(&c->root_size, "800G");
	CHECK(says(choices_check_storage(c, m), NULL));
	choices_set(&c->root_size, "20X");
	CHECK(says(choices_check_storage(c, m), "is not a size"));
	choices_set(&c->root_size, "1G");
	CHECK(says(choices_check_storage(c, m), "at least 2G"));
	choices_set(&c->dom0_mem, "2048");
	CHECK(says(choices_check_dom0(c, m), "KiB"));
	choices_set(&c->dom0_mem, "64G");
	CHECK(says(choices_check_dom0(c, m), "less than the machine's 16 GiB"));
	choices_free(c);
	machine_free(m);
}

TEST(network_and_password_checks)
{
	struct machine *m = two_disks();
	struct choices *c;

	if (!m)
		return;
	c = choices_new(m);
	c->dhcp = false;
	choices_set(&c->ip, "192.0.2.10");
	CHECK(says(choices_check_network(c, m), "needs a netmask"));
	choices_set(&c->ip, "192.0.2.10/24");
	CHECK(says(choices_check_network(c, m), NULL));
	choices_set(&c->ip, "192.0.2.10/33");
	CHECK(says(choices_check_network(c, m), "prefix after / must be 1 to 32"));
	choices_set(&c->ip, "192.0.2.300");
	choices_set(&c->netmask, "255.255.255.0");
	CHECK(says(choices_check_network(c, m), "is not an IPv4 address"));
	choices_set(&c->ip, "192.0.2.10");
	choices_set(&c->dns, "192.0.2.53, dns.example");
	CHECK(says(choices_check_network(c, m), "DNS server \"dns.example\""));
	choices_set(&c->dns, "");
	choices_set(&c->hostname, "bad_name");
	CHECK(says(choices_check_network(c, m), "is not a host name"));
	CHECK(says(choices_set_password(c, "abcdefg", "abcdefh"), "differ"));
	CHECK(says(choices_set_password(c, "", ""), "empty"));
	CHECK(says(choices_set_password(c, "abc", "abc"), "shorter than 6"));
	CHECK(c->pw_hash == NULL);
	CHECK(says(choices_set_password(c, "good-secret", "good-secret"), NULL));
	CHECK(c->pw_hash && strncmp(c->pw_hash, "$y$", 3) == 0);
	{
		struct crypt_data cd = {0};
		const char *h = c->pw_hash ? crypt_r("good-secret", c->pw_hash, &cd) : NULL;

		CHECK(h && c->pw_hash && streq(h, c->pw_hash));
	}
	choices_free(c);
	machine_free(m);
}

TEST(answer_text_reads_back)
{
	struct machine *m = two_disks();
	struct choices *c;
	struct spec *s = NULL;
	char *text;

	if (!m)
		return;
	c = choices_new(m);
	c->disk_on[0] = c->disk_on[1] = true;
	c->layout = LAYOUT_RAID1;
	choices_set(&c->guest_size, "100G");
	c->dhcp = false;
	choices_set(&c->ip, "192.0.2.10");
	choices_set(&c->netmask, "255.255.255.0");
	choices_set(&c->dns, "192.0.2.53 192.0.2.54");
	choices_set(&c->tz_region, "Europe");
	choices_set(&c->tz_city, "Berlin");
	choices_set(&c->vpmu, "arch");
	c->guest_templates = false;
	choices_set_password(c, "good-secret", "good-secret");
	text = choices_answer_text(c, m);
	CHECK(strstr(text,
		     "logvol - --vg=vg0 --name=guests --size=100G --type=raid1 --mirrors=1\n"));
	CHECK(strstr(text, "--nameserver=192.0.2.53,192.0.2.54 "));
	CHECK(strstr(text, "profiler --vpmu=arch\n"));
	CHECK(strstr(text, "packages @profiler\n"));
	CHECK(!strstr(text, "good-secret"));
	/* the text is an answer file that checks clean */
	CHECK(answers_parse_buffer("screens.ks", text, strlen(text), 0, &rep, &s) == 0);
	CHECK(s && spec_validate(s, &rep) == 0);
	CHECK(s && s->nets && s->nets[0].prefix == 24);
	spec_free(s);
	s = NULL;
	free(text);
	/* the one writer quotes what the reader would split: a serial number with spaces */
	strv_free(&m->disks[0].by_id);
	free(m->disks[0].serial);
	m->disks[0].serial = xstrdup("S3 Y1'NB0");
	text = choices_answer_text(c, m);
	CHECK(strstr(text, "disk a '--serial=S3 Y1'\\''NB0'\n"));
	CHECK(answers_parse_buffer("screens.ks", text, strlen(text), 0, &rep, &s) == 0);
	CHECK(s && s->ndisks == 2 && s->disks[0].serial && streq(s->disks[0].serial, "S3 Y1'NB0"));
	spec_free(s);
	free(text);
	choices_free(c);
	machine_free(m);
}

/* With two cards, the screens offer a bond of both; the host's address may be on a VLAN. */
TEST(bond_and_vlan_choices)
{
	struct machine *m = two_disks();
	struct choices *c;
	struct spec *s = NULL;
	char *text;

	if (!m)
		return;
	c = choices_new(m);
	c->disk_on[0] = true;
	c->layout = LAYOUT_SINGLE;
	c->nic = CHOICE_BOND;
	choices_set(&c->vlan, "4095");
	CHECK(says(choices_check_network(c, m), "1 to 4094"));
	choices_set(&c->vlan, "42");
	CHECK(says(choices_check_network(c, m), NULL));
	text = choices_answer_text(c, m);
	CHECK(strstr(text,
		     "network --device=bond0 --bondslaves=eno1,eno2 "
		     "--bondopts=mode=active-backup,miimon=100 --vlanid=42 --bootproto=dhcp"));
	CHECK(answers_parse_buffer("screens.ks", text, strlen(text), 0, &rep, &s) == 0);
	CHECK(s && spec_validate(s, &rep) == 0);
	CHECK(s && s->nnets == 1 && s->nets[0].slaves.n == 2 && s->nets[0].vlan == 42);
	spec_free(s);
	free(text);
	text = choices_summary(c, m);
	CHECK(strstr(text, "Network: bond0 of all 2 cards (active-backup), DHCP on VLAN 42"));
	free(text);
	c->nic = -1;
	CHECK(says(choices_check_network(c, m), "A VLAN needs a card"));
	m->nnics = 1;
	c->nic = CHOICE_BOND;
	choices_set(&c->vlan, "");
	CHECK(says(choices_check_network(c, m), "two or more cards"));
	m->nnics = 2;
	choices_free(c);
	machine_free(m);
}

int main(void)
{
	rep.log = fopen("/dev/null", "w");
	RUN(storage_checks);
	RUN(network_and_password_checks);
	RUN(answer_text_reads_back);
	RUN(bond_and_vlan_choices);
	fclose(rep.log);
	UNIT_EXIT();
}
