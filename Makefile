# SPDX-License-Identifier: GPL-2.0
#
# hostcache: out-of-tree kernel module and its tools.
#
#   make               build hostcache.ko against KDIR and the tools
#   make install       install the module (modules_install), hcctl and hckeyd
#   make check         build a User-Mode Linux test kernel, run every test
#   make check T=NAME  run only the tests named (selftests, KUnit suites)
#   make flood         bounded_state.sh with a flood of 1,000,000 SYNs
#   make reload        lifecycle.sh with 100 unloads and loads under traffic
#   make fuzz          the Mobility Header fuzz test with 10,000,000 packets
#   make demo          boot the test kernel and show the module at work
#   make bench         benchmarks, on a kernel without debugging options:
#                      bench-cache (scale), bench-bu (Binding Updates),
#                      bench-rewrite (throughput, handover), bench-ah
#                      (key exchange, Binding Updates under AH) and
#                      bench-handover (stalls of the handover matrix,
#                      20 ms one way, against their goals)
#   make bench-simulation  50 mobile hosts with 250 connections, moving
#                      for five minutes (on demand; not part of bench)
#
# The module's sources are listed in Kbuild.

KDIR ?= /lib/modules/$(shell uname -r)/build

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools/hcctl
	$(MAKE) -C tools/hckeyd

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	$(MAKE) -C tools/hcctl install
	$(MAKE) -C tools/hckeyd install

check:
	scripts/run-tests.sh $(T)

flood:
	HC_FLOOD_PACKETS=1000000 HC_TEST_TIMEOUT=3600 scripts/run-tests.sh bounded_state

reload:
	HC_RELOADS=100 HC_TEST_TIMEOUT=1200 scripts/run-tests.sh lifecycle

fuzz:
	HC_MH_FUZZ_ITERATIONS=10000000 HC_TEST_TIMEOUT=1800 scripts/run-tests.sh hostcache_mh_fuzz

demo:
	scripts/demo.sh

bench: bench-cache bench-bu bench-rewrite bench-ah bench-handover

bench-cache:
	scripts/bench-cache.sh

bench-bu:
	scripts/bench-bu.sh

bench-rewrite:
	scripts/bench-rewrite.sh

bench-ah:
	scripts/bench-ah.sh

bench-handover:
	scripts/bench-handover.sh

bench-simulation:
	scripts/bench-simulation.sh

clean:
	$(MAKE) -C tools/hcctl clean
	$(MAKE) -C tools/hckeyd clean
	rm -rf test-results demo-results bench-results
	find . \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name '*.a' \) -type f -delete
	rm -f Module.symvers modules.order

.PHONY: all module tools install check flood reload fuzz demo bench bench-cache bench-bu bench-rewrite \
	bench-ah bench-handover bench-simulation clean
