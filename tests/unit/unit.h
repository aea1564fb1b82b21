/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small unit-test harness: TEST(name) defines a test, CHECK(cond) records a failure with its
 * line, and RUN(name) runs one and prints "ok NAME" or "FAIL NAME" for tests/run.sh to count.
 */
#ifndef TENXEN_UNIT_H
#define TENXEN_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed_total;
static int unit_failed_now;

#define TEST(name) static void test_##name(void)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			unit_failed_now++;                                                         \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                           \
			fprintf(stderr, "  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__,         \
				a_ ? a_ : "(null)", b_ ? b_ : "(null)");                           \
			unit_failed_now++;                                                         \
		}                                                                                  \
	} while (0)

#define RUN(name)                                                                                  \
	do {                                                                                       \
		unit_failed_now = 0;                                                               \
		test_##name();                                                                     \
		printf("%s %s\n", unit_failed_now ? "FAIL" : "ok", #name);                         \
		fflush(stdout);                                                                    \
		unit_failed_total += unit_failed_now ? 1 : 0;                                      \
	} while (0)

#define UNIT_EXIT() return unit_failed_total ? 1 : 0

#endif
