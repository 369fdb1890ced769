/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hcctl: shared declarations.
 */
#ifndef HCCTL_H
#define HCCTL_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#define HCCTL_VERSION "0.1.0"

/* Exit codes: 0 success, 1 the request failed, 2 bad command line. */
#define EXIT_USAGE 2

struct hcctl_opts {
	bool json;
	bool pretty;
	bool stats;
	const char *netns;
};

extern struct hcctl_opts opts;

/* genl.c: one socket to the hostcache family per run. */
int genl_open(void);
void genl_close(void);
int genl_reopen(void);
struct nl_msg *genl_msg(uint8_t cmd, int flags);
typedef int (*genl_parse_fn)(struct nlattr **tb, void *arg);
int genl_transact(struct nl_msg *msg, genl_parse_fn parse, void *arg);
int genl_dump(uint8_t cmd, genl_parse_fn parse, struct json_object *entries);
void entries_add(struct json_object *entries, struct json_object *entry);
typedef int (*genl_event_fn)(uint8_t cmd, struct nlattr **tb);
int genl_listen(genl_event_fn fn);

/* util.c */
bool matches(const char *arg, const char *name);
void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_u32(const char *what, const char *arg, uint32_t *value);
void json_print(struct json_object *obj);

/* foreign.c: entries as JSON objects, and their text form. */
struct json_object *foreign_to_json(struct nlattr *nest);
void foreign_print(struct json_object *entry);

/* stats.c */
struct json_object *stats_get(void);
void stats_print(struct json_object *obj);

/* local.c */
struct json_object *local_to_json(struct nlattr *nest);
void local_print(struct json_object *entry);

/* Objects: each takes the arguments after its name. */
int do_version(int argc, char **argv);
int do_param(int argc, char **argv);
int do_foreign(int argc, char **argv);
int do_local(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_monitor(int argc, char **argv);

#endif /* HCCTL_H */
