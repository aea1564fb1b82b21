// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the answer-file reader and the spec: what the text frontend cannot show. */
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "lang/answers.h"
#include "lang/fields.h"
#include "tests/unit/unit.h"

struct captured {
	struct strv lines;
};

static void capture(void *data, enum tx_level level, const struct tx_loc *loc, const char *text)
{
	struct captured *c = data;

	strv_push_owned(&c->lines, xasprintf("%s:%d:%d:%s", loc ? loc->file : "-",
					     loc ? loc->line : 0, (int)level, text));
}

static struct spec *parse(const char *text, struct captured *c, int *rc)
{
	struct tx_ui ui = {capture, NULL, c};
	struct tx_report r = {.ui = &ui};
	struct spec *s = NULL;

	*rc = answers_parse_buffer("mem.ks", text, strlen(text), ANSWERS_NO_INCLUDE, &r, &s);
	return s;
}

TEST(plaintext_password_is_hashed)
{
	struct captured c = {0};
	int rc;
	struct spec *s = parse("#version=1\nrootpw --plaintext 's3cret pass'\n", &c, &rc);

	CHECK(rc == 0);
	CHECK(s->rootpw_hash && startswith(s->rootpw_hash, "$y$"));
	/* the hash verifies the password, and the plain text is nowhere in it */
	CHECK(streq(crypt("s3cret pass", s->rootpw_hash), s->rootpw_hash));
	CHECK(!streq(crypt("wrong", s->rootpw_hash), s->rootpw_hash));
	CHECK(strstr(s->rootpw_hash, "s3cret") == NULL);
	spec_free(s);
	strv_free(&c.lines);
}

TEST(errors_carry_file_and_line)
{
	struct captured c = {0};
	int rc;
	struct spec *s = parse("#version=1\n\n# comment\nlogvol / --vg=vg0 --name=root --sise=2G\n",
			       &c, &rc);

	CHECK(rc < 0);
	CHECK(c.lines.n == 1);
	CHECK(c.lines.n && startswith(c.lines.v[0], "mem.ks:4:3:"));
	CHECK(c.lines.n && strstr(c.lines.v[0], "did you mean --size?"));
	spec_free(s);
	strv_free(&c.lines);
}

TEST(continuation_and_quotes)
{
	struct captured c = {0};
	int rc;
	struct spec *s =
		parse("#version=1\nxen --dom0-mem=1G \\\n   --append=\"loglvl=all \\\"x\\\"\"\n"
		      "sshkey --username=root 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI it'\\''s'\n",
		      &c, &rc);

	CHECK(rc == 0);
	CHECK(s->xen.mem.amount == GiB);
	CHECK_STR(s->xen.append, "loglvl=all \"x\"");
	CHECK(s->nsshkeys == 1);
	CHECK_STR(s->sshkeys[0].key, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI it's");
	CHECK_STR(s->sshkeys[0].user, "root");
	spec_free(s);
	strv_free(&c.lines);
}

TEST(defaults)
{
	struct captured c = {0};
	int rc;
	struct spec *s = parse("#version=1\n", &c, &rc);
	char *mem;
	uint64_t bytes;

	CHECK(rc == 0);
	CHECK(s->xen.mem.is_auto);
	CHECK(s->bootloader.label == LABEL_GPT && s->bootloader.timeout == 5);
	CHECK_STR(s->timezone, "UTC");
	CHECK(s->finish == FINISH_REBOOT);
	/* dom0 memory: 1 GiB plus 5% of RAM, at most 8 GiB */
	mem = spec_dom0_mem_arg(s, 16 * GiB, &bytes);
	CHECK_STR(mem, "1843M,max:1843M");
	free(mem);
	mem = spec_dom0_mem_arg(s, 1024 * GiB, &bytes);
	CHECK_STR(mem, "8192M,max:8192M");
	CHECK(bytes == 8 * GiB);
	free(mem);
	mem = spec_dom0_mem_arg(s, 1 * GiB, &bytes); /* 1 GiB + 5% would not fit */
	CHECK_STR(mem, "512M,max:512M");
	free(mem);
	spec_free(s);
	strv_free(&c.lines);
}

TEST(nul_byte_is_refused)
{
	struct tx_ui ui = {NULL, NULL, NULL};
	struct tx_report r = {.ui = &ui};
	struct spec *s = NULL;

	CHECK(answers_parse_buffer("bin", "reboot\n\0x", 9, 0, &r, &s) < 0);
	CHECK(r.errors == 1);
	spec_free(s);
}

/* A mirror's address as apt and a deb822 line take it: each refusal has its reason. */
TEST(mirror_addresses)
{
	static const char *const good[] = {
		"http://deb.debian.org/debian",	    "https://mirror.example.net:8443/debian",
		"http://192.0.2.7/debian",	    "http://[2001:db8::1]/debian",
		"http://[2001:db8::1]:8080/debian", "http://mirror.example.net"};
	static const char *const bad[] = {"ftp://ftp.debian.org/debian",
					  "deb.debian.org/debian",
					  "http://user:pw@mirror.example/d",
					  "http://mirror.example.net/a b",
					  "http://mirror.example.net/d\nX",
					  "http://mirror.example.net:0/d",
					  "http://mirror.example.net:99999/d",
					  "http://[2001:db8::1/debian",
					  "http://under_score.example/d",
					  "http://mirror.example.net/d?x=1",
					  "http://[192.0.2.1]/d",
					  "http://"};

	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		CHECK(field_http_url(good[i]) == NULL);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK(field_http_url(bad[i]) != NULL);
}

int main(void)
{
	RUN(plaintext_password_is_hashed);
	RUN(errors_carry_file_and_line);
	RUN(continuation_and_quotes);
	RUN(defaults);
	RUN(nul_byte_is_refused);
	RUN(mirror_addresses);
	UNIT_EXIT();
}
