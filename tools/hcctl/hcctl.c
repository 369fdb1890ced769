// SPDX-License-Identifier: GPL-2.0
/*
 * hcctl: show and change the Host Cache of the hostcache module.
 *
 *	hcctl [OPTIONS] OBJECT [COMMAND [ARGUMENTS]]
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hcctl.h"

struct hcctl_opts opts;

static void print_help(FILE *out)
{
	fputs("Usage: hcctl [OPTIONS] OBJECT [COMMAND [ARGUMENTS]]\n"
	      "\n"
	      "OBJECT and COMMAND:\n"
	      "  foreign [show] [ID | ADDR]         show foreign entries (peers' addresses)\n"
	      "  foreign add ADDR [AOPTS] [ADDR [AOPTS]]... [trusted] [homeless]\n"
	      "              [ah-reqid N]           create an entry\n"
	      "  foreign del ID | ADDR              remove an entry\n"
	      "  foreign set ID | ADDR FLAG...      FLAG: trusted, untrusted, homeless, nohomeless,\n"
	      "                                     ordinary, noordinary,\n"
	      "                                     ah-reqid N (the peer's AH SAs; 0: none)\n"
	      "  foreign addr add ID | ADDR ADDR [AOPTS] [ADDR [AOPTS]]...\n"
	      "  foreign addr del ID | ADDR ADDR    add or remove addresses of an entry\n"
	      "  local [show] [ID]                  show local entries (this host's address sets)\n"
	      "  local add ADDR...                  create a local entry (a host personality)\n"
	      "  local del ID                       remove one\n"
	      "  local addr { add | del } ID ADDR   change one; the default, 1, follows the host\n"
	      "  param [show]                       show the namespace's parameters\n"
	      "  param set NAME VALUE [NAME VALUE]  change parameters (all or none)\n"
	      "  stats [show]                       show the cache's counters\n"
	      "  monitor                            print changes as they happen\n"
	      "  version                            show the tool's and the module's version\n"
	      "  help                               show this text\n"
	      "\n"
	      "AOPTS (address options): lifetime SECONDS (absolute, as from a Binding\n"
	      "  Update; default: expires DEFAULT-LIFETIME after its last use), bid BID,\n"
	      "  verified\n"
	      "\n"
	      "Parameters:\n"
	      "  enabled                on | off: the module works in the namespace\n"
	      "  default-lifetime       idle lifetime of an address not learned from a BU (s)\n"
	      "  max-expired-lifetime   how long an expired address is kept (s)\n"
	      "  max-entries            foreign entries the namespace may hold\n"
	      "  max-addrs              addresses one foreign entry may hold\n"
	      "  ordinary-hold          how long a peer found not homeless is left alone (s)\n"
	      "  binding-lifetime       lifetime this host's Binding Updates ask for (s)\n"
	      "  max-binding-lifetime   the most lifetime a peer's Binding Update gets (s)\n"
	      "  max-flows              flows rewritten at most (a sixteenth per peer)\n"
	      "  accept-unauthenticated on | off: Binding Updates without AH count (tests)\n"
	      "\n"
	      "OPTIONS:\n"
	      "  -j, --json             print JSON\n"
	      "  -p, --pretty           indent JSON output\n"
	      "  -s, --stats            with \"foreign show\", add the cache's counters\n"
	      "  -n, --netns NAME       act in network namespace NAME (as 'ip -n')\n"
	      "  -V, --version          print the tool's version\n"
	      "  -h, --help             show this text\n"
	      "\n"
	      "Objects, commands and parameter names may be abbreviated.\n"
	      "See hcctl(8).\n", out);
}

static int do_help(int argc, char **argv)
{
	print_help(stdout);
	return 0;
}

static const struct object {
	const char *name;
	int (*run)(int argc, char **argv);
	bool needs_module;
} objects[] = {
	{ "foreign", do_foreign, true },
	{ "local", do_local, true },
	{ "param", do_param, true },
	{ "stats", do_stats, true },
	{ "monitor", do_monitor, true },
	{ "version", do_version, true },
	{ "help", do_help, false },
};

int main(int argc, char **argv)
{
	static const struct option long_options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 's' },
		{ "netns", required_argument, NULL, 'n' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const struct object *obj = NULL;
	size_t i;
	int c, ret;

	/* '+': options end at the object, as in ip(8). */
	while ((c = getopt_long(argc, argv, "+jpsn:Vh", long_options, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'p':
			opts.pretty = true;
			break;
		case 's':
			opts.stats = true;
			break;
		case 'n':
			opts.netns = optarg;
			break;
		case 'V':
			printf("hcctl %s\n", HCCTL_VERSION);
			return 0;
		case 'h':
			print_help(stdout);
			return 0;
		default:
			fputs("Try 'hcctl help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	if (argc == 0) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (matches(argv[0], objects[i].name)) {
			obj = &objects[i];
			break;
		}
	}
	if (!obj)
		usage_error("unknown object \"%s\"", argv[0]);

	if (obj->needs_module && genl_open())
		return 1;
	ret = obj->run(argc - 1, argv + 1);
	if (obj->needs_module)
		genl_close();
	return ret;
}
