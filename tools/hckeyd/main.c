// SPDX-License-Identifier: GPL-2.0
/*
 * hckeyd: the AH key daemon of the hostcache module. It keys transport-mode
 * AH SAs between two hosts running the module by an anonymous X25519
 * exchange, names them in the peer's foreign entry, and keeps them
 * following both hosts' addresses.
 *
 * One daemon per network namespace; one thread, one poll loop.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "hckeyd.h"

struct hckeyd_opts opts = {
	.port = HCKEYD_PORT,
	.reqid_base = HCKEYD_REQID_BASE,
	.max_peers = HCKEYD_MAX_PEERS,
};

struct hckeyd_counters counters;

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (opts.foreground) {
		fputs("hckeyd: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(prio, fmt, ap);
	}
	va_end(ap);
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* For log lines; a few may be used in one. */
const char *addr_str(const struct in6_addr *addr)
{
	static char bufs[4][INET6_ADDRSTRLEN];
	static int next;
	char *buf = bufs[next++ % 4];

	return inet_ntop(AF_INET6, addr, buf, INET6_ADDRSTRLEN);
}

/* An address SAs may be bound to: not link-local, loopback or multicast. */
bool addr_is_global(const struct in6_addr *addr)
{
	return !IN6_IS_ADDR_UNSPECIFIED(addr) && !IN6_IS_ADDR_LOOPBACK(addr) &&
	       !IN6_IS_ADDR_LINKLOCAL(addr) && !IN6_IS_ADDR_MULTICAST(addr) &&
	       !IN6_IS_ADDR_V4MAPPED(addr);
}

static void log_counters(void)
{
	log_msg(LOG_INFO,
		"counters: exchanges started %llu completed %llu failed %llu (peers found ordinary %llu) retried %llu yielded %llu; I1 answered %llu; I2 rejected %llu; R1/R2 rejected %llu; rate-limited %llu; refused for the peer limit %llu; re-keyed %llu; SAs added %llu removed %llu",
		counters.started, counters.completed, counters.failed,
		counters.ordinary, counters.retried, counters.yielded,
		counters.i1_answered, counters.i2_rejected, counters.r_rejected,
		counters.rate_limited, counters.peers_capped, counters.rekeyed,
		counters.sa_added, counters.sa_removed);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hckeyd [-f] [-v] [-p PORT] [-r BASE] [-m MAX] [-u USER]\n"
		"       hckeyd -h | --version\n"
		"\n"
		"  -f, --foreground   log to stderr instead of syslog\n"
		"  -v, --verbose      log each SA and policy added or removed\n"
		"  -p, --port PORT    UDP port of the exchange (default %u)\n"
		"  -r, --reqid BASE   first reqid of the daemon's range (default 0x%08x)\n"
		"  -m, --max-peers MAX  peers an exchange from them may add (default %u)\n"
		"  -u, --user USER    run as USER, keeping CAP_NET_ADMIN only\n"
		"  -h, --help         this text\n"
		"      --version      the version\n",
		HCKEYD_PORT, HCKEYD_REQID_BASE, HCKEYD_MAX_PEERS);
}

static unsigned long parse_num(const char *what, const char *arg,
			       unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || !*arg || *end || v > max) {
		fprintf(stderr, "hckeyd: invalid %s \"%s\"\n", what, arg);
		exit(2);
	}
	return v;
}

static void parse_opts(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "port", required_argument, NULL, 'p' },
		{ "reqid", required_argument, NULL, 'r' },
		{ "max-peers", required_argument, NULL, 'm' },
		{ "user", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	int c;

	while ((c = getopt_long(argc, argv, "fvp:r:m:u:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			opts.foreground = true;
			break;
		case 'v':
			opts.verbose = true;
			break;
		case 'p':
			opts.port = parse_num("port", optarg, 65535);
			if (!opts.port) {
				fprintf(stderr, "hckeyd: invalid port 0\n");
				exit(2);
			}
			break;
		case 'r':
			opts.reqid_base = parse_num("reqid base", optarg,
						    0xffffffffUL - HCKEYD_REQID_RANGE);
			if (!opts.reqid_base) {
				fprintf(stderr, "hckeyd: reqid 0 means none\n");
				exit(2);
			}
			break;
		case 'm':
			opts.max_peers = parse_num("peer limit", optarg,
						   HCKEYD_REQID_RANGE);
			break;
		case 'u':
			opts.user = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("hckeyd %s\n", HCKEYD_VERSION);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hckeyd: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		exit(2);
	}
}

static int signals_open(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* Return: true when the daemon is to stop. */
static bool signals_read(int fd)
{
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			return true;
		case SIGHUP:
			log_info("reading the state again");
			peers_recover();
			break;
		case SIGUSR1:
			log_counters();
			break;
		}
	}
	return false;
}

#define FIXED_FDS 3

int main(int argc, char **argv)
{
	struct pollfd pfd[FIXED_FDS + MAX_EXCHANGES];
	uint64_t now, next;
	int sigfd, n, i, timeout, status = 0;
	bool stop = false;

	/* First: recovery reads keys back from the kernel. */
	privs_undumpable();
	parse_opts(argc, argv);
	if (!opts.foreground)
		openlog("hckeyd", LOG_PID, LOG_DAEMON);

	if (crypto_init() || module_open() || exchange_open() || xfrm_open())
		return 1;
	sigfd = signals_open();
	if (sigfd < 0) {
		log_err("cannot handle signals: %s", strerror(errno));
		return 1;
	}
	if (peers_recover()) {
		log_err("cannot read the state of the module and of xfrm");
		return 1;
	}
	if (privs_drop(opts.user))
		return 1;
	log_info("hckeyd %s ready: port %u, reqids from 0x%08x", HCKEYD_VERSION,
		 opts.port, opts.reqid_base);

	while (!stop) {
		now = now_ms();
		next = exchange_timers(now);
		now = now_ms();
		timeout = next > now ? (next - now > 60000 ? 60000 : next - now) : 0;

		pfd[0] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = module_event_fd(), .events = POLLIN };
		pfd[2] = (struct pollfd){ .fd = exchange_server_fd(), .events = POLLIN };
		n = FIXED_FDS + exchange_pollfds(pfd + FIXED_FDS,
						 sizeof(pfd) / sizeof(pfd[0]) - FIXED_FDS);
		if (poll(pfd, n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			status = 1;
			break;
		}
		if (pfd[0].revents)
			stop = signals_read(sigfd);
		if (pfd[1].revents)
			module_read_events();
		if (pfd[2].revents)
			exchange_server_input();
		/* Handling one may end another: each is looked up again. */
		for (i = FIXED_FDS; i < n; i++)
			if (pfd[i].revents)
				exchange_client_input(pfd[i].fd);
	}
	log_info("stopping; the SAs stay installed");
	exchange_cleanup();
	peers_clear();
	return status;
}
