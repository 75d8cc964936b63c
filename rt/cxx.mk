# SPDX-License-Identifier: GPL-2.0
#
# Kbuild rule for C++ objects.
#
# The flags are the kernel's own C flags (KBUILD_CPPFLAGS, KBUILD_CFLAGS and
# the sanitizer/profiling flags kbuild adds per object), so a kernel with other
# mitigations or another ABI gets them in its C++ objects too. Only flags that
# g++ rejects for C++ are removed; no kernel header path is passed, so C++ code
# cannot include a kernel header: it reaches the kernel through rt/bindings.

# g++ matching the compiler the kernel was built with (CONFIG_CC_VERSION_TEXT
# names it, e.g. "x86_64-linux-gnu-gcc-12 (Debian 12.2.0-14) 12.2.0").
KCXX_CC_NAME := $(firstword $(CONFIG_CC_VERSION_TEXT))
CXX := $(subst gcc,g++,$(KCXX_CC_NAME))

# Flags valid for C only; g++ warns about each of them.
cxx-c-only-flags := -std=% -Wstrict-prototypes -Wno-pointer-sign \
	-Wdeclaration-after-statement -Wimplicit-function-declaration \
	-Werror=implicit-function-declaration -Werror=implicit-int \
	-Werror=incompatible-pointer-types -Werror=strict-prototypes \
	-Wold-style-definition -Wmissing-prototypes -Wno-old-style-declaration \
	-Wmissing-parameter-type -Werror=designated-init -Wimplicit-int \
	-Wno-pointer-to-int-cast -Werror=int-conversion -Wpointer-sign \
	-Wno-declaration-after-statement -Wnested-externs \
	-Wno-override-init -Wbad-function-cast -Wold-style-declaration

# KASAN registers a compile unit's globals from a module constructor; C++
# objects have none (rt/check-cxx-object.sh refuses them), so their globals
# are not registered: heap and stack checks stay, global redzones go.
cxx-lang-flags := --param asan-globals=0 -std=gnu++20 -fno-exceptions -fno-rtti -fno-gnu-unique \
	-fno-threadsafe-statics -nostdinc++ -fcheck-new \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-Wno-missing-field-initializers -Wsuggest-override \
	-Wnon-virtual-dtor -Werror

# The kernel's uAPI headers are ABI definitions meant for C and C++ alike
# (user space includes them); C++ may see those, never the internal headers.
# Their annotations (__user, ...) come from the stand-in for
# <linux/compiler_types.h>, included first: uAPI headers that include it
# only for __KERNEL__ (7.x) would leave them undefined.
cxx-uapi-include := -I$(srctree)/arch/$(SRCARCH)/include/uapi \
	-I$(objtree)/arch/$(SRCARCH)/include/generated/uapi \
	-I$(srctree)/include/uapi -I$(objtree)/include/generated/uapi \
	-I$(srctree)/include/uapi/drm -I$(src)/rt/include/uapi-compat \
	-include $(src)/rt/include/uapi-compat/linux/compiler_types.h

cxx_flags = -Wp,-MMD,$(depfile) -nostdinc $(cxx-uapi-include) \
	$(filter-out $(cxx-c-only-flags), $(_c_flags)) \
	$(modkern_cflags) $(basename_flags) $(modname_flags) \
	$(cxx-lang-flags)

# No COMDAT groups in C++ objects. objtool, which adds a __pfx_ symbol
# before each function, leaves the groups' signature symbols pointing at
# other symbols; the final link of a module then takes groups whose
# signatures now share a name (two __pfx_ locals of one function's clones)
# for one and drops one's code, leaving its symbols undefined. And with
# -fpatchable-function-entry (CONFIG_CALL_PADDING) g++ 12 ties an object's
# __patchable_function_entries to its first function, so a dropped group
# also breaks the link. Without groups, an inline or template function
# used by two objects of a module is kept twice and its weak symbols
# resolve to one copy; -fno-gnu-unique makes inline variables weak too.
cxx-drop-groups = && $(OBJCOPY) --remove-section=.group $@

quiet_cmd_cc_o_cpp = CXX $(quiet_modtag) $@
      cmd_cc_o_cpp = $(CXX) $(cxx_flags) -c -o $@ $< $(cxx-drop-groups) && \
		$(CONFIG_SHELL) $(src)/rt/check-cxx-object.sh $@ $< \
		$(cmd_objtool)

$(obj)/%.o: $(src)/%.cpp $(obj)/generated/kcxx/layout.h $(obj)/generated/kcxx/conftest.h FORCE
	$(call if_changed_dep,cc_o_cpp)

# Layout facts and constants of the running kernel's C API, generated from
# rt/layout.c the way asm-offsets.h is: compiled to assembly, then scraped.
$(obj)/rt/layout.s: $(obj)/generated/kcxx/.dir

$(obj)/generated/kcxx/.dir:
	$(Q)mkdir -p $(dir $@) && touch $@

$(obj)/generated/kcxx/layout.h: $(obj)/rt/layout.s FORCE
	$(call filechk,offsets,KCXX_GENERATED_LAYOUT_H)

# Compile probes of the kernel's API, run with kbuild's own C flags.
quiet_cmd_conftest = CONFTEST $@
      cmd_conftest = $(CONFIG_SHELL) $(src)/rt/conftest.sh $(CC) \
		$(NOSTDINC_FLAGS) $(LINUXINCLUDE) \
		-include $(srctree)/include/linux/compiler_types.h \
		$(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS) -D__KERNEL__ -DMODULE \
		-DKBUILD_MODNAME='"kcxx_conftest"' > $@.tmp && mv $@.tmp $@

$(obj)/generated/kcxx/conftest.h: $(src)/rt/conftest.sh $(obj)/generated/kcxx/.dir
	$(call cmd,conftest)

targets += generated/kcxx/conftest.h

# Bindings see their own prototypes through the same header as C++.
$(addprefix $(obj)/,$(filter rt/bindings/%.o,$(kcxx-y))): $(obj)/generated/kcxx/layout.h \
	$(obj)/generated/kcxx/conftest.h

targets += rt/layout.s generated/kcxx/layout.h
