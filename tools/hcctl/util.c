// SPDX-License-Identifier: GPL-2.0
/*
 * hcctl: small helpers for argument parsing and output.
 */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hcctl.h"

/* Like ip(8): a non-empty prefix of a keyword names it. */
bool matches(const char *arg, const char *name)
{
	size_t len = strlen(arg);

	return len && len <= strlen(name) && !strncmp(arg, name, len);
}

void error(const char *fmt, ...)
{
	va_list ap;

	fputs("hcctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("hcctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'hcctl help'.\n", stderr);
	exit(EXIT_USAGE);
}

int parse_u32(const char *what, const char *arg, uint32_t *value)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (*arg < '0' || *arg > '9')
		goto bad;
	v = strtoull(arg, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		goto bad;
	*value = v;
	return 0;
bad:
	usage_error("invalid %s \"%s\": expected a number from 0 to %u",
		    what, arg, UINT32_MAX);
	return -EINVAL;
}

void json_print(struct json_object *obj)
{
	int flags = opts.pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN;

	puts(json_object_to_json_string_ext(obj, flags | JSON_C_TO_STRING_NOSLASHESCAPE));
}
