// SPDX-License-Identifier: GPL-2.0-or-later
/* The profiler's readers: domains from xl list, blkback's thread names, each domain's time from
 * the trace's runstate changes (recorded CPU by CPU, vCPUs moving between them). */
#include "unit.h"
#include "profiler/profile.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

TEST(xl_list_names_domains)
{
	struct domain_name d[4];
	int n = xl_list_parse("Name      ID   Mem VCPUs\tState\tTime(s)\n"
			      "Domain-0   0   600     1     r-----   40.1\n"
			      "web1      12   384     2     -b----    3.2\n"
			      "odd     99999 1 1 - 1\n"
			      "half\n",
			      d, 4);

	CHECK(n == 2);
	CHECK(d[0].id == 0);
	CHECK_STR(d[0].name, "Domain-0");
	CHECK(d[1].id == 12);
	CHECK_STR(d[1].name, "web1");
	CHECK(xl_list_parse("", d, 4) == 0);
}

TEST(blkback_threads)
{
	char dev[8];

	CHECK(blkback_domain("1.xvda2-0", dev, sizeof(dev)) == 1);
	CHECK_STR(dev, "xvda2");
	CHECK(blkback_domain("blkback.3.xvda2-0", dev, sizeof(dev)) == 3);
	CHECK_STR(dev, "xvda2");
	CHECK(blkback_domain("12.xvdb-3", dev, sizeof(dev)) == 12);
	CHECK_STR(dev, "xvdb");
	CHECK(blkback_domain("3.xvda-", NULL, 0) == -1);
	CHECK(blkback_domain("3.xvda-0x", NULL, 0) == -1);
	CHECK(blkback_domain("1.5-0", NULL, 0) == -1);
	CHECK(blkback_domain("2.0", NULL, 0) == -1);
	CHECK(blkback_domain("blkback.41.xvdb", dev, sizeof(dev)) == 41);
	CHECK_STR(dev, "xvdb");
	/* a device name longer than the room is cut, never overrun */
	CHECK(blkback_domain("blkback.2.averyverylongname", dev, sizeof(dev)) == 2);
	CHECK(strlen(dev) == sizeof(dev) - 1);
	CHECK(blkback_domain("blkback.x.xvda", NULL, 0) == -1);
	CHECK(blkback_domain("blkback.99999.xvda", NULL, 0) == -1);
	CHECK(blkback_domain("blkback.3.", NULL, 0) == -1);
	CHECK(blkback_domain("blkback.3", NULL, 0) == -1);
	CHECK(blkback_domain("kworker/0:1", NULL, 0) == -1);
}

static size_t put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	return 4;
}

/* A runstate change record with its TSC: the event, the TSC, one word. */
static size_t runstate(unsigned char *p, unsigned from, unsigned to, unsigned dom, unsigned vcpu,
		       uint64_t tsc)
{
	size_t n = put32(p, (0x00021001u | from << 8 | to << 4) | 1u << 28 | 1u << 31);

	n += put32(p + n, (uint32_t)tsc);
	n += put32(p + n, (uint32_t)(tsc >> 32));
	return n + put32(p + n, dom << 16 | vcpu);
}

static size_t cpu_change(unsigned char *p, unsigned cpu)
{
	size_t n = put32(p, 0x0001f003u | 2u << 28);

	n += put32(p + n, cpu);
	return n + put32(p + n, 0);
}

static uint64_t cycles_of(const struct trace_summary *t, unsigned dom)
{
	for (size_t i = 0; i < t->ndoms; i++)
		if (t->doms[i].domid == dom)
			return t->doms[i].cycles;
	return 0;
}

TEST(trace_time_by_domain)
{
	unsigned char buf[512];
	struct trace_summary t;
	size_t n = 0;

	/* CPU 0: dom 5's vCPU 0 runs 1000 cycles; a stop with no start before it counts nothing */
	n += cpu_change(buf + n, 0);
	n += runstate(buf + n, 0, 1, 7, 0, 50);
	n += runstate(buf + n, 1, 0, 5, 0, 100);
	n += runstate(buf + n, 0, 2, 5, 0, 1100);
	/* CPU 1: dom 5's vCPU 1 runs 500, then dom 0 runs 250; a stop of another vCPU than the
	 * one running is not counted, and a TSC going back is ignored */
	n += cpu_change(buf + n, 1);
	n += runstate(buf + n, 1, 0, 5, 1, 2000);
	n += runstate(buf + n, 0, 1, 5, 2, 2400);
	n += runstate(buf + n, 0, 1, 5, 1, 2500);
	n += runstate(buf + n, 2, 0, 0, 0, 2500);
	n += runstate(buf + n, 0, 2, 0, 0, 2750);
	n += runstate(buf + n, 2, 0, 0, 0, 3000);
	n += runstate(buf + n, 0, 2, 0, 0, 10);
	CHECK(trace_summarize(buf, n, &t) == 0);
	CHECK(cycles_of(&t, 5) == 1500);
	CHECK(cycles_of(&t, 0) == 250);
	CHECK(cycles_of(&t, 7) == 0);
	CHECK(t.records == 10);
}

int main(void)
{
	RUN(xl_list_names_domains);
	RUN(blkback_threads);
	RUN(trace_time_by_domain);
	UNIT_EXIT();
}
