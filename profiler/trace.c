// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A summary of what xentrace wrote. Each record is a 32-bit header (the event in the low 28
 * bits, the count of extra 32-bit words in the next 3, and a flag saying a 64-bit TSC follows
 * in the top bit), the TSC when flagged, then the extra words. xentrace puts a CPU-change
 * record (TRC_TRACE_CPU_CHANGE: the CPU, then the bytes that follow) before each CPU's records.
 */
#include "profiler/profile.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#define TRC_LOST_RECORDS     0x0001f001u
#define TRC_TRACE_CPU_CHANGE 0x0001f003u
/* TRC_SCHED_RUNSTATE_CHANGE: the old state in bits 8-9 of the event, the new one in bits 4-5;
 * one word, the vCPU in its low half and the domain in its high half */
#define TRC_RUNSTATE_MASK   0x0ffff00fu
#define TRC_RUNSTATE_CHANGE 0x00021001u
#define RUNSTATE_RUNNING    0

static const struct {
	uint32_t bits; /* the class bits, event >> 16 & 0xfff */
	const char *name;
} classes[] = {
	{0x001, "general (trace bookkeeping)"},
	{0x002, "scheduler"},
	{0x004, "dom0 operations"},
	{0x008, "HVM guests"},
	{0x010, "memory"},
	{0x020, "PV guests (hypercalls, traps, faults)"},
	{0x040, "shadow paging"},
	{0x080, "hardware (interrupts, power)"},
	{0x800, "guest-defined"},
};

const char *trace_class_name(int index)
{
	if (index >= 0 && (size_t)index < sizeof(classes) / sizeof(classes[0]))
		return classes[index].name;
	return "other";
}

static int class_index(uint32_t event)
{
	uint32_t bits = (event >> 16) & 0xfff;

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (classes[i].bits == bits)
			return (int)i;
	return (int)(sizeof(classes) / sizeof(classes[0])); /* "other" */
}

static uint32_t word(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A domain's slot in s->doms, or NULL when they are all taken. */
static uint64_t *dom_cycles(struct trace_summary *s, unsigned domid)
{
	size_t i;

	for (i = 0; i < s->ndoms; i++)
		if (s->doms[i].domid == domid)
			return &s->doms[i].cycles;
	if (s->ndoms == sizeof(s->doms) / sizeof(s->doms[0]))
		return NULL;
	s->doms[s->ndoms].domid = domid;
	s->doms[s->ndoms].cycles = 0;
	return &s->doms[s->ndoms++].cycles;
}

/* What runs on each CPU since when, as the runstate changes say. */
struct running {
	bool known;
	unsigned domid, vcpu;
	uint64_t since;
};

static void runstate(struct trace_summary *s, struct running *on, uint32_t event, uint32_t word,
		     uint64_t tsc)
{
	unsigned from = (event >> 8) & 3, to = (event >> 4) & 3;
	unsigned domid = word >> 16, vcpu = word & 0xffff;

	if (from == RUNSTATE_RUNNING && on->known && on->domid == domid && on->vcpu == vcpu &&
	    tsc >= on->since) {
		uint64_t *c = dom_cycles(s, domid);

		if (c)
			*c += tsc - on->since;
		on->known = false;
	}
	if (to == RUNSTATE_RUNNING) {
		on->known = true;
		on->domid = domid;
		on->vcpu = vcpu;
		on->since = tsc;
	}
}

int trace_summarize(const unsigned char *buf, size_t len, struct trace_summary *s)
{
	static struct running none;
	struct running on[64];
	size_t off = 0;
	int cpu = -1;

	for (size_t i = 0; i < 64; i++)
		on[i] = none;

	memset(s, 0, sizeof(*s));
	s->bytes = len;
	while (off + 4 <= len) {
		uint32_t h = word(buf + off), event = h & 0x0fffffff;
		unsigned extra = (h >> 28) & 7;
		int tsc = h >> 31;
		size_t size = 4 + (tsc ? 8 : 0) + 4 * (size_t)extra;
		const unsigned char *x = buf + off + 4 + (tsc ? 8 : 0);

		if (off + size > len) {
			s->truncated = 1;
			break;
		}
		if (tsc) {
			uint64_t t = (uint64_t)word(buf + off + 4) | (uint64_t)word(buf + off + 8)
									     << 32;

			if (!s->tsc_first || t < s->tsc_first)
				s->tsc_first = t;
			if (t > s->tsc_last)
				s->tsc_last = t;
			if ((event & TRC_RUNSTATE_MASK) == TRC_RUNSTATE_CHANGE && extra >= 1 &&
			    cpu >= 0 && cpu < 64)
				runstate(s, &on[cpu], event, word(x), t);
		}
		off += size;
		if (event == TRC_TRACE_CPU_CHANGE && extra >= 1) {
			cpu = (int)(word(x) & 0xffff);
			if (cpu < 64 && cpu + 1 > s->ncpus)
				s->ncpus = cpu + 1;
			continue;
		}
		if (event == TRC_LOST_RECORDS && extra >= 1)
			s->lost += word(x);
		s->records++;
		s->by_class[class_index(event)]++;
		if (cpu >= 0 && cpu < 64)
			s->per_cpu[cpu]++;
		{
			size_t i;

			for (i = 0; i < s->nevents; i++)
				if (s->events[i].event == event)
					break;
			if (i < s->nevents)
				s->events[i].count++;
			else if (s->nevents < sizeof(s->events) / sizeof(s->events[0])) {
				s->events[s->nevents].event = event;
				s->events[s->nevents++].count = 1;
			}
		}
	}
	if (off < len && !s->truncated)
		s->truncated = 1;
	return s->records || len == 0 ? 0 : -EINVAL;
}
