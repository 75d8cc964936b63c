# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of the project's modules, and the entry points of the
# README: `make run` (the main job) and `make check` (every test).
#
#   make [KVER=6.12|6.12-rt|6.1|7.3|debug|<release>] [KDIR=<kernel build dir>]
#   make all-kernels        build for the 6.12, 6.1, 6.12-rt and 7.3 lines
#   make install            modules_install + depmod for KVER [INSTALL_MOD_PATH=]
#   make run [CHIP=ad102]   boot a VM with a GPU model and use the driver
#   make check              every check and test; exits non-zero on failure
#   make bench [SMOKE=1]    nova-drm against its C twin, in instructions per call
#   make clean

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KVER ?= 6.12
# The line as given (6.12, 6.1, debug), for the tools that boot it.
KLINE := $(KVER)

# Resolve a kernel line to an installed release.
newest = $(lastword $(sort $(patsubst /usr/src/linux-headers-%,%,$(wildcard /usr/src/linux-headers-$(1)))))
# The 6.12 release installed whole, as tools/deps.sh keeps it and tools/vm boots it.
ifeq ($(KVER),6.12)
override KVER := $(shell $(TOP)/tools/k612-release)
else ifeq ($(KVER),6.12-rt)
override KVER := $(shell $(TOP)/tools/k612-release --rt)
else ifeq ($(KVER),6.1)
override KVER := $(call newest,6.1.0-*-amd64)
else ifeq ($(KVER),debug)
DEBUG_DIR := $(shell $(TOP)/tools/debug-kernel/build.sh --dir 2>/dev/null)
override KVER := $(if $(DEBUG_DIR),$(shell cat $(DEBUG_DIR)/kernelrelease),debug-kernel-not-built)
KDIR ?= $(DEBUG_DIR)/build
else ifeq ($(KVER),7.3)
# Debian's 7.3 (trixie-backports), built with gcc-14: the headers of a
# system that has them installed, else those of the trixie build root
# (tools/trixie-root/build.sh, made if missing), kbuild then running
# inside it (KRUN), where KDIR is the headers' path.
ifneq ($(call newest,7.3.*+deb13-amd64),)
override KVER := $(call newest,7.3.*+deb13-amd64)
else
TRIXIE_DIR := $(lastword $(shell $(TOP)/tools/trixie-root/build.sh))
ifneq ($(TRIXIE_DIR),)
override KVER := $(shell cat $(TRIXIE_DIR)/kernelrelease)
KROOT := $(TRIXIE_DIR)/root
KDIR ?= /usr/src/linux-headers-$(KVER)
KRUN := $(TOP)/tools/trixie-root/run $(KROOT)
else
override KVER := trixie-root-not-built
endif
endif
endif
KDIR ?= /lib/modules/$(KVER)/build
# KDIR as the host sees it (KROOT is empty but for a build root).
HOST_KDIR := $(KROOT)$(KDIR)
BUILD := $(TOP)/build/$(KVER)

# The kernel's own nova (drivers/gpu/nova-core, drivers/gpu/drm/nova): its
# modules have our modules' names. Built in, it always wins and ours cannot
# load, so nothing is built; as modules, ours are installed under updates/,
# which depmod ranks first, so modprobe loads ours (Documentation/kernel-7.rst).
INTREE_NOVA := $(shell grep -E '^CONFIG_(NOVA_CORE|DRM_NOVA)=[ym]' $(HOST_KDIR)/.config 2>/dev/null)
INTREE_NOVA_BUILTIN := $(filter %=y,$(INTREE_NOVA))

# The compiler the kernel was built with; kbuild's C and our C++ rule use it.
KCC := $(shell sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' $(HOST_KDIR)/.config 2>/dev/null)
# pahole cannot encode g++'s DWARF into BTF; leave C++ compile units out
# of the module's BTF (they keep their debug info), and its complaints
# about the C++ tags it reads before leaving them out, out of the log.
KBUILD_ARGS := -C $(KDIR) M=$(BUILD) $(if $(KCC),CC=$(KCC)) $(if $(V),V=$(V)) \
	MODULE_PAHOLE_FLAGS=--lang_exclude=rust,c++14 PAHOLE=$(TOP)/tools/pahole-quiet

SOURCES := Kbuild rt include src uapi tests/smoke tests/detectors tests/build tests/kunit \
	tests/vbios tests/vbios-fuzz tests/foreign-aux tests/firmware tests/fw-fuzz

.PHONY: all modules all-kernels install clean check run deps print-kver print-kdir \
	forget-test-modules FORCE \
	bench bench-modules

all: modules

print-kver:
	@echo $(KVER)

# The kernel build dir as the host sees it.
print-kdir:
	@echo $(HOST_KDIR)

deps:
	@$(TOP)/tools/deps.sh

# Each kernel gets its own copy of the sources, so objects of two kernels
# never mix; rsync keeps modification times, so kbuild's dependency tracking
# stays exact (touching a header rebuilds exactly its users).
$(BUILD)/.synced: FORCE
	@test -d "$(HOST_KDIR)" || { echo "no kernel build dir $(HOST_KDIR) (KVER=$(KVER))"; exit 1; }
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
	@test -z "$(INTREE_NOVA_BUILTIN)" || { echo "$(KVER) has the kernel's nova built in" \
		"($(INTREE_NOVA_BUILTIN)): its nova_core and nova_drm always bind the GPU and" \
		"modules of the same names cannot load; nothing to build"; exit 1; }
	@$(KRUN) $(MAKE) $(KBUILD_ARGS) $(if $(KCXX_BUILD_TEST),KCXX_BUILD_TEST=$(KCXX_BUILD_TEST)) \
		$(if $(KCXX_PLANT_BUGS),KCXX_PLANT_BUGS=1) modules || \
		{ $(TOP)/tools/check-symbols.sh $(BUILD) $(HOST_KDIR); exit 1; }
	@$(TOP)/tools/check-symbols.sh $(BUILD) $(HOST_KDIR)

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
	$(MAKE) KVER=7.3

# The test modules built beside the drivers (the runtime's smoke test, the
# foreign auxiliary device) are not installed.
TEST_MODULES := kcxx_smoke nova_foreign_aux

# INSTALL_MOD_PATH installs into a staging root instead of the system.
# A kernel built in the trixie root is not this system's: staging only.
install: modules
	@test -z "$(KROOT)" -o -n "$(INSTALL_MOD_PATH)" || { echo "$(KVER) is built in the" \
		"trixie build root, not installed on this system: stage it with INSTALL_MOD_PATH=DIR"; exit 1; }
	$(KRUN) $(MAKE) $(KBUILD_ARGS) $(if $(INSTALL_MOD_PATH),INSTALL_MOD_PATH=$(INSTALL_MOD_PATH)) \
		INSTALL_MOD_DIR=updates modules_install
	rm -f $(foreach m,$(TEST_MODULES),$(INSTALL_MOD_PATH)/lib/modules/$(KVER)/updates/$(m).ko*)
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KVER)
	@test -z "$(INTREE_NOVA)" || echo "note: $(KVER) ships the kernel's nova ($(INTREE_NOVA))" \
		"as modules of the same names; modprobe now loads these (updates/, \"(C++)\" in" \
		"modinfo's description); removing them and running depmod -a $(KVER) brings the kernel's back"

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
	@$(KRUN) $(MAKE) -C $(KDIR) M=$(TWIN) $(if $(KCC),CC=$(KCC)) $(if $(V),V=$(V)) modules

# Documentation/performance.rst
bench: deps
	@$(TOP)/tools/bench --kernel $(KLINE) $(if $(SMOKE),--smoke)

run: deps
	@$(TOP)/tools/run --kernel $(KLINE) $(if $(CHIP),--chip $(CHIP)) $(if $(GPUS),--gpus $(GPUS))
