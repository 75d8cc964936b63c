# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of the project's modules, and the entry points of the
# README: `make run` (the main job) and `make check` (every test).
#
#   make [KVER=6.12|6.12-rt|6.1|debug|<release>] [KDIR=<kernel build dir>]
#   make all-kernels        build for the 6.12, 6.1 and 6.12-rt lines
#   make install            modules_install + depmod for KVER [INSTALL_MOD_PATH=]
#   make run [CHIP=ad102]   boot a VM with an emulated GPU and use the driver
#   make check              every check and test; exits non-zero on failure
#   make bench [SMOKE=1]    nova-drm against its C twin, in instructions per call
#   make clean

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KVER ?= 6.12
# The line as given (6.12, 6.1, debug), for the tools that boot it.
KLINE := $(KVER)

# Resolve a kernel line to an installed release.
newest = $(lastword $(sort $(patsubst /usr/src/linux-headers-%,%,$(wildcard /usr/src/linux-headers-$(1)))))
ifeq ($(KVER),6.12)
override KVER := $(call newest,6.12.*+deb12-amd64)
else ifeq ($(KVER),6.12-rt)
override KVER := $(call newest,6.12.*+deb12-rt-amd64)
else ifeq ($(KVER),6.1)
override KVER := $(call newest,6.1.0-*-amd64)
else ifeq ($(KVER),debug)
DEBUG_DIR := $(shell $(TOP)/tools/debug-kernel/build.sh --dir 2>/dev/null)
override KVER := $(if $(DEBUG_DIR),$(shell cat $(DEBUG_DIR)/kernelrelease),debug-kernel-not-built)
KDIR ?= $(DEBUG_DIR)/build
endif
KDIR ?= /lib/modules/$(KVER)/build
BUILD := $(TOP)/build/$(KVER)

# The compiler the kernel was built with; kbuild's C and our C++ rule use it.
KCC := $(shell sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' $(KDIR)/.config 2>/dev/null)
# pahole cannot encode g++'s DWARF into BTF; leave C++ compile units out
# of the module's BTF (they keep their debug info), and its complaints
# about the C++ tags it reads before leaving them out, out of the log.
KBUILD_ARGS := -C $(KDIR) M=$(BUILD) $(if $(KCC),CC=$(KCC)) $(if $(V),V=$(V)) \
	MODULE_PAHOLE_FLAGS=--lang_exclude=rust,c++14 PAHOLE=$(TOP)/tools/pahole-quiet

SOURCES := Kbuild rt include src uapi tests/smoke tests/detectors tests/build tests/kunit \
	tests/vbios tests/vbios-fuzz tests/firmware tests/fw-fuzz

.PHONY: all modules all-kernels install clean check run deps print-kver forget-test-modules FORCE \
	bench bench-modules

all: modules

print-kver:
	@echo $(KVER)

deps:
	@$(TOP)/tools/deps.sh

# Each kernel gets its own copy of the sources, so objects of two kernels
# never mix; rsync keeps modification times, so kbuild's dependency tracking
# stays exact (touching a header rebuilds exactly its users).
$(BUILD)/.synced: FORCE
	@test -d "$(KDIR)" || { echo "no kernel build dir $(KDIR) (KVER=$(KVER))"; exit 1; }
	@mkdir -p $(BUILD)
	@cd $(TOP) && rsync -a --delete --relative \
		--filter='protect *.o' --filter='protect *.ko' --filter='protect .*.cmd' \
		--filter='protect *.mod' --filter='protect *.mod.c' --filter='protect *.s' \
		--filter='protect generated/' --filter='protect Module.symvers' \
		--filter='protect modules.order' --filter='protect .tmp_*' \
		--filter='protect *.d' --filter='protect .synced' \
		$(wildcard $(SOURCES)) $(BUILD)/
	@touch $@

modules: deps $(BUILD)/.synced
	@$(MAKE) $(KBUILD_ARGS) $(if $(KCXX_BUILD_TEST),KCXX_BUILD_TEST=$(KCXX_BUILD_TEST)) \
		$(if $(KCXX_PLANT_BUGS),KCXX_PLANT_BUGS=1) modules || \
		{ $(TOP)/tools/check-symbols.sh $(BUILD) $(KDIR); exit 1; }
	@$(TOP)/tools/check-symbols.sh $(BUILD) $(KDIR)

# What only the build-system and detector tests build (KCXX_BUILD_TEST,
# KCXX_PLANT_BUGS): removed after them, so that no test module is left
# beside KVER's modules for the next VM to pick up.
forget-test-modules:
	@rm -f $(BUILD)/kcxx_buildtest.* $(BUILD)/kcxx_uaf.* \
		$(BUILD)/tests/build/*.o $(BUILD)/tests/detectors/*.o

all-kernels:
	$(MAKE) KVER=6.12
	$(MAKE) KVER=6.1
	$(MAKE) KVER=6.12-rt

# INSTALL_MOD_PATH installs into a staging root instead of the system.
install: modules
	$(MAKE) $(KBUILD_ARGS) $(if $(INSTALL_MOD_PATH),INSTALL_MOD_PATH=$(INSTALL_MOD_PATH)) modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KVER)

clean:
	rm -rf $(TOP)/build

check: deps
	@$(TOP)/tools/check

# nova-drm's C twin (tests/bench/), test-only: built into its own directory,
# so that `make install` and a VM's default modules never include it.
TWIN := $(BUILD)/bench
bench-modules: modules
	@mkdir -p $(TWIN)
	@rsync -a $(TOP)/tests/bench/Kbuild $(TOP)/tests/bench/nova_twin.c $(TOP)/uapi $(TWIN)/
	@$(MAKE) -C $(KDIR) M=$(TWIN) $(if $(KCC),CC=$(KCC)) $(if $(V),V=$(V)) modules

# Documentation/performance.rst
bench: deps
	@$(TOP)/tools/bench --kernel $(KLINE) $(if $(SMOKE),--smoke)

run: deps
	@$(TOP)/tools/run $(if $(CHIP),--chip $(CHIP)) $(if $(GPUS),--gpus $(GPUS))
