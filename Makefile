# wijkeval build. `make run` and `make test` are the two entry points; both
# install missing Debian packages first (scripts/install-deps).
#
#   make            build build/wijkeval and build/plugins/<id>.so
#   make run        build, then evaluate the demo's 2011 and 2012 reports
#                   (configs/demo-2011.cfg, configs/demo.cfg; one history)
#   make test       build and run every test (SAN=1: ASan + UBSan build)
#   make test T=NAME  run one test only (or several: T="test_csv sdk"): a
#                   unit or plugin test (test_csv), an e2e script (sdk or
#                   sdk.sh), or fuzz (the fuzz smoke run)
#   make lint       the layer check, then cppcheck and clang-tidy, zero
#                   findings (docs/reliability.md)
#   make check-layers  which layer of core/src may include which
#                   (scripts/check-layers, docs/architecture.md)
#   make validate   simulate coverage and size of the estimators, write
#                   docs/validation.md (about 10 minutes)
#   make install    PREFIX=/usr/local DESTDIR=
#   make fuzz       FUZZ_SECONDS=600: run each libFuzzer target that long
#
# Variables:
#   V=1             show the full commands (default: "CC file", "LD file")
#   CC CFLAGS CPPFLAGS LDFLAGS LDLIBS
#                   the usual ones; the project's flags come first and
#                   yours are appended, so CFLAGS=-O0 beats the -O2 here.
#                   Objects are not rebuilt when only flags change: make
#                   clean, or make -B.
#                   The fuzz build uses clang: it takes CPPFLAGS, LDFLAGS
#                   and FUZZ_CFLAGS (not CFLAGS, which are for $(CC)).
#   SAN=1           ASan + UBSan build in build/san
#   VALGRIND=1      make test: unit and plugin tests and a demo run under
#                   valgrind
#   TEST_TIMEOUT=300  seconds per test program or e2e script in make test
#                   (default 300, 1800 under VALGRIND=1); 0: none
#   TEST_JOBS=N     tests run at once in make test (default: nproc)
#   LINT_JOBS=N     parallel cppcheck and clang-tidy jobs (default: nproc)

VERSION := $(shell cat VERSION)
PREFIX ?= /usr/local
DESTDIR ?=
# CC: GNU make's default is cc; a CC from the command line or the
# environment wins. (CC ?= would be a no-op: CC always has a value.)
SAN ?= 0

# Quiet build lines ("CC core/src/x.c"); V=1 prints the full commands.
ifeq ($(V),1)
quiet =
else
quiet = @printf '  %-4s %s\n' '$(1)' '$(2)';
endif

ifeq ($(SAN),1)
BUILD := build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD := build
SANFLAGS :=
endif

PKGS := libconfig jansson gsl libseccomp sqlite3
# Recursive (=) so pkg-config runs when a recipe needs it: after the
# deps stamp has installed the packages on a fresh machine.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)

WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wformat=2 -Wvla
# GCC's -O2 vectorises only loops that need no runtime checks; the rank-1
# updates of the cross-products and the bootstrap's per-cluster sums gain
# a third from the dynamic cost model. Element-wise only (no -ffast-math),
# so the numbers do not change.
VECTORIZE := $(shell $(CC) -fvect-cost-model=dynamic -E -x c /dev/null >/dev/null 2>&1 && echo -fvect-cost-model=dynamic)
OPT ?= -O2 -g $(VECTORIZE)
# The project's flags (WE_*); every compile and link line appends the
# user's CPPFLAGS, CFLAGS, LDFLAGS and LDLIBS after them.
WE_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -DWE_VERSION=\"$(VERSION)\" \
              -Icore/include -Icore/src $(PKG_CFLAGS)
WE_CFLAGS = $(WARN) $(OPT) $(SANFLAGS) -pthread
WE_LDFLAGS = $(SANFLAGS) -pthread
WE_LIBS = $(PKG_LIBS) -pthread -ldl -lm
# Plugins see the public header alone.
WE_PLUGIN_CFLAGS = $(WARN) $(OPT) $(SANFLAGS) -fPIC -fvisibility=hidden
# Compile, and compile and link, with the project's flags then the user's.
COMPILE = $(CC) $(WE_CPPFLAGS) $(WE_CFLAGS) $(CPPFLAGS) $(CFLAGS)
LINK_PROG = $(CC) $(WE_CPPFLAGS) $(WE_CFLAGS) $(CPPFLAGS) $(CFLAGS) \
            $(WE_LDFLAGS) $(LDFLAGS)
# $(call LINK_PLUGIN,project preprocessor flags)
LINK_PLUGIN = $(CC) $(1) $(WE_PLUGIN_CFLAGS) $(CPPFLAGS) $(CFLAGS) -shared $(LDFLAGS)

# ---- sources --------------------------------------------------------------
CORE_SRC := $(filter-out core/src/main.c,$(shell find core/src -name '*.c' | sort))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
CORE_LIB := $(BUILD)/libwijkeval-core.a
# The mock host runs plugins through the real host, so its library holds the
# core too (not the CLI, nor main.c). The test kit needs cmocka and a
# plugin: it is compiled into each plugin test instead.
TEST_KIT_SRC := core/mockhost/we_plugin_test_kit.c
MOCK_SRC := $(filter-out $(TEST_KIT_SRC),$(wildcard core/mockhost/*.c)) \
            $(filter-out core/src/cli/%,$(CORE_SRC))
MOCK_OBJ := $(MOCK_SRC:%.c=$(BUILD)/obj-pic/%.o)
MOCK_LIB := $(BUILD)/libwijkeval-mock.a
# The plugin test kit (standard panel, generic tests) for plugins built
# elsewhere: installed with its header, linked through
# wijkeval-plugin-test.pc. The seven's tests compile its source instead.
KIT_LIB := $(BUILD)/libwijkeval-test-kit.a
KIT_OBJ := $(BUILD)/obj-kit/core/mockhost/we_plugin_test_kit.o
# pkg-config files of the installed SDK (see install).
PC_FILES := $(BUILD)/pkgconfig/wijkeval-plugin.pc \
            $(BUILD)/pkgconfig/wijkeval-plugin-test.pc
BIN := $(BUILD)/wijkeval

# A plugin is any directory under plugins/ with C sources; no edit here.
PLUGIN_IDS := $(sort $(patsubst plugins/%/,%,$(dir $(wildcard plugins/*/*.c))))
PLUGIN_SO := $(PLUGIN_IDS:%=$(BUILD)/plugins/%.so)
plugin_src = $(filter-out plugins/$(1)/test_%.c,$(wildcard plugins/$(1)/*.c))

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
PLUGIN_TEST_SRC := $(wildcard plugins/*/test_*.c)
PLUGIN_TEST_BIN := $(foreach f,$(PLUGIN_TEST_SRC),$(BUILD)/tests/plugins/$(basename $(notdir $(f))))
FIXTURE_SRC := $(wildcard tests/fixtures/plugins/*.c)
FIXTURE_SO := $(FIXTURE_SRC:tests/fixtures/plugins/%.c=$(BUILD)/tests/fixtures/%.so) \
              $(BUILD)/tests/fixtures/fx_abi_1_0.so \
              $(BUILD)/tests/fixtures/fx_abi_1_2.so
VALIDATE_BIN := $(BUILD)/tests/validate/validate
EVIDENCE_BIN := $(BUILD)/tests/validate/evidence
INFERENCE_BIN := $(BUILD)/tests/validate/inference

DEPS_STAMP := build/.deps-ok

# The libFuzzer targets; see the fuzzing section below.
FUZZ_TARGETS := csv panel config wire
FUZZ_BUILD := build/fuzz
FUZZ_CC := clang
FUZZ_SECONDS ?= 600
FUZZ_TEST_SECONDS ?= 5
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer
# gcc checks the format strings of the normal build; clang also flags the
# va_list forwarders, which is noise here.
# The user's CPPFLAGS and FUZZ_CFLAGS follow (CFLAGS may hold gcc-only
# options).
FUZZ_COMPILE = $(FUZZ_CC) $(WE_CPPFLAGS) $(WARN) -Wno-format-nonliteral -O1 -g \
               $(FUZZ_SAN) $(CPPFLAGS) $(FUZZ_CFLAGS)
FUZZ_CORE_OBJ := $(CORE_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_LIB := $(FUZZ_BUILD)/libwijkeval-core.a
FUZZ_BIN := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_STAMP := build/.fuzz-deps-ok

.PHONY: all run test install clean deps bench demo-data validate lint docs-images \
        check-layers fuzz fuzz-build
all: $(BIN) $(PLUGIN_SO)

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/install-deps
	@scripts/install-deps
	@mkdir -p build && touch $@

# ---- core ----------------------------------------------------------------
$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)$(COMPILE) -MMD -MP -c $< -o $@

$(BUILD)/obj-pic/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(call quiet,CC,$< (PIC))$(COMPILE) -fPIC -MMD -MP -c $< -o $@

$(CORE_LIB): $(CORE_OBJ)
	@rm -f $@
	$(call quiet,AR,$@)$(AR) rcs $@ $^

$(MOCK_LIB): $(MOCK_OBJ)
	@rm -f $@
	$(call quiet,AR,$@)$(AR) rcs $@ $^

$(KIT_OBJ): $(TEST_KIT_SRC) core/mockhost/we_plugin_test_kit.h core/mockhost/mock_host.h core/include/wijkeval/plugin.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(CC) $(WE_CPPFLAGS) $(CMOCKA_CFLAGS) -Icore/mockhost \
	    $(WE_CFLAGS) $(CPPFLAGS) $(CFLAGS) -fPIC -c -o $@ $<

$(KIT_LIB): $(KIT_OBJ)
	@rm -f $@
	$(call quiet,AR,$@)$(AR) rcs $@ $^

$(BIN): $(BUILD)/obj/core/src/main.o $(CORE_LIB)
	$(call quiet,LD,$@)$(CC) $(WE_CFLAGS) $(CFLAGS) $(WE_LDFLAGS) $(LDFLAGS) \
	    -o $@ $^ $(WE_LIBS) $(LDLIBS)

# The templates of `wijkeval new-plugin`, embedded as C strings. The file
# is committed, so a build needs no python3; when a template changes, make
# writes it again (without python3 it keeps the committed file, with a
# warning; tests/e2e/sdk.sh then tells whether it is current).
NEW_PLUGIN_TEMPLATES := $(wildcard core/templates/new-plugin/*.in)
core/src/cli/cli_new_templates.c: $(NEW_PLUGIN_TEMPLATES) scripts/embed-templates
	$(call quiet,GEN,$@)if command -v python3 >/dev/null 2>&1; then \
	    python3 scripts/embed-templates; \
	else \
	    echo "warning: no python3: $@ not regenerated from its templates" >&2; \
	fi; touch $@

# ---- plugins -------------------------------------------------------------
define PLUGIN_RULE
$(BUILD)/plugins/$(1).so: $(call plugin_src,$(1)) core/include/wijkeval/plugin.h | $(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$$(call quiet,SO,$$@)$$(call LINK_PLUGIN,-Icore/include) -o $$@ $$(call plugin_src,$(1)) -lm $$(LDLIBS)

$(BUILD)/tests/plugins/test_$(1): plugins/$(1)/test_$(1).c $(call plugin_src,$(1)) $(TEST_KIT_SRC) $(MOCK_LIB) $(wildcard core/mockhost/*.h) core/include/wijkeval/plugin.h
	@mkdir -p $$(dir $$@)
	$$(call quiet,LD,$$@)$$(CC) $$(WE_CPPFLAGS) $$(CMOCKA_CFLAGS) -Icore/mockhost \
	    $$(WE_CFLAGS) $$(CPPFLAGS) $$(CFLAGS) $$(WE_LDFLAGS) $$(LDFLAGS) \
	    -o $$@ $$(filter-out %.h,$$^) $$(CMOCKA_LIBS) $$(WE_LIBS) $$(LDLIBS)
endef
$(foreach id,$(PLUGIN_IDS),$(eval $(call PLUGIN_RULE,$(id))))

# ---- tests ---------------------------------------------------------------
# -MMD: a unit test is rebuilt when a header it includes changes (the
# fixtures build model structs by hand).
$(BUILD)/tests/unit/%: tests/unit/%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)$(CC) $(WE_CPPFLAGS) $(CMOCKA_CFLAGS) $(WE_CFLAGS) \
	    $(CPPFLAGS) $(CFLAGS) $(WE_LDFLAGS) $(LDFLAGS) \
	    -MMD -MP -MF $@.d -MT $@ -o $@ $^ $(CMOCKA_LIBS) $(WE_LIBS) $(LDLIBS)

$(BUILD)/tests/fixtures/%.so: tests/fixtures/plugins/%.c core/include/wijkeval/plugin.h
	@mkdir -p $(dir $@)
	$(call quiet,SO,$@)$(call LINK_PLUGIN,-Icore/include) -o $@ $< -lm $(LDLIBS)

# ABI 1.3's host functions, through the mock host (which holds the core).
$(BUILD)/tests/unit/test_host_text: tests/unit/test_host_text.c $(MOCK_LIB)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)$(CC) $(WE_CPPFLAGS) $(CMOCKA_CFLAGS) -Icore/mockhost \
	    $(WE_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(WE_LDFLAGS) $(LDFLAGS) \
	    -MMD -MP -MF $@.d -MT $@ -o $@ $^ $(CMOCKA_LIBS) $(WE_LIBS) $(LDLIBS)

# A plugin of ABI 1.0: built against the frozen 1.0 header alone, without
# core/include (docs/plugins.md, ABI stability).
$(BUILD)/tests/fixtures/fx_abi_1_0.so: tests/fixtures/abi/fx_abi_1_0.c tests/fixtures/abi/plugin_1_0.h
	@mkdir -p $(dir $@)
	$(call quiet,SO,$@)$(call LINK_PLUGIN,) -o $@ $< -lm $(LDLIBS)

# The same for ABI 1.2, the release before 1.3's text and per-wijk metrics.
$(BUILD)/tests/fixtures/fx_abi_1_2.so: tests/fixtures/abi/fx_abi_1_2.c tests/fixtures/abi/plugin_1_2.h
	@mkdir -p $(dir $@)
	$(call quiet,SO,$@)$(call LINK_PLUGIN,) -o $@ $< -lm $(LDLIBS)

# The simulation study of the estimators; --quick runs in the test suite
# (tests/e2e/validate_quick.sh).
$(VALIDATE_BIN): tests/validate/validate.c tests/validate/staggered_sim.h $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)$(LINK_PROG) -o $@ $(filter-out %.h,$^) $(WE_LIBS) $(LDLIBS)

# The evidence labels on null panels (docs/validation.md, last section).
$(EVIDENCE_BIN): tests/validate/evidence.c tests/validate/evidence_sim.h \
		 tests/validate/evidence_synth.h $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)$(LINK_PROG) -o $@ $(filter-out %.h,$^) $(WE_LIBS) $(LDLIBS)
# The few-cluster inference study of issue 16 (tests/e2e/validate_inference.sh
# runs it small).
$(INFERENCE_BIN): tests/validate/inference.c tests/validate/staggered_sim.h $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)$(LINK_PROG) -o $@ $(filter-out %.h,$^) $(WE_LIBS) $(LDLIBS)

# T=NAME runs only the tests named (tests/run-tests.sh): everything but
# the fuzz targets is still built, since the e2e scripts use all of it;
# the fuzz targets only for T=fuzz. TEST_TIMEOUT: seconds per test.
TEST_NEEDS := all $(UNIT_BIN) $(PLUGIN_TEST_BIN) $(FIXTURE_SO) $(VALIDATE_BIN) \
              $(INFERENCE_BIN) $(MOCK_LIB) $(KIT_LIB) $(PC_FILES)
ifeq ($(strip $(T)),)
# The fuzz targets are ASan + UBSan builds of their own: the plain pass
# runs them, SAN=1 need not run them again.
TEST_FUZZ := $(if $(filter 1,$(SAN)),0,1)
else
TEST_FUZZ := $(if $(filter fuzz,$(T)),1,0)
endif
ifeq ($(TEST_FUZZ),1)
TEST_NEEDS += $(FUZZ_BIN)
endif

# `make test` builds what the tests need on every core even when make was
# called without -j (a fresh clone's build is most of CI's time otherwise);
# a caller's own -j (its jobserver) is kept.
NPROC := $(shell nproc 2>/dev/null || echo 1)
.PHONY: test-build
test-build: $(TEST_NEEDS)

test:
	@$(MAKE) --no-print-directory $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(NPROC)) test-build
ifeq ($(TEST_FUZZ),1)
	@FUZZ_BUILD=$(FUZZ_BUILD) tests/fuzz/run.sh --smoke $(FUZZ_TEST_SECONDS) $(FUZZ_TARGETS)
endif
ifneq ($(strip $(filter-out fuzz,$(T))),)
	@BUILD=$(BUILD) TEST_TIMEOUT=$(TEST_TIMEOUT) tests/run-tests.sh $(filter-out fuzz,$(T))
else ifeq ($(strip $(T)),)
	@BUILD=$(BUILD) TEST_TIMEOUT=$(TEST_TIMEOUT) tests/run-tests.sh
endif

validate: $(VALIDATE_BIN) $(INFERENCE_BIN) $(EVIDENCE_BIN)
	$(VALIDATE_BIN) --reps 2000 --boot-reps 999 --seed 20081107 --seeds 2 \
	    --csv $(BUILD)/validation.csv --markdown docs/validation.md
	$(INFERENCE_BIN) --reps 2000 --synth-reps 1000 --seed 20081107 \
	    --markdown docs/validation.md > $(BUILD)/validation_inference.csv
	$(EVIDENCE_BIN) --reps 2000 --synth-reps 200 --seed 20081107 --append docs/validation.md

# ---- fuzzing -------------------------------------------------------------
# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang apart from the
# normal build: the core is compiled again with the fuzzer's coverage and
# ASan + UBSan into build/fuzz/. `make test` runs each target for
# FUZZ_TEST_SECONDS; `make fuzz` for FUZZ_SECONDS.

# After the base packages: two apt-get runs cannot hold the dpkg lock at once.
$(FUZZ_STAMP): scripts/install-fuzz-deps | $(DEPS_STAMP)
	@scripts/install-fuzz-deps
	@mkdir -p build && touch $@

$(FUZZ_BUILD)/obj/%.o: %.c | $(DEPS_STAMP) $(FUZZ_STAMP)
	@mkdir -p $(dir $@)
	$(call quiet,CC,$< (fuzz))$(FUZZ_COMPILE) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_CORE_OBJ)
	@rm -f $@
	$(call quiet,AR,$@)$(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)$(FUZZ_COMPILE) -fsanitize=fuzzer -Itests/fuzz $(LDFLAGS) \
	    -o $@ $< $(FUZZ_LIB) $(WE_LIBS) $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@FUZZ_BUILD=$(FUZZ_BUILD) tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# ---- lint ----------------------------------------------------------------
# cppcheck and clang-tidy 14 over core/ and plugins/ with the checked-in
# configurations (.cppcheck-suppressions, .clang-tidy); any finding fails.
# Not part of `make test`: clang-tidy's analyzer takes minutes.
LINT_SRC = $(shell find core plugins -name '*.c' | sort)
LINT_DEFS := -D_POSIX_C_SOURCE=200809L -DWE_VERSION=\"$(VERSION)\" \
             -Icore/include -Icore/src -Icore/mockhost
CLANG_TIDY ?= clang-tidy-14
LINT_JOBS ?= $(shell nproc)
LINT_STAMP := build/.lint-deps-ok

$(LINT_STAMP): scripts/install-deps | $(DEPS_STAMP)
	@scripts/install-deps --with-lint
	@mkdir -p build && touch $@

# Which layer of core/src may include which (docs/architecture.md); the
# first step of lint.
check-layers:
	scripts/check-layers core/src

lint: | $(DEPS_STAMP) $(LINT_STAMP)
	$(call quiet,LINT,scripts/check-layers core/src)scripts/check-layers core/src
	$(call quiet,LINT,cppcheck core plugins)cppcheck -q --error-exitcode=1 --std=c11 \
	    --enable=warning,portability,performance --inline-suppr \
	    --suppressions-list=.cppcheck-suppressions $(LINT_DEFS) \
	    -j $(LINT_JOBS) core plugins
	$(call quiet,LINT,$(CLANG_TIDY) core plugins)printf '%s\n' $(LINT_SRC) | xargs -P $(LINT_JOBS) -I{} \
	    $(CLANG_TIDY) --quiet {} -- -std=c11 $(LINT_DEFS) $(PKG_CFLAGS) \
	    $(CMOCKA_CFLAGS)

# ---- run -----------------------------------------------------------------
# The demo as two yearly progress reports in one history series "demo"
# (docs/history.md): the 2011 report (data up to 2011, out/demo-2011/),
# then the 2012 one (out/demo/), which says what changed since 2011.
DEMO_2011 := data/demo-2011/indicators.csv
run: all $(DEMO_2011)
	@echo "== the 2011 progress report: configs/demo-2011.cfg (data up to 2011) =="
	$(BIN) run configs/demo-2011.cfg
	@echo
	@echo "== the 2012 progress report: configs/demo.cfg, compared with 2011 =="
	$(BIN) run configs/demo.cfg

# docs/report-front.png (and its Dutch twin docs/report-front-nl.png) from
# the demo in headless Chromium: the first A4-shaped screen of report.html.
# Needs chromium (apt-get install -y chromium).
CHROMIUM ?= /usr/bin/chromium
docs-images: all
	$(BIN) run configs/demo.cfg -o $(BUILD)/docs-images -q --no-history
	sed -e 's|"\.\./data/|"$(CURDIR)/data/|g' configs/demo.cfg >$(BUILD)/docs-images/nl.cfg
	echo 'report = { language = "nl"; };' >>$(BUILD)/docs-images/nl.cfg
	$(BIN) run $(BUILD)/docs-images/nl.cfg -o $(BUILD)/docs-images/nl -q --no-history
	python3 tests/e2e/render_html.py $(BUILD)/docs-images/demo/report.html \
	    --chromium $(CHROMIUM) --screenshot docs/report-front.png >/dev/null
	python3 tests/e2e/render_html.py $(BUILD)/docs-images/nl/demo/report.html \
	    --chromium $(CHROMIUM) --screenshot docs/report-front-nl.png >/dev/null


# The 2011 view of the demo (data/demo-2011/, configs/demo-2011.cfg) is
# derived from data/demo and configs/demo.cfg: made again when they
# change (deterministic; committed).
$(DEMO_2011): scripts/demo_2011.py configs/demo.cfg $(wildcard data/demo/*.csv)
	python3 scripts/demo_2011.py data/demo data/demo-2011 configs/demo.cfg configs/demo-2011.cfg

# Regenerates the committed demo panel (deterministic), and its 2011 view.
demo-data: $(BIN)
	$(BIN) simulate --out data/demo
	python3 scripts/demo_goals.py data/demo data/krachtwijken_40.csv configs/demo.cfg
	python3 scripts/demo_2011.py data/demo data/demo-2011 configs/demo.cfg configs/demo-2011.cfg

# make bench: the national workload stage by stage (docs/performance.md);
# measurements, never pass/fail. BENCH_ARGS=--quick: 1,000 buurten only.
BENCH_LOAD := $(BUILD)/bench/bench_load
$(BENCH_LOAD): bench/bench_load.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)$(LINK_PROG) -o $@ $^ $(WE_LIBS) $(LDLIBS)

BENCH_WILD := $(BUILD)/bench/wild_bench
$(BENCH_WILD): bench/wild_bench.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)$(LINK_PROG) -DHAVE_SUMS -o $@ $^ $(WE_LIBS) $(LDLIBS)

bench: all $(BENCH_LOAD) $(BENCH_WILD)
	python3 bench/run.py --build $(BUILD) $(BENCH_ARGS)

# wijkeval beside R (estimatr, a plain R bootstrap loop) on a tenth of the
# national panel: same numbers, and the time ratio (bench/compare.sh).
.PHONY: bench-compare
bench-compare: all
	@BUILD=$(BUILD) bench/compare.sh

# ---- install -------------------------------------------------------------
# The SDK for plugins built elsewhere (docs/plugins.md): the header, the
# mock host's library and header, pkg-config files relative to their own
# place (so a DESTDIR install works too), the man page.
$(BUILD)/pkgconfig/%.pc: core/pkgconfig/%.pc.in VERSION
	@mkdir -p $(dir $@)
	$(call quiet,GEN,$@)sed -e 's|@VERSION@|$(VERSION)|' -e 's|@SANFLAGS@|$(SANFLAGS)|' $< >$@

install: all $(MOCK_LIB) $(KIT_LIB) $(PC_FILES)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/wijkeval/plugins \
	    $(DESTDIR)$(PREFIX)/include/wijkeval \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/wijkeval/data/demo \
	    $(DESTDIR)$(PREFIX)/share/wijkeval/data/cbs \
	    $(DESTDIR)$(PREFIX)/share/wijkeval/configs
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/wijkeval
	install -m 644 $(PLUGIN_SO) $(DESTDIR)$(PREFIX)/lib/wijkeval/plugins/
	install -m 644 core/include/wijkeval/plugin.h $(DESTDIR)$(PREFIX)/include/wijkeval/
	install -m 644 $(MOCK_LIB) $(KIT_LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 644 core/mockhost/mock_host.h \
	    core/mockhost/we_plugin_test_kit.h $(DESTDIR)$(PREFIX)/include/wijkeval/
	install -m 644 $(PC_FILES) $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -m 644 core/man/wijkeval.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 data/catalog.csv data/krachtwijken_40.csv \
	    $(DESTDIR)$(PREFIX)/share/wijkeval/data/
	install -m 644 data/demo/* $(DESTDIR)$(PREFIX)/share/wijkeval/data/demo/
	install -m 644 data/cbs/* $(DESTDIR)$(PREFIX)/share/wijkeval/data/cbs/
	install -m 644 configs/demo.cfg $(DESTDIR)$(PREFIX)/share/wijkeval/configs/

clean:
	rm -rf build out

-include $(shell find build -name '*.d' 2>/dev/null)
