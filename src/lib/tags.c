/*
 * tags.c - the image tags of a variant (DESIGN section 8).
 *
 * A tag is computed from VERSION, the release tag git reports on the
 * commit, the commit's sha and the nightly date; it is followed by the
 * variant's suffix so that no two variants ever share one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define TAG_MAX 128
/* The Docker reference grammar limits a repository name to 255. */
#define REPO_MAX 255
#define SHORT_SHA 7

struct atlas_tags {
	char *repo;
	atlas_tag *items;
	size_t n_items;
	size_t cap;
	atlas_tags_kind kind;
};

/* A parsed SemVer version: pieces of text, which owns them all. */
typedef struct semver {
	char *text;		/* trimmed, as written */
	size_t major_len;	/* text[0..major_len) is X */
	size_t core_len;	/* text[0..core_len) is X.Y.Z */
	size_t minor_end;	/* text[0..minor_end) is X.Y */
	size_t tag_len;		/* text[0..tag_len) is X.Y.Z[-PRE], no build */
	bool prerelease;
} semver;

/* One printable form of a byte for a message; NUL is the string's end. */
static void
describe_char(char *out, size_t size, unsigned char c)
{
	if (c == '\0')
		snprintf(out, size, "the end");
	else if (c >= 0x21 && c < 0x7f)
		snprintf(out, size, "'%c'", c);
	else if (c == ' ')
		snprintf(out, size, "a space");
	else
		snprintf(out, size, "byte 0x%02x", c);
}

static bool
is_ident_char(int c)
{
	return is_ascii_alnum(c) || c == '-';
}

/* A numeric part of X.Y.Z starting at s; returns its length, 0 when bad. */
static size_t
numeric_len(const char *s)
{
	size_t n = 0;

	while (is_ascii_digit((unsigned char)s[n]))
		n++;
	return n;
}

/* Parse a dot-separated list of identifiers (pre-release or build) at
 * *pos; numeric identifiers may not have leading zeros when
 * numeric_rule is set.  Returns false with err filled. */
static bool
parse_identifiers(const char *text, size_t *pos, size_t offset,
    bool numeric_rule, const char *what, atlas_error *err)
{
	size_t i = *pos;

	for (;;) {
		size_t start = i;
		bool all_digits = true;
		while (is_ident_char((unsigned char)text[i])) {
			if (!is_ascii_digit((unsigned char)text[i]))
				all_digits = false;
			i++;
		}
		if (i == start) {
			atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
			    (unsigned)(offset + i + 1),
			    "empty %s identifier in version '%s'", what, text);
			return false;
		}
		if (numeric_rule && all_digits && text[start] == '0' &&
		    i - start > 1) {
			atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
			    (unsigned)(offset + start + 1),
			    "numeric %s identifier with a leading zero in version '%s'",
			    what, text);
			return false;
		}
		if (text[i] != '.')
			break;
		i++;
	}
	*pos = i;
	return true;
}

/* Parse SemVer 2.0.0 from the text of a VERSION file. */
static bool
semver_parse(const char *input, semver *v, atlas_error *err)
{
	size_t start = 0, end = strlen(input), i = 0;
	static const char *const part_names[] = { "major", "minor", "patch" };
	char what[24];

	memset(v, 0, sizeof *v);
	while (start < end && is_ascii_space((unsigned char)input[start]))
		start++;
	while (end > start && is_ascii_space((unsigned char)input[end - 1]))
		end--;
	v->text = atlas_strndup_internal(input + start, end - start);
	if (v->text == NULL) {
		atlas_error_set(err, ATLAS_ERR_NOMEM, "", 0, 0, "out of memory");
		return false;
	}
	const char *t = v->text;
	if (t[0] == '\0')
		goto fail_empty;
	if (t[0] == 'v' || t[0] == 'V') {
		atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1, (unsigned)(start + 1),
		    "version '%s' starts with '%c': VERSION holds the bare SemVer "
		    "version, only the git tag has the 'v'", t, t[0]);
		goto fail;
	}
	for (int part = 0; part < 3; part++) {
		size_t n = numeric_len(t + i);
		if (n == 0) {
			describe_char(what, sizeof what, (unsigned char)t[i]);
			atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
			    (unsigned)(start + i + 1),
			    "expected the %s number of version '%s' (X.Y.Z), found %s",
			    part_names[part], t, what);
			goto fail;
		}
		if (t[i] == '0' && n > 1) {
			atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
			    (unsigned)(start + i + 1),
			    "the %s number of version '%s' has a leading zero",
			    part_names[part], t);
			goto fail;
		}
		i += n;
		if (part == 0)
			v->major_len = i;
		if (part == 1)
			v->minor_end = i;
		if (part < 2) {
			if (t[i] != '.') {
				describe_char(what, sizeof what, (unsigned char)t[i]);
				atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
				    (unsigned)(start + i + 1),
				    "expected '.' after the %s number of version '%s' (X.Y.Z), found %s",
				    part_names[part], t, what);
				goto fail;
			}
			i++;
		}
	}
	v->core_len = i;
	if (t[i] == '-') {
		i++;
		v->prerelease = true;
		if (!parse_identifiers(t, &i, start, true, "pre-release", err))
			goto fail;
	}
	v->tag_len = i;
	if (t[i] == '+') {
		i++;
		if (!parse_identifiers(t, &i, start, false, "build metadata", err))
			goto fail;
	}
	if (t[i] != '\0') {
		describe_char(what, sizeof what, (unsigned char)t[i]);
		atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1, (unsigned)(start + i + 1),
		    "unexpected %s in version '%s': SemVer allows only "
		    "X.Y.Z[-PRERELEASE][+BUILD] with A-Z a-z 0-9 - .", what, t);
		goto fail;
	}
	return true;

fail_empty:
	atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1, 1, "the version is empty");
fail:
	free(v->text);
	v->text = NULL;
	return false;
}

char *
atlas_tags_version(const char *version_text, atlas_error *err)
{
	semver v;

	if (version_text == NULL) {
		atlas_error_set(err, ATLAS_ERR_INVALID, "", 0, 0, "no version given");
		return NULL;
	}
	if (!semver_parse(version_text, &v, err))
		return NULL;
	return v.text;
}

bool
atlas_tags_is_valid(const char *tag)
{
	size_t n = 0;

	if (tag == NULL || !(is_ascii_alnum((unsigned char)tag[0]) || tag[0] == '_'))
		return false;
	for (n = 1; tag[n] != '\0'; n++) {
		int c = (unsigned char)tag[n];
		if (!(is_ascii_alnum(c) || c == '_' || c == '.' || c == '-'))
			return false;
	}
	return n <= TAG_MAX;
}

/* Say why a tag is not valid, or return ATLAS_OK. */
static atlas_status
check_tag(const char *tag, atlas_error *err)
{
	size_t len = strlen(tag);
	char what[24];

	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)tag[i];
		bool ok = is_ascii_alnum(c) || c == '_' ||
		    (i > 0 && (c == '.' || c == '-'));
		if (!ok) {
			describe_char(what, sizeof what, (unsigned char)c);
			return atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
			    (unsigned)(i + 1),
			    "tag '%s' holds %s at column %zu; a tag is "
			    "[A-Za-z0-9_][A-Za-z0-9._-]{0,127}", tag, what, i + 1);
		}
	}
	if (len == 0)
		return atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1, 1,
		    "a tag cannot be empty");
	if (len > TAG_MAX)
		return atlas_error_set(err, ATLAS_ERR_INVALID, "", 1, TAG_MAX + 1,
		    "tag '%s' is %zu characters long; a tag holds at most %d",
		    tag, len, TAG_MAX);
	return ATLAS_OK;
}

/* A domain component: [a-z0-9]([a-z0-9-]*[a-z0-9])?, lower case already. */
static bool
is_domain_component(const char *s, size_t n)
{
	if (n == 0 || !is_ascii_alnum((unsigned char)s[0]) ||
	    !is_ascii_alnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_ascii_alnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

/* The column (1-based) of the first fault in a path component
 * [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*, or 0 when it is valid. */
static size_t
path_component_fault(const char *s, size_t n)
{
	size_t i = 0;

	for (;;) {
		size_t start = i;
		while (i < n && is_ascii_alnum((unsigned char)s[i]))
			i++;
		if (i == start)
			return i + 1;
		if (i == n)
			return 0;
		if (s[i] == '.')
			i++;
		else if (s[i] == '_')
			i += (i + 1 < n && s[i + 1] == '_') ? 2 : 1;
		else if (s[i] == '-')
			while (i < n && s[i] == '-')
				i++;
		else
			return i + 1;
	}
}

/* Lower the repository and check it against the Docker reference
 * grammar: [domain[:port]/]path, where path has no tag and no digest. */
static char *
repo_normalize(const char *repo, atlas_error *err)
{
	char *r, what[24];
	size_t len, first_end;

	if (repo == NULL || repo[0] == '\0') {
		atlas_error_set(err, ATLAS_ERR_INVALID, "", 0, 0,
		    "no repository given (like registry.example/owner/atlas)");
		return NULL;
	}
	len = strlen(repo);
	r = malloc(len + 1);
	if (r == NULL) {
		atlas_error_set(err, ATLAS_ERR_NOMEM, "", 0, 0, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i <= len; i++)
		r[i] = (char)ascii_lower((unsigned char)repo[i]);
	if (len > REPO_MAX) {
		atlas_error_set(err, ATLAS_ERR_INVALID, "", 1, REPO_MAX + 1,
		    "repository '%s' is %zu characters long; at most %d",
		    repo, len, REPO_MAX);
		goto fail;
	}
	if (strchr(r, '@') != NULL) {
		atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
		    (unsigned)(strchr(r, '@') - r + 1),
		    "repository '%s' holds a digest; give the repository alone", repo);
		goto fail;
	}
	first_end = strcspn(r, "/");
	size_t path_start = 0;
	/* As in Docker, the first component is a registry host when there
	 * is more than one component and it has a dot, a port or is
	 * localhost. */
	if (r[first_end] == '/' && (memchr(r, '.', first_end) != NULL ||
	    memchr(r, ':', first_end) != NULL ||
	    (first_end == 9 && strncmp(r, "localhost", 9) == 0))) {
		const char *colon = memchr(r, ':', first_end);
		size_t host_end = colon ? (size_t)(colon - r) : first_end;
		size_t i = 0;
		while (i <= host_end) {
			size_t n = strcspn(r + i, ".:/");
			if (i + n > host_end)
				n = host_end - i;
			if (!is_domain_component(r + i, n)) {
				atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
				    (unsigned)(i + 1),
				    "repository '%s': registry host '%.*s' is not a host name",
				    repo, (int)host_end, r);
				goto fail;
			}
			i += n + 1;
		}
		if (colon != NULL) {
			size_t digits = first_end - host_end - 1;
			if (digits == 0 || digits > 5 ||
			    numeric_len(colon + 1) != digits) {
				atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
				    (unsigned)(host_end + 2),
				    "repository '%s': the registry port '%.*s' is not a number",
				    repo, (int)digits, colon + 1);
				goto fail;
			}
		}
		path_start = first_end + 1;
	}
	for (size_t i = path_start; i <= len;) {
		size_t n = strcspn(r + i, "/");
		if (r[i + n] == '\0' && memchr(r + i, ':', n) != NULL) {
			atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
			    (unsigned)((char *)memchr(r + i, ':', n) - r + 1),
			    "repository '%s' holds a tag; give the repository alone", repo);
			goto fail;
		}
		size_t fault = path_component_fault(r + i, n);
		if (fault != 0) {
			if (i + fault - 1 >= len)
				snprintf(what, sizeof what, "an empty name");
			else
				describe_char(what, sizeof what,
				    (unsigned char)r[i + fault - 1]);
			atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
			    (unsigned)(i + fault),
			    "repository '%s' holds %s at column %zu; a path "
			    "component is [a-z0-9]+ joined by '.', '_', '__' or '-'",
			    repo, what, i + fault);
			goto fail;
		}
		i += n + 1;
	}
	return r;

fail:
	free(r);
	return NULL;
}

static atlas_status
sha_normalize(const char *sha, char *out, size_t out_size, atlas_error *err)
{
	size_t len = strlen(sha);
	char what[24];

	for (size_t i = 0; i < len; i++) {
		int c = ascii_lower((unsigned char)sha[i]);
		if (!is_ascii_digit(c) && !(c >= 'a' && c <= 'f')) {
			describe_char(what, sizeof what, (unsigned char)sha[i]);
			return atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
			    (unsigned)(i + 1),
			    "git sha '%s' holds %s; a sha is hexadecimal", sha, what);
		}
	}
	if (len != 40 && len != 64)
		return atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1, 1,
		    "git sha '%s' has %zu digits; a full commit sha has 40 "
		    "(or 64 in a SHA-256 repository)", sha, len);
	for (size_t i = 0; i < SHORT_SHA && i + 1 < out_size; i++)
		out[i] = (char)ascii_lower((unsigned char)sha[i]);
	out[SHORT_SHA] = '\0';
	return ATLAS_OK;
}

static atlas_status
check_nightly_date(const char *date, atlas_error *err)
{
	static const int days_in_month[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int year, month, day, last;

	if (strlen(date) != 8 || numeric_len(date) != 8)
		return atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1, 1,
		    "nightly date '%s' is not YYYYMMDD", date);
	year = (date[0] - '0') * 1000 + (date[1] - '0') * 100 +
	    (date[2] - '0') * 10 + (date[3] - '0');
	month = (date[4] - '0') * 10 + (date[5] - '0');
	day = (date[6] - '0') * 10 + (date[7] - '0');
	if (month < 1 || month > 12)
		return atlas_error_set(err, ATLAS_ERR_INVALID, "", 1, 5,
		    "nightly date '%s' has no month %02d", date, month);
	last = days_in_month[month - 1];
	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		last = 29;
	if (day < 1 || day > last)
		return atlas_error_set(err, ATLAS_ERR_INVALID, "", 1, 7,
		    "nightly date '%s' has no day %02d", date, day);
	return ATLAS_OK;
}

static bool
variant_equal(const atlas_variant *a, const atlas_variant *b)
{
	return a->tier == b->tier && a->materials == b->materials;
}

/* Append one tag unless this variant has it already; check it first. */
static atlas_status
tags_add(atlas_tags *tags, const char *tag, const atlas_variant *variant,
    atlas_error *err)
{
	atlas_status status = check_tag(tag, err);
	buf ref;

	if (status != ATLAS_OK)
		return status;
	for (size_t i = 0; i < tags->n_items; i++)
		if (strcmp(tags->items[i].tag, tag) == 0 &&
		    variant_equal(&tags->items[i].variant, variant))
			return ATLAS_OK;
	if (tags->n_items == tags->cap) {
		size_t cap = tags->cap ? tags->cap * 2 : 16;
		atlas_tag *items = realloc(tags->items, cap * sizeof *items);
		if (items == NULL)
			goto nomem;
		tags->items = items;
		tags->cap = cap;
	}
	buf_init(&ref);
	buf_printf(&ref, "%s:%s", tags->repo, tag);
	char *ref_text = buf_take(&ref);
	char *tag_text = atlas_strdup_internal(tag);
	if (ref_text == NULL || tag_text == NULL) {
		free(ref_text);
		free(tag_text);
		goto nomem;
	}
	tags->items[tags->n_items].tag = tag_text;
	tags->items[tags->n_items].ref = ref_text;
	tags->items[tags->n_items].variant = *variant;
	tags->n_items++;
	return ATLAS_OK;

nomem:
	return atlas_error_set(err, ATLAS_ERR_NOMEM, "", 0, 0, "out of memory");
}

/* Format a tag into b and add it; the buffer is reset for the next. */
static atlas_status
tags_add_buf(atlas_tags *tags, buf *b, const atlas_variant *variant,
    atlas_error *err)
{
	atlas_status status;

	if (b->failed) {
		buf_free(b);
		return atlas_error_set(err, ATLAS_ERR_NOMEM, "", 0, 0, "out of memory");
	}
	status = tags_add(tags, b->data ? b->data : "", variant, err);
	buf_free(b);
	buf_init(b);
	return status;
}

/* The checked facts of an input, shared by every variant. */
typedef struct build_facts {
	semver version;
	atlas_tags_kind kind;
	char short_sha[SHORT_SHA + 1];
	bool has_sha;
	atlas_variant default_variant;
} build_facts;

static atlas_status
facts_check(const atlas_tags_input *input, build_facts *facts, atlas_error *err)
{
	atlas_status status;
	const char *git_tag = input->git_tag;

	memset(facts, 0, sizeof *facts);
	facts->default_variant = input->default_variant ?
	    *input->default_variant : (atlas_variant){ 0, false };
	if (input->version == NULL)
		return atlas_error_set(err, ATLAS_ERR_INVALID, "", 0, 0,
		    "no version given (the text of VERSION)");
	if (!semver_parse(input->version, &facts->version, err))
		return err ? err->status : ATLAS_ERR_SYNTAX;
	if (input->git_sha != NULL && input->git_sha[0] != '\0') {
		status = sha_normalize(input->git_sha, facts->short_sha,
		    sizeof facts->short_sha, err);
		if (status != ATLAS_OK)
			goto fail;
		facts->has_sha = true;
	}
	if (input->nightly_date != NULL) {
		status = check_nightly_date(input->nightly_date, err);
		if (status != ATLAS_OK)
			goto fail;
	}
	if (git_tag != NULL && strncmp(git_tag, "refs/tags/", 10) == 0)
		git_tag += 10;
	if (git_tag != NULL && git_tag[0] != '\0') {
		if (git_tag[0] != 'v' || strcmp(git_tag + 1, facts->version.text) != 0) {
			status = atlas_error_set(err, ATLAS_ERR_CONFLICT, "", 0, 0,
			    "git tag '%s' does not match VERSION %s: the release tag "
			    "must be 'v%s'", git_tag, facts->version.text,
			    facts->version.text);
			goto fail;
		}
	}
	if (input->nightly_date != NULL)
		facts->kind = ATLAS_TAGS_NIGHTLY;
	else if (git_tag != NULL && git_tag[0] != '\0')
		facts->kind = facts->version.prerelease ?
		    ATLAS_TAGS_PRERELEASE : ATLAS_TAGS_RELEASE;
	else
		facts->kind = ATLAS_TAGS_DEV;
	return ATLAS_OK;

fail:
	free(facts->version.text);
	facts->version.text = NULL;
	return status;
}

/* Add the tags of one variant to tags, in the documented order. */
static atlas_status
add_variant_tags(atlas_tags *tags, const atlas_tags_input *input,
    const build_facts *facts, const atlas_variant *variant, atlas_error *err)
{
	const semver *v = &facts->version;
	char *suffix = atlas_variant_suffix(variant);
	atlas_status status = ATLAS_OK;
	buf b;

	if (suffix == NULL)
		return atlas_error_set(err, ATLAS_ERR_NOMEM, "", 0, 0, "out of memory");
	buf_init(&b);
#define ADD(...) do { \
		buf_printf(&b, __VA_ARGS__); \
		if ((status = tags_add_buf(tags, &b, variant, err)) != ATLAS_OK) \
			goto done; \
	} while (0)
	switch (facts->kind) {
	case ATLAS_TAGS_RELEASE:
		ADD("%.*s-%s", (int)v->core_len, v->text, suffix);
		ADD("%.*s-%s", (int)v->minor_end, v->text, suffix);
		/* 0.y.z promises nothing across minors, so no bare major. */
		if (!(v->major_len == 1 && v->text[0] == '0'))
			ADD("%.*s-%s", (int)v->major_len, v->text, suffix);
		ADD("%s", suffix);
		if (variant_equal(variant, &facts->default_variant)) {
			ADD("%.*s", (int)v->core_len, v->text);
			ADD("latest");
		}
		break;
	case ATLAS_TAGS_PRERELEASE:
		/* A pre-release moves no tag that a user may be following. */
		ADD("%.*s-%s", (int)v->tag_len, v->text, suffix);
		break;
	case ATLAS_TAGS_NIGHTLY:
	case ATLAS_TAGS_DEV:
		break;
	}
	if (facts->has_sha)
		ADD("sha-%s-%s", facts->short_sha, suffix);
	if (facts->kind == ATLAS_TAGS_NIGHTLY) {
		ADD("nightly-%s-%s", input->nightly_date, suffix);
		ADD("nightly-%s", suffix);
	} else if (facts->kind == ATLAS_TAGS_DEV) {
		ADD("dev-%s", suffix);
	}
	for (size_t i = 0; i < input->n_extra; i++) {
		if (input->extra[i] == NULL || input->extra[i][0] == '\0') {
			status = atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1, 1,
			    "an extra tag cannot be empty");
			goto done;
		}
		ADD("%s-%s", input->extra[i], suffix);
	}
#undef ADD
done:
	buf_free(&b);
	free(suffix);
	return status;
}

static atlas_tags *
tags_alloc(const atlas_tags_input *input, atlas_error *err)
{
	atlas_tags *tags = calloc(1, sizeof *tags);

	if (tags == NULL) {
		atlas_error_set(err, ATLAS_ERR_NOMEM, "", 0, 0, "out of memory");
		return NULL;
	}
	tags->repo = repo_normalize(input->repo, err);
	if (tags->repo == NULL) {
		free(tags);
		return NULL;
	}
	return tags;
}

static bool
variant_is_known(const atlas_variant *variant, atlas_error *err)
{
	if (variant->tier < 0 || variant->tier > 2) {
		atlas_error_set(err, ATLAS_ERR_INVALID, "", 0, 0,
		    "tier %d does not exist; valid tiers: 0, 1, 2", variant->tier);
		return false;
	}
	return true;
}

atlas_tags *
atlas_tags_new(const atlas_tags_input *input, atlas_error *err)
{
	build_facts facts;
	atlas_tags *tags;

	if (!variant_is_known(&input->variant, err))
		return NULL;
	tags = tags_alloc(input, err);
	if (tags == NULL)
		return NULL;
	if (facts_check(input, &facts, err) != ATLAS_OK) {
		atlas_tags_free(tags);
		return NULL;
	}
	tags->kind = facts.kind;
	if (add_variant_tags(tags, input, &facts, &input->variant, err) != ATLAS_OK) {
		atlas_tags_free(tags);
		tags = NULL;
	}
	free(facts.version.text);
	return tags;
}

atlas_tags *
atlas_tags_new_all(const atlas_tags_input *input, const atlas_variant *variants,
    size_t n_variants, atlas_error *err)
{
	static const atlas_variant every_variant[] = {
		{ 0, false }, { 0, true }, { 1, false },
		{ 1, true }, { 2, false }, { 2, true },
	};
	build_facts facts;
	atlas_tags *tags, *one = NULL;

	if (variants == NULL) {
		variants = every_variant;
		n_variants = sizeof every_variant / sizeof every_variant[0];
	}
	for (size_t v = 0; v < n_variants; v++)
		if (!variant_is_known(&variants[v], err))
			return NULL;
	tags = tags_alloc(input, err);
	if (tags == NULL)
		return NULL;
	if (facts_check(input, &facts, err) != ATLAS_OK) {
		atlas_tags_free(tags);
		return NULL;
	}
	tags->kind = facts.kind;
	for (size_t v = 0; v < n_variants; v++) {
		atlas_tags_input one_input = *input;
		one_input.variant = variants[v];
		one = tags_alloc(&one_input, err);
		if (one == NULL ||
		    add_variant_tags(one, &one_input, &facts, &variants[v], err) != ATLAS_OK)
			goto fail;
		/* A tag pushed for two variants would point at whichever was
		 * pushed last: refuse rather than race. */
		for (size_t i = 0; i < one->n_items; i++) {
			for (size_t j = 0; j < tags->n_items; j++) {
				if (strcmp(one->items[i].tag, tags->items[j].tag) != 0)
					continue;
				char *first = atlas_variant_suffix(&tags->items[j].variant);
				char *second = atlas_variant_suffix(&variants[v]);
				atlas_error_set(err, ATLAS_ERR_CONFLICT, "", 0, 0,
				    "tag '%s' would be shared by variants %s and %s",
				    one->items[i].tag, first ? first : "?",
				    second ? second : "?");
				free(first);
				free(second);
				goto fail;
			}
		}
		for (size_t i = 0; i < one->n_items; i++)
			if (tags_add(tags, one->items[i].tag, &variants[v], err) != ATLAS_OK)
				goto fail;
		atlas_tags_free(one);
		one = NULL;
	}
	free(facts.version.text);
	return tags;

fail:
	atlas_tags_free(one);
	atlas_tags_free(tags);
	free(facts.version.text);
	return NULL;
}

void
atlas_tags_free(atlas_tags *tags)
{
	if (tags == NULL)
		return;
	for (size_t i = 0; i < tags->n_items; i++) {
		free((char *)tags->items[i].tag);
		free((char *)tags->items[i].ref);
	}
	free(tags->items);
	free(tags->repo);
	free(tags);
}

size_t
atlas_tags_count(const atlas_tags *tags)
{
	return tags ? tags->n_items : 0;
}

const atlas_tag *
atlas_tags_get(const atlas_tags *tags, size_t i)
{
	return tags && i < tags->n_items ? &tags->items[i] : NULL;
}

const char *
atlas_tags_repo(const atlas_tags *tags)
{
	return tags->repo;
}

atlas_tags_kind
atlas_tags_get_kind(const atlas_tags *tags)
{
	return tags->kind;
}

const char *
atlas_tags_kind_name(atlas_tags_kind kind)
{
	switch (kind) {
	case ATLAS_TAGS_RELEASE:
		return "release";
	case ATLAS_TAGS_PRERELEASE:
		return "prerelease";
	case ATLAS_TAGS_NIGHTLY:
		return "nightly";
	case ATLAS_TAGS_DEV:
		return "dev";
	}
	return "unknown";
}
