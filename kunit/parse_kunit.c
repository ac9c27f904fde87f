// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: every parser behind a sysfs file or module parameter, with tables
 * of valid and invalid input.  An invalid input must return the documented
 * errno and leave the output untouched.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

/* What outputs hold before a parse, to see that a failed one wrote nothing. */
#define UNTOUCHED	"untouched"

struct path_case {
	const char *in;
	int ret;
	const char *out;
};

static const struct path_case path_cases[] = {
	{ "/", 0, "/" },
	{ "/\n", 0, "/" },
	{ "  /a/b\x20\n", 0, "/a/b" },
	{ "/a/", 0, "/a" },
	{ "/system.slice/sshd@1-10.0.0.1:22.service", 0,
	  "/system.slice/sshd@1-10.0.0.1:22.service" },
	{ "/...", 0, "/..." },
	{ "/..a/.b", 0, "/..a/.b" },
	{ "", -EINVAL },
	{ "\x20\n", -EINVAL },
	{ "a", -EINVAL },
	{ "a/b", -EINVAL },
	{ "//", -EINVAL },
	{ "/a//b", -EINVAL },
	{ "/.", -EINVAL },
	{ "/./a", -EINVAL },
	{ "/a/..", -EINVAL },
	{ "/a/../b", -EINVAL },
	{ "/a b", -EINVAL },
	{ "/a\tb", -EINVAL },
	{ "/a,b", -EINVAL },
	{ "/a\x01", -EINVAL },
	{ "/a\x7f", -EINVAL },
};

static void parse_cgroup_path_table(struct kunit *test)
{
	char out[OOMHOOK_PATH_MAX];
	int i;

	for (i = 0; i < ARRAY_SIZE(path_cases); i++) {
		const struct path_case *c = &path_cases[i];

		strscpy(out, UNTOUCHED, sizeof(out));
		KUNIT_EXPECT_EQ_MSG(test, oomhook_parse_cgroup_path(c->in, out,
								    sizeof(out)),
				    c->ret, "input \"%s\"", c->in);
		KUNIT_EXPECT_STREQ_MSG(test, out, c->ret ? UNTOUCHED : c->out,
				       "input \"%s\"", c->in);
	}
}

static void parse_cgroup_path_length(struct kunit *test)
{
	char *in = kunit_kzalloc(test, OOMHOOK_PATH_MAX + 2, GFP_KERNEL);
	char out[OOMHOOK_PATH_MAX];

	KUNIT_ASSERT_NOT_NULL(test, in);
	in[0] = '/';
	memset(in + 1, 'x', OOMHOOK_PATH_MAX - 2);
	/* The longest path that fits, with its NUL. */
	KUNIT_EXPECT_EQ(test, oomhook_parse_cgroup_path(in, out, sizeof(out)), 0);
	KUNIT_EXPECT_EQ(test, strlen(out), OOMHOOK_PATH_MAX - 1);
	/* One more byte is too long, and so is a smaller output buffer. */
	in[OOMHOOK_PATH_MAX - 1] = 'x';
	strscpy(out, UNTOUCHED, sizeof(out));
	KUNIT_EXPECT_EQ(test, oomhook_parse_cgroup_path(in, out, sizeof(out)),
			-ENAMETOOLONG);
	KUNIT_EXPECT_STREQ(test, out, UNTOUCHED);
	KUNIT_EXPECT_EQ(test, oomhook_parse_cgroup_path("/abcd", out, 5),
			-ENAMETOOLONG);
}

static void valid_policy_name(struct kunit *test)
{
	static const char * const good[] = { "memcg", "a", "tmpfs_2",
					     "abcdefghijklmno" };
	static const char * const bad[] = { "", "none", "Memcg", "a-b", "a b",
					    "a.b", "abcdefghijklmnop", "é" };
	int i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		KUNIT_EXPECT_TRUE_MSG(test, oomhook_valid_policy_name(good[i]),
				      "\"%s\"", good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_FALSE_MSG(test, oomhook_valid_policy_name(bad[i]),
				       "\"%s\"", bad[i]);
}

struct chain_case {
	const char *in;
	int ret;
	const char *names[OOMHOOK_CHAIN_MAX];
};

static const struct chain_case chain_cases[] = {
	{ "memcg", 1, { "memcg" } },
	{ "memcg\n", 1, { "memcg" } },
	{ "tmpfs,memcg", 2, { "tmpfs", "memcg" } },
	{ " tmpfs , freeze ,memcg\x20\n", 3, { "tmpfs", "freeze", "memcg" } },
	{ "a,b,c,d", 4, { "a", "b", "c", "d" } },
	{ "none", 0 },
	{ " none\n", 0 },
	{ "", -EINVAL },
	{ "\n", -EINVAL },
	{ ",", -EINVAL },
	{ "memcg,", -EINVAL },
	{ ",memcg", -EINVAL },
	{ "memcg,,tmpfs", -EINVAL },
	{ "memcg,memcg", -EINVAL },
	{ "none,memcg", -EINVAL },
	{ "memcg,none", -EINVAL },
	{ "Memcg", -EINVAL },
	{ "mem cg", -EINVAL },
	{ "bad!", -EINVAL },
	{ "abcdefghijklmnop", -EINVAL },
	{ "a,b,c,d,e", -E2BIG },
	{ "abcdefghijklmna,abcdefghijklmnb,abcdefghijklmnc,abcdefghijklmnd,abcdefghijklmne",
	  -E2BIG },
};

static void parse_chain_table(struct kunit *test)
{
	char names[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX];
	int i, j, n;

	for (i = 0; i < ARRAY_SIZE(chain_cases); i++) {
		const struct chain_case *c = &chain_cases[i];

		for (j = 0; j < OOMHOOK_CHAIN_MAX; j++)
			strscpy(names[j], UNTOUCHED, OOMHOOK_NAME_MAX);
		n = oomhook_parse_chain(c->in, names);
		KUNIT_EXPECT_EQ_MSG(test, n, c->ret, "input \"%s\"", c->in);
		for (j = 0; j < OOMHOOK_CHAIN_MAX; j++) {
			if (n > 0 && j < n)
				KUNIT_EXPECT_STREQ(test, names[j], c->names[j]);
			else if (n < 0)
				KUNIT_EXPECT_STREQ(test, names[j], UNTOUCHED);
		}
	}
}

struct knob_case {
	const char *in;
	bool boolean;
	int ret;
	unsigned int val;
};

/* Numbers are checked against [10, 10000]. */
static const struct knob_case knob_cases[] = {
	{ "1", true, 0, 1 },		{ "0", true, 0, 0 },
	{ "y", true, 0, 1 },		{ "n", true, 0, 0 },
	{ "yes", true, 0, 1 },		{ "no", true, 0, 0 },
	{ "On", true, 0, 1 },		{ "off", true, 0, 0 },
	{ "true", true, 0, 1 },		{ "FALSE", true, 0, 0 },
	{ " 1\x20\n", true, 0, 1 },
	{ "", true, -EINVAL },		{ "2", true, -EINVAL },
	{ "-1", true, -EINVAL },	{ "1x", true, -EINVAL },
	{ "0x1", true, -EINVAL },	{ "truee", true, -EINVAL },
	{ "yes please", true, -EINVAL },
	{ "10", false, 0, 10 },		{ "10000", false, 0, 10000 },
	{ " 42\n", false, 0, 42 },	{ "0010", false, 0, 10 },
	{ "9", false, -ERANGE },	{ "10001", false, -ERANGE },
	{ "4294967295", false, -ERANGE },
	{ "4294967296", false, -ERANGE },
	{ "99999999999999999999", false, -ERANGE },
	{ "", false, -EINVAL },		{ "-1", false, -EINVAL },
	{ "+5", false, -EINVAL },	{ "0x10", false, -EINVAL },
	{ "1.5", false, -EINVAL },	{ "5 5", false, -EINVAL },
	{ "abc", false, -EINVAL },
};

static void parse_knob_table(struct kunit *test)
{
	unsigned int val;
	int i;

	for (i = 0; i < ARRAY_SIZE(knob_cases); i++) {
		const struct knob_case *c = &knob_cases[i];

		val = 12345;
		KUNIT_EXPECT_EQ_MSG(test, oomhook_parse_knob(c->in, c->boolean,
							     10, 10000, &val),
				    c->ret, "input \"%s\" (%s)", c->in,
				    c->boolean ? "boolean" : "number");
		KUNIT_EXPECT_EQ_MSG(test, val, c->ret ? 12345 : c->val,
				    "input \"%s\"", c->in);
	}
}

/* The module's own knobs: bounds accepted, one past refused, no change. */
static void knob_store_bounds(struct kunit *test)
{
	struct oomhook_knob *knobs[] = { &oomhook_enabled, &oomhook_dry_run,
					 &oomhook_cooldown_ms,
					 &oomhook_budget_ms, &oomhook_hold_ms };
	char buf[24];
	int i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		struct oomhook_knob *k = knobs[i];
		unsigned int saved = oomhook_knob_get(k);
		const char *name = k->attr.attr.name;

		snprintf(buf, sizeof(buf), "%u", k->min);
		KUNIT_EXPECT_EQ_MSG(test, oomhook_knob_store(k, buf), 0, "%s", name);
		KUNIT_EXPECT_EQ(test, oomhook_knob_get(k), k->min);
		snprintf(buf, sizeof(buf), "%u\n", k->max);
		KUNIT_EXPECT_EQ_MSG(test, oomhook_knob_store(k, buf), 0, "%s", name);
		KUNIT_EXPECT_EQ(test, oomhook_knob_get(k), k->max);
		if (k->min) {
			snprintf(buf, sizeof(buf), "%u", k->min - 1);
			KUNIT_EXPECT_NE_MSG(test, oomhook_knob_store(k, buf), 0,
					    "%s below min", name);
		}
		snprintf(buf, sizeof(buf), "%u", k->max + 1);
		KUNIT_EXPECT_NE_MSG(test, oomhook_knob_store(k, buf), 0,
				    "%s above max", name);
		KUNIT_EXPECT_NE(test, oomhook_knob_store(k, "junk"), 0);
		KUNIT_EXPECT_NE(test, oomhook_knob_store(k, ""), 0);
		KUNIT_EXPECT_EQ_MSG(test, oomhook_knob_get(k), k->max,
				    "%s changed by a refused write", name);
		WRITE_ONCE(k->val, saved);
	}
}

struct key_case {
	const char *text;
	const char *key;
	int ret;
	u64 val;
};

static const struct key_case key_cases[] = {
	{ "populated 1\nfrozen 0\n", "populated", 0, 1 },
	{ "populated 1\nfrozen 0\n", "frozen", 0, 0 },
	{ "low 0\nhigh 5\nmax 2\noom 3\noom_kill 4\n", "oom", 0, 3 },
	{ "low 0\nhigh 5\nmax 2\noom 3\noom_kill 4\n", "oom_kill", 0, 4 },
	{ "populated 1", "populated", 0, 1 },
	{ "populated 1\n", "missing", -ENOENT },
	{ "populatedx 1\n", "populated", -ENOENT },
	{ "xpopulated 1\n", "populated", -ENOENT },
	{ "populated abc\n", "populated", -EINVAL },
	{ "populated\x20\n", "populated", -EINVAL },
	{ "", "populated", -ENOENT },
};

static void parse_key_table(struct kunit *test)
{
	u64 val;
	int i;

	for (i = 0; i < ARRAY_SIZE(key_cases); i++) {
		const struct key_case *c = &key_cases[i];

		val = 77;
		KUNIT_EXPECT_EQ_MSG(test, oomhook_parse_key(c->text, c->key, &val),
				    c->ret, "key %s", c->key);
		if (!c->ret)
			KUNIT_EXPECT_EQ(test, val, c->val);
	}
}

static struct kunit_case oomhook_parse_cases[] = {
	KUNIT_CASE(parse_cgroup_path_table),
	KUNIT_CASE(parse_cgroup_path_length),
	KUNIT_CASE(valid_policy_name),
	KUNIT_CASE(parse_chain_table),
	KUNIT_CASE(parse_knob_table),
	KUNIT_CASE(knob_store_bounds),
	KUNIT_CASE(parse_key_table),
	{}
};

static struct kunit_suite oomhook_parse_suite = {
	.name = "oomhook_parse",
	.test_cases = oomhook_parse_cases,
};

/* ---- PSI trigger specifications ---------------------------------------- */

struct psi_case {
	const char *in;
	int ret;
	const char *path;
	enum oomhook_psi_kind kind;
	u32 threshold_us;
	u32 window_us;
};

static const struct psi_case psi_cases[] = {
	{ "/:some:150000:1000000", 0, "/", OOMHOOK_PSI_SOME, 150000, 1000000 },
	{ " /batch:full:100000:500000\n", 0, "/batch", OOMHOOK_PSI_FULL,
	  100000, 500000 },
	{ "/a:b.service:some:1:500000", 0, "/a:b.service", OOMHOOK_PSI_SOME,
	  1, 500000 },
	{ "/:full:10000000:10000000", 0, "/", OOMHOOK_PSI_FULL, 10000000,
	  10000000 },
	{ "/:some:0:1000000", -ERANGE },
	{ "/:some:2000000:1000000", -ERANGE },
	{ "/:some:100:499999", -ERANGE },
	{ "/:some:100:10000001", -ERANGE },
	{ "/:bogus:1:1000000", -EINVAL },
	{ "/:SOME:1:1000000", -EINVAL },
	{ "/:some:1", -EINVAL },
	{ "/:some", -EINVAL },
	{ "/", -EINVAL },
	{ "", -EINVAL },
	{ "some:1:1000000", -EINVAL },
	{ "x:some:1:1000000", -EINVAL },
	{ "/a//b:some:1:1000000", -EINVAL },
	{ "/../a:some:1:1000000", -EINVAL },
	{ "/:some:-1:1000000", -EINVAL },
	{ "/:some:+1:1000000", -EINVAL },
	{ "/:some:0x10:1000000", -EINVAL },
	{ "/:some:1:1e6", -EINVAL },
	{ "/:some::1000000", -EINVAL },
	{ "/:some:1:", -EINVAL },
	{ "/:some:1:99999999999", -ERANGE },
};

static void psi_spec_table(struct kunit *test)
{
	struct oomhook_psi_spec *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < ARRAY_SIZE(psi_cases); i++) {
		const struct psi_case *c = &psi_cases[i];

		strscpy(s->path, UNTOUCHED, sizeof(s->path));
		KUNIT_EXPECT_EQ_MSG(test, oomhook_parse_psi_spec(c->in, s), c->ret,
				    "input \"%s\"", c->in);
		if (c->ret) {
			KUNIT_EXPECT_STREQ(test, s->path, UNTOUCHED);
			continue;
		}
		KUNIT_EXPECT_STREQ(test, s->path, c->path);
		KUNIT_EXPECT_EQ(test, s->kind, c->kind);
		KUNIT_EXPECT_EQ(test, s->threshold_us, c->threshold_us);
		KUNIT_EXPECT_EQ(test, s->window_us, c->window_us);
	}
}

static void psi_spec_long_path(struct kunit *test)
{
	struct oomhook_psi_spec *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	char *in = kunit_kzalloc(test, OOMHOOK_PATH_MAX + 32, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, in);
	in[0] = '/';
	memset(in + 1, 'x', OOMHOOK_PATH_MAX);
	strcat(in, ":some:1:1000000");
	KUNIT_EXPECT_EQ(test, oomhook_parse_psi_spec(in, s), -ENAMETOOLONG);
}

struct cmd_case {
	const char *in;
	int ret;
	enum oomhook_verb verb;
	const char *path;
	enum oomhook_psi_kind kind;
};

static const struct cmd_case cmd_cases[] = {
	{ "add /:some:150000:1000000", 0, OOMHOOK_VERB_ADD, "/", OOMHOOK_PSI_SOME },
	{ "  add\t/x:full:1:500000\n", 0, OOMHOOK_VERB_ADD, "/x", OOMHOOK_PSI_FULL },
	{ "del /x:full", 0, OOMHOOK_VERB_DEL, "/x", OOMHOOK_PSI_FULL },
	{ "del /a:b:some\n", 0, OOMHOOK_VERB_DEL, "/a:b", OOMHOOK_PSI_SOME },
	{ "clear", 0, OOMHOOK_VERB_CLEAR },
	{ "clear\n", 0, OOMHOOK_VERB_CLEAR },
	{ "add", -EINVAL },
	{ "add ", -EINVAL },
	{ "add /", -EINVAL },
	{ "addx /:some:1:1000000", -EINVAL },
	{ "del /x:full:1:1000000", -EINVAL },
	{ "del", -EINVAL },
	{ "remove /:some", -EINVAL },
	{ "clearx", -EINVAL },
	{ "clear all", -EINVAL },
	{ "", -EINVAL },
	{ "add /:some:0:1000000", -ERANGE },
};

static void psi_cmd_table(struct kunit *test)
{
	struct oomhook_psi_spec *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	enum oomhook_verb verb;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < ARRAY_SIZE(cmd_cases); i++) {
		const struct cmd_case *c = &cmd_cases[i];

		KUNIT_EXPECT_EQ_MSG(test, oomhook_parse_psi_cmd(c->in, &verb, s),
				    c->ret, "input \"%s\"", c->in);
		if (c->ret)
			continue;
		KUNIT_EXPECT_EQ(test, verb, c->verb);
		if (c->verb == OOMHOOK_VERB_CLEAR)
			continue;
		KUNIT_EXPECT_STREQ(test, s->path, c->path);
		KUNIT_EXPECT_EQ(test, s->kind, c->kind);
	}
}

static const struct cmd_case path_cmd_cases[] = {
	{ "add /pod", 0, OOMHOOK_VERB_ADD, "/pod" },
	{ " add\t/kubepods.slice/\n", 0, OOMHOOK_VERB_ADD, "/kubepods.slice" },
	{ "del /a/b", 0, OOMHOOK_VERB_DEL, "/a/b" },
	{ "clear\n", 0, OOMHOOK_VERB_CLEAR },
	{ "add pod", -EINVAL },
	{ "add /a/../b", -EINVAL },
	{ "add /a,/b", -EINVAL },
	{ "add", -EINVAL },
	{ "set /pod", -EINVAL },
	{ "clear /pod", -EINVAL },
	{ "", -EINVAL },
};

static void path_cmd_table(struct kunit *test)
{
	char path[OOMHOOK_PATH_MAX];
	enum oomhook_verb verb;
	int i;

	for (i = 0; i < ARRAY_SIZE(path_cmd_cases); i++) {
		const struct cmd_case *c = &path_cmd_cases[i];

		KUNIT_EXPECT_EQ_MSG(test, oomhook_parse_path_cmd(c->in, &verb,
								 path,
								 sizeof(path)),
				    c->ret, "input \"%s\"", c->in);
		if (c->ret)
			continue;
		KUNIT_EXPECT_EQ(test, verb, c->verb);
		if (c->verb != OOMHOOK_VERB_CLEAR)
			KUNIT_EXPECT_STREQ(test, path, c->path);
	}
}

#define KP	"/kubepods.slice/"

static void patterns_parse(struct kunit *test)
{
	struct oomhook_patterns *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	static const char * const bad[] = {
		"a", "/", "/a//b", "/a/../b", "/a/./b", "/a,,/b", "/a b",
		"/a,relative", "/a\t/b", "", "\t\n", "none,/a", "/a,none",
	};
	static const char two[] = KP "kubepods-besteffort.slice,/batch-*/\n";
	static const char nine[] = "/1,/2,/3,/4,/5,/6,/7,/8,/9";
	int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, oomhook_parse_patterns("none\n", p), 0);
	KUNIT_EXPECT_EQ(test, p->nr, 0U);
	KUNIT_EXPECT_EQ(test, oomhook_parse_patterns(two, p), 0);
	KUNIT_EXPECT_EQ(test, p->nr, 2U);
	KUNIT_EXPECT_STREQ(test, p->pattern[0], KP "kubepods-besteffort.slice");
	KUNIT_EXPECT_EQ(test, p->depth[0], 2U);
	KUNIT_EXPECT_STREQ(test, p->pattern[1], "/batch-*");
	KUNIT_EXPECT_EQ(test, p->depth[1], 1U);
	/* Bad input leaves the list as it was. */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, oomhook_parse_patterns(bad[i], p),
				    -EINVAL, "input \"%s\"", bad[i]);
		KUNIT_EXPECT_EQ(test, p->nr, 2U);
	}
	KUNIT_EXPECT_EQ(test, oomhook_parse_patterns(nine, p), -E2BIG);
	KUNIT_EXPECT_EQ(test, p->nr, 2U);
	/* Eight is the most. */
	KUNIT_EXPECT_EQ(test, oomhook_parse_patterns(nine + 3, p), 0);
	KUNIT_EXPECT_EQ(test, p->nr, 8U);
}

static void patterns_match(struct kunit *test)
{
	struct oomhook_patterns *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	static const char pats[] = KP "kubepods-pod*.slice,/b?tch/[xy]";

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, oomhook_parse_patterns(pats, p), 0);
	KUNIT_EXPECT_TRUE(test,
			  oomhook_patterns_match(p, 2, KP "kubepods-pod12.slice"));
	/* Burstable and BestEffort pods sit one level lower. */
	KUNIT_EXPECT_FALSE(test,
			   oomhook_patterns_match(p, 2, KP "kubepods-burstable.slice"));
	KUNIT_EXPECT_FALSE(test,
			   oomhook_patterns_match(p, 3, KP "kubepods-b.slice/kubepods-pod1.slice"));
	/* A pattern matches at its own depth only. */
	KUNIT_EXPECT_FALSE(test,
			   oomhook_patterns_match(p, 3, KP "kubepods-pod1.slice/x"));
	KUNIT_EXPECT_TRUE(test, oomhook_patterns_match(p, 2, "/batch/x"));
	KUNIT_EXPECT_FALSE(test, oomhook_patterns_match(p, 2, "/batch/z"));
	p->nr = 0;
	KUNIT_EXPECT_FALSE(test, oomhook_patterns_match(p, 2, "/batch/x"));
}

static struct kunit_case oomhook_psi_spec_cases[] = {
	KUNIT_CASE(patterns_parse),
	KUNIT_CASE(patterns_match),
	KUNIT_CASE(psi_spec_table),
	KUNIT_CASE(psi_spec_long_path),
	KUNIT_CASE(psi_cmd_table),
	KUNIT_CASE(path_cmd_table),
	{}
};

static struct kunit_suite oomhook_psi_spec_suite = {
	.name = "oomhook_psi_spec",
	.test_cases = oomhook_psi_spec_cases,
};

kunit_test_suites(&oomhook_parse_suite, &oomhook_psi_spec_suite);
