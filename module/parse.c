// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers for everything an administrator can write: sysfs files and module
 * parameters share these, so both accept exactly the same input.
 *
 * They are pure functions of their input (no global state, no I/O), so the
 * KUnit suites can drive them with tables of valid and invalid strings.
 * Every parser either fills its output completely and returns 0, or returns
 * a negative errno and leaves the caller's state alone; callers apply the
 * result only on success.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/glob.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "internal.h"

/* Longest number we accept, as text. */
#define OOMHOOK_NUM_MAX		24
/* Longest policy chain, as text: names, commas and some blanks. */
#define OOMHOOK_CHAIN_TEXT_MAX	(OOMHOOK_CHAIN_MAX * (OOMHOOK_NAME_MAX + 4))
/* The four fields of "path:kind:threshold:window", right to left. */
#define OOMHOOK_PSI_FIELDS	4

static const char * const oomhook_psi_kinds[] = {
	[OOMHOOK_PSI_SOME] = "some",
	[OOMHOOK_PSI_FULL] = "full",
};

/*
 * Copy @buf to @out without leading and trailing white space.  Returns the
 * length, -EINVAL when nothing is left, -E2BIG when it does not fit.
 */
static int copy_stripped(const char *buf, char *out, size_t size)
{
	size_t len;

	buf = skip_spaces(buf);
	len = strlen(buf);
	while (len && isspace(buf[len - 1]))
		len--;
	if (!len)
		return -EINVAL;
	if (len >= size)
		return -E2BIG;
	memcpy(out, buf, len);
	out[len] = '\0';
	return len;
}

/**
 * oomhook_parse_cgroup_path() - validate and normalize a cgroup path
 * @buf: input, e.g. "/system.slice\n".
 * @out: receives the path; untouched on error.
 * @len: size of @out, at most %OOMHOOK_PATH_MAX is used.
 *
 * A cgroup path is absolute, relative to the root of the cgroup2 hierarchy,
 * without "." or ".." components, empty components, white space, control
 * characters or commas; a trailing slash is dropped.  Whether the cgroup
 * exists is not checked here (see oomhook_cgroup_exists()).
 *
 * Return: 0, -EINVAL for a malformed path, -ENAMETOOLONG for a long one.
 */
int oomhook_parse_cgroup_path(const char *buf, char *out, size_t len)
{
	char tmp[OOMHOOK_PATH_MAX];
	const char *comp;
	int n, i;

	n = copy_stripped(buf, tmp, min_t(size_t, len, sizeof(tmp)));
	if (n == -E2BIG)
		return -ENAMETOOLONG;
	if (n < 0)
		return n;
	if (tmp[0] != '/' || strstr(tmp, "//"))
		return -EINVAL;
	if (n > 1 && tmp[n - 1] == '/')
		tmp[--n] = '\0';

	for (i = 0; i < n; i++) {
		unsigned char c = tmp[i];

		if (iscntrl(c) || isspace(c) || c == ',')
			return -EINVAL;
	}

	/* Check each component: @comp points at the '/' before it. */
	for (comp = tmp; n > 1 && comp; comp = strchr(comp + 1, '/')) {
		const char *c = comp + 1;
		size_t clen = strchrnul(c, '/') - c;

		if (clen == 0 ||
		    (clen == 1 && c[0] == '.') ||
		    (clen == 2 && c[0] == '.' && c[1] == '.'))
			return -EINVAL;
	}

	strscpy(out, tmp, len);
	return 0;
}
EXPORT_SYMBOL_GPL(oomhook_parse_cgroup_path);

/**
 * oomhook_valid_policy_name() - whether @name can name a policy
 * @name: candidate name.
 *
 * Return: true for 1 to %OOMHOOK_NAME_MAX - 1 characters from [a-z0-9_],
 * other than "none".
 */
bool oomhook_valid_policy_name(const char *name)
{
	size_t len = strnlen(name, OOMHOOK_NAME_MAX);
	size_t i;

	if (!len || len >= OOMHOOK_NAME_MAX || !strcmp(name, "none"))
		return false;
	for (i = 0; i < len; i++) {
		if (!islower(name[i]) && !isdigit(name[i]) && name[i] != '_')
			return false;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_valid_policy_name);

/**
 * oomhook_parse_chain() - parse a policy chain such as "tmpfs,memcg"
 * @buf: input; "none" selects no policy.
 * @names: receives the names in order.
 *
 * Return: the number of policies (0 for "none"), or -EINVAL for a bad or
 * repeated name, -E2BIG for more than %OOMHOOK_CHAIN_MAX policies.
 */
int oomhook_parse_chain(const char *buf,
			char names[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX])
{
	char tmp[OOMHOOK_CHAIN_TEXT_MAX];
	char parsed[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX];
	char *cur, *name;
	int n = 0, i, ret;

	ret = copy_stripped(buf, tmp, sizeof(tmp));
	if (ret == -E2BIG)
		return -E2BIG;
	if (ret < 0)
		return ret;
	if (!strcmp(tmp, "none"))
		return 0;

	cur = tmp;
	while ((name = strsep(&cur, ",")) != NULL) {
		name = strim(name);
		if (!oomhook_valid_policy_name(name))
			return -EINVAL;
		if (n == OOMHOOK_CHAIN_MAX)
			return -E2BIG;
		for (i = 0; i < n; i++) {
			if (!strcmp(parsed[i], name))
				return -EINVAL;
		}
		strscpy(parsed[n++], name, OOMHOOK_NAME_MAX);
	}

	memcpy(names, parsed, sizeof(parsed));
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_parse_chain);

/**
 * oomhook_parse_knob() - parse a tunable's value
 * @buf: input, e.g. "1000\n".
 * @boolean: accept 0/1/y/n/yes/no/on/off/true/false instead of a number.
 * @min: smallest accepted number.
 * @max: largest accepted number.
 * @val: receives the value; untouched on error.
 *
 * Return: 0, -EINVAL for malformed input, -ERANGE outside [@min, @max].
 */
int oomhook_parse_knob(const char *buf, bool boolean, unsigned int min,
		       unsigned int max, unsigned int *val)
{
	static const char * const yes[] = { "1", "y", "yes", "on", "true" };
	static const char * const no[] = { "0", "n", "no", "off", "false" };
	char tmp[OOMHOOK_NUM_MAX];
	unsigned int v;
	int ret, i;

	ret = copy_stripped(buf, tmp, sizeof(tmp));
	if (ret < 0)
		return -EINVAL;

	if (boolean) {
		for (i = 0; i < ARRAY_SIZE(yes); i++) {
			if (!strcasecmp(tmp, yes[i])) {
				*val = 1;
				return 0;
			}
			if (!strcasecmp(tmp, no[i])) {
				*val = 0;
				return 0;
			}
		}
		return -EINVAL;
	}

	/* Decimal only: "010" is ten, "0x10" and "+1" are refused. */
	if (!isdigit(tmp[0]))
		return -EINVAL;
	ret = kstrtouint(tmp, 10, &v);
	if (ret)
		return ret;
	if (v < min || v > max)
		return -ERANGE;
	*val = v;
	return 0;
}
EXPORT_SYMBOL_GPL(oomhook_parse_knob);

const char *oomhook_psi_kind_name(enum oomhook_psi_kind kind)
{
	return oomhook_psi_kinds[kind];
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_psi_kind_name);

static int parse_psi_kind(const char *s, enum oomhook_psi_kind *kind)
{
	int i = match_string(oomhook_psi_kinds, ARRAY_SIZE(oomhook_psi_kinds),
			     s);

	if (i < 0)
		return -EINVAL;
	*kind = i;
	return 0;
}

static int parse_us(const char *s, u32 *val)
{
	if (!isdigit(s[0]))
		return -EINVAL;
	return kstrtou32(s, 10, val);
}

/*
 * Split "path:f1:...:fn" from the right into @nr fields; the path may
 * itself contain ':' (systemd unit names do).  @tmp is modified.
 */
static int split_right(char *tmp, char **field, int nr)
{
	int i;

	for (i = nr - 1; i > 0; i--) {
		char *colon = strrchr(tmp, ':');

		if (!colon)
			return -EINVAL;
		*colon = '\0';
		field[i] = colon + 1;
	}
	field[0] = tmp;
	return 0;
}

/*
 * Parse "path:kind" (@nr == 2) or "path:kind:threshold_us:window_us"
 * (@nr == 4) into @spec.
 */
static int parse_psi_fields(const char *buf, int nr,
			    struct oomhook_psi_spec *spec)
{
	struct oomhook_psi_spec s = { };
	char *field[OOMHOOK_PSI_FIELDS];
	char *tmp;
	int ret;

	tmp = kmalloc(OOMHOOK_PATH_MAX + OOMHOOK_TRIGGER_MAX, GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	ret = copy_stripped(buf, tmp, OOMHOOK_PATH_MAX + OOMHOOK_TRIGGER_MAX);
	if (ret == -E2BIG)
		ret = -ENAMETOOLONG;
	if (ret < 0)
		goto out;

	ret = split_right(tmp, field, nr);
	if (ret)
		goto out;
	ret = oomhook_parse_cgroup_path(field[0], s.path, sizeof(s.path));
	if (ret)
		goto out;
	ret = parse_psi_kind(field[1], &s.kind);
	if (ret)
		goto out;

	if (nr == OOMHOOK_PSI_FIELDS) {
		ret = parse_us(field[2], &s.threshold_us);
		if (!ret)
			ret = parse_us(field[3], &s.window_us);
		if (ret)
			goto out;
		if (s.window_us < OOMHOOK_PSI_WINDOW_MIN_US ||
		    s.window_us > OOMHOOK_PSI_WINDOW_MAX_US ||
		    !s.threshold_us || s.threshold_us > s.window_us) {
			ret = -ERANGE;
			goto out;
		}
	}
	*spec = s;
out:
	kfree(tmp);
	return ret;
}

/**
 * oomhook_parse_psi_spec() - parse "path:kind:threshold_us:window_us"
 * @buf: input, e.g. "/:some:150000:1000000".
 * @spec: receives the trigger; untouched on error.
 *
 * The window must be 500 ms to 10 s and the threshold at most the window,
 * as PSI itself requires.
 *
 * Return: 0, -EINVAL for malformed input, -ERANGE for a bad window or
 * threshold, -ENAMETOOLONG for a long path, -ENOMEM.
 */
int oomhook_parse_psi_spec(const char *buf, struct oomhook_psi_spec *spec)
{
	return parse_psi_fields(buf, OOMHOOK_PSI_FIELDS, spec);
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_parse_psi_spec);

/*
 * The verb of a command: "add " or "del " (@buf is moved past it), or
 * "clear" alone.  Return: 0 or -EINVAL.
 */
static int parse_verb(const char **buf, enum oomhook_verb *verb)
{
	const char *s = skip_spaces(*buf);

	if (str_has_prefix(s, "add") && isspace(s[3]))
		*verb = OOMHOOK_VERB_ADD;
	else if (str_has_prefix(s, "del") && isspace(s[3]))
		*verb = OOMHOOK_VERB_DEL;
	else if (sysfs_streq(s, "clear"))
		*verb = OOMHOOK_VERB_CLEAR;
	else
		return -EINVAL;
	*buf = s + 3;
	return 0;
}

/**
 * oomhook_parse_psi_cmd() - parse a write to the psi_triggers file
 * @buf: "add <path:kind:threshold_us:window_us>", "del <path:kind>" or
 *	"clear".
 * @verb: receives the command.
 * @spec: receives the trigger (add) or its key (del).
 *
 * Return: 0 or a negative errno as for oomhook_parse_psi_spec().
 */
int oomhook_parse_psi_cmd(const char *buf, enum oomhook_verb *verb,
			  struct oomhook_psi_spec *spec)
{
	int ret = parse_verb(&buf, verb);

	if (ret || *verb == OOMHOOK_VERB_CLEAR)
		return ret;
	return parse_psi_fields(buf, *verb == OOMHOOK_VERB_ADD ?
				OOMHOOK_PSI_FIELDS : 2, spec);
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_parse_psi_cmd);

/**
 * oomhook_parse_path_cmd() - parse "add <cgroup>", "del <cgroup>" or "clear"
 * @buf: the command.
 * @verb: receives the command.
 * @path: receives the cgroup path (add, del), normalized as by
 *	oomhook_parse_cgroup_path().
 * @len: size of @path.
 *
 * Return: 0, -EINVAL for malformed input, -ENAMETOOLONG for a long path.
 */
int oomhook_parse_path_cmd(const char *buf, enum oomhook_verb *verb,
			   char *path, size_t len)
{
	int ret = parse_verb(&buf, verb);

	if (ret || *verb == OOMHOOK_VERB_CLEAR)
		return ret;
	return oomhook_parse_cgroup_path(buf, path, len);
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_parse_path_cmd);

/**
 * oomhook_parse_patterns() - parse a list of cgroup path patterns
 * @buf: comma-separated patterns, e.g.
 *	"/kubepods.slice/kubepods-besteffort.slice,/batch-*.slice"; "none"
 *	for none.
 * @p: receives the list; untouched on error.
 *
 * Each pattern is a cgroup path (absolute, no empty, "." or ".."
 * component, no white space or control character) whose components may
 * hold glob_match() wildcards ("*", "?", "[...]").  At most
 * %OOMHOOK_PATTERNS_MAX.
 *
 * Return: 0, -EINVAL for a malformed pattern, -ENAMETOOLONG, -E2BIG for
 * too many, -ENOMEM.
 */
int oomhook_parse_patterns(const char *buf, struct oomhook_patterns *p)
{
	struct oomhook_patterns *tmp;
	char *copy, *cur, *item;
	int ret = 0;

	copy = kstrdup(buf, GFP_KERNEL);
	tmp = kzalloc(sizeof(*tmp), GFP_KERNEL);
	if (!copy || !tmp) {
		ret = -ENOMEM;
		goto out;
	}
	cur = strim(copy);
	if (!*cur) {
		ret = -EINVAL;
		goto out;
	}
	if (!strcmp(cur, "none"))
		cur += strlen(cur);
	while (*cur && (item = strsep(&cur, ",")) != NULL) {
		char *pat;

		if (tmp->nr == OOMHOOK_PATTERNS_MAX) {
			ret = -E2BIG;
			break;
		}
		pat = tmp->pattern[tmp->nr];
		ret = oomhook_parse_cgroup_path(item, pat, OOMHOOK_PATH_MAX);
		if (!ret && !strcmp(pat, "/"))
			ret = -EINVAL;
		if (ret)
			break;
		/* One component per '/': "/a/b" is at level 2. */
		for (; *pat; pat++)
			tmp->depth[tmp->nr] += *pat == '/';
		tmp->nr++;
		if (!cur)
			break;
	}
	if (!ret)
		*p = *tmp;
out:
	kfree(tmp);
	kfree(copy);
	return ret;
}
EXPORT_SYMBOL_GPL(oomhook_parse_patterns);

/**
 * oomhook_patterns_match() - whether a cgroup matches one of the patterns
 * @p: the patterns.
 * @depth: the cgroup's level (the root is 0).
 * @path: its path.
 *
 * Safe in the OOM notifier.
 *
 * Return: true if a pattern of that depth matches @path.
 */
bool oomhook_patterns_match(const struct oomhook_patterns *p,
			    unsigned int depth, const char *path)
{
	unsigned int i;

	for (i = 0; i < p->nr; i++) {
		if (p->depth[i] == depth && glob_match(p->pattern[i], path))
			return true;
	}
	return false;
}
EXPORT_SYMBOL_GPL(oomhook_patterns_match);

/**
 * oomhook_patterns_show() - the patterns, as parsed, for a sysfs read
 * @buf: a sysfs page.
 * @p: the patterns.
 *
 * Return: bytes written: the comma-separated list, or "none", and a
 * newline.
 */
ssize_t oomhook_patterns_show(char *buf, const struct oomhook_patterns *p)
{
	ssize_t len = 0;
	unsigned int i;

	if (!p->nr)
		return sysfs_emit(buf, "none\n");
	for (i = 0; i < p->nr; i++)
		len += sysfs_emit_at(buf, len, "%s%s", i ? "," : "",
				     p->pattern[i]);
	return len + sysfs_emit_at(buf, len, "\n");
}
EXPORT_SYMBOL_GPL(oomhook_patterns_show);
