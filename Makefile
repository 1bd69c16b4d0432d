# The two set-up commands of the README, and what they need.
#   make demo   builds rzlib, then the legacy C program twice (original zlib,
#               rzlib drop-in) and prints them side by side
#   make test   runs every test: cargo's suites, the CVE and hostile-caller
#               suites again under valgrind, then the drop-in build's C test
#               and real programs (CPython's own suites, git) on it,
#               installs into temporary prefixes used through pkg-config and
#               CMake (make install and cargo-c), the migration builds, and
#               the C++ and Python examples, and the Python package (python/run_tests.sh:
#               its pytest suite and CPython's test_zlib/test_gzip with rzlib in place)
# Installing (docs/INSTALL.md): PREFIX, LIBDIR, INCLUDEDIR, DATADIR, DESTDIR,
# CFLAGS and LDFLAGS are honoured.
#   make install          rzlib's own flavour (rz_ names): include/rzlib/,
#                         librzlib.so.0.x and .a, rzlib.pc, CMake package
#   make install-dropin   the drop-in: zlib.h/zconf.h, libz.so.1.3.2 with
#                         the links libz.so.1 and libz.so, libz.a, zlib.pc
#   make cinstall         rzlib's own flavour through cargo-c
#   make uninstall        removes what those installed
#   make headers          regenerates include/ (cargo run -p xtask -- headers)
CARGO ?= cargo
CC ?= gcc
OBJCOPY ?= objcopy
# Cargo's output directory, as cargo itself chooses it.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
DEMO := $(TARGET_DIR)/demo
RELEASE := $(TARGET_DIR)/release
DROPIN := $(TARGET_DIR)/drop-in/release
LIBS := -lpthread -ldl -lm
# The original zlib is built from the source that the libz-sys crate ships.
ZLIB_SRC = $(shell $(CARGO) metadata --format-version 1 --locked | python3 -c \
	'import json,sys,os; m=json.load(sys.stdin); print([os.path.dirname(p["manifest_path"]) for p in m["packages"] if p["name"]=="libz-sys"][0])')/src/zlib
# Defined as libz-sys defines them (with _LARGEFILE64_SOURCE, zconf.h
# includes unistd.h for the gz files' read, write, lseek and close).
ZLIB_DEFINES := -DSTDC -D_LARGEFILE64_SOURCE
ZLIB_FILES := adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate inftrees trees uncompr zutil

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# The soname keeps the part of the version that semver lets break: 0.x.
SOVERSION := $(shell echo $(VERSION) | cut -d. -f1-2)
ZLIB_VERSION := $(shell sed -n 's/^pub const ZLIB_VERSION: &str = "\(.*\)";/\1/p' src/version.rs)
# What rustc reports the static library needs (--print native-static-libs),
# less -lgcc_s and -lc, which gcc adds itself (and `gcc -static` could not
# find libgcc_s): rzlib.pc's and zlib.pc's Libs.private.
STATIC_LIBS := -lutil -lrt -lpthread -lm -ldl
# CFLAGS reach the C file through the cc crate, LDFLAGS the linker through
# rustc; set only when given, so that an empty one rebuilds nothing.
# RUSTFLAGS replaces .cargo/config.toml's flags, so they are added back.
CONFIG_RUSTFLAGS := $(shell sed -n 's/^rustflags = \[\(.*\)\]/\1/p' .cargo/config.toml | tr -d '",')
CARGO_ENV = $(if $(CFLAGS),CFLAGS='$(CFLAGS)') \
	$(if $(LDFLAGS),RUSTFLAGS='$(CONFIG_RUSTFLAGS) $(RUSTFLAGS) $(foreach f,$(LDFLAGS),-Clink-arg=$(f))')
# Packed relative relocations (DT_RELR), where the linker makes them and the
# C library's loader runs a program that has them (glibc 2.36 and later):
# the drop-in's 750 pointer relocations then take a few hundred bytes
# instead of 18 KB, and load sooner.
RELR := $(shell d=$$(mktemp -d) && printf 'int x;\nint *p = &x;\nint main(void) { return *p; }\n' > $$d/p.c && \
	$(CC) -o $$d/p $$d/p.c -Wl,-z,pack-relative-relocs 2>/dev/null && $$d/p && \
	echo -Wl,-z,pack-relative-relocs; rm -rf $$d)
# $(call shared,OUTPUT,SONAME,VERSION-SCRIPT,ARCHIVE): a shared library linked
# from rzlib's static library, exporting what the version script says. Only
# the drop-in needs it: rustc gives a cdylib a version script of its own,
# and zlib's symbol versions need dropin/libz.map instead.
shared = $(CC) $(CFLAGS) $(LDFLAGS) -shared -o $(1) -Wl,-soname,$(2) -Wl,--version-script=$(3) \
	-Wl,--gc-sections $(RELR) -Wl,--whole-archive $(4) -Wl,--no-whole-archive -lgcc_s $(STATIC_LIBS) -lc
# $(call install_shared,FILE,DIR,NAME): FILE installed as DIR/NAME without
# its debug info, which goes to DIR/.debug/NAME.debug: the stripped
# library names that file (.gnu_debuglink), and gdb looks for it there.
install_shared = install -d $(2)/.debug && \
	$(OBJCOPY) --only-keep-debug $(1) $(2)/.debug/$(3).debug && \
	chmod 644 $(2)/.debug/$(3).debug && \
	$(OBJCOPY) --strip-all --add-gnu-debuglink=$(2)/.debug/$(3).debug $(1) $(2)/$(3).tmp && \
	chmod 755 $(2)/$(3).tmp && mv -f $(2)/$(3).tmp $(2)/$(3)
# $(call install_archive,FILE,PATH): a static library without debug info.
install_archive = $(OBJCOPY) --strip-debug $(1) $(2).tmp && chmod 644 $(2).tmp && mv -f $(2).tmp $(2)
# $(call pkgconfig,TEMPLATE,OUTPUT): a .pc file naming where the files went.
pkgconfig = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	-e 's|@VERSION@|$(VERSION)|' -e 's|@ZLIB_VERSION@|$(ZLIB_VERSION)|' \
	-e 's|@STATIC_LIBS@|$(STATIC_LIBS)|' $(1) > $(2)

.PHONY: demo test memcheck dropin release install install-dropin cinstall uninstall headers migration bench-peers bench-parallel
# The suites that feed rzlib hostile input or failing allocators, rerun
# under valgrind: test binary, then an optional test-name filter.
MEMCHECK_TESTS := inflate_cve inflate_back differential_deflate:cve_2018,failing_alloc,bad_param gz_hostile \
	parallel:concurrent,leaks_nothing

demo: $(DEMO)/legacy-zlib $(DEMO)/legacy-rzlib $(DEMO)/sample.z
	python3 demo/compare.py $(DEMO)/legacy-zlib $(DEMO)/legacy-rzlib $(DEMO)/sample.z

test:
	$(CARGO) test --release
	$(MAKE) memcheck
	$(MAKE) dropin
	bash c_tests/run_dropin.sh $(DROPIN)
	bash c_tests/run_programs.sh $(DROPIN)
	bash c_tests/run_install.sh make
	bash c_tests/run_install.sh cargo-c
	$(MAKE) migration
	sh c_tests/run_cpp.sh .
	bash python/run_tests.sh
	python3 -m unittest examples/python/test_rzlib_ctypes.py
	RZLIB_SO=$(DROPIN)/libz.so.1 RZLIB_PREFIX= python3 -m unittest examples/python/test_rzlib_ctypes.py

memcheck:
	@if ! command -v valgrind >/dev/null; then \
		echo "memcheck: valgrind not installed, skipped (apt-get install valgrind)"; exit 0; fi; \
	for entry in $(MEMCHECK_TESTS); do \
		t=$${entry%%:*}; filters=$$(echo "$${entry#$$t}" | tr ':,' '  '); \
		bin=$$($(CARGO) test --release --no-run --test $$t --message-format=json 2>/dev/null | python3 -c \
			'import json,sys; print([m["executable"] for m in map(json.loads, sys.stdin) if m.get("executable")][0])') || exit 1; \
		echo "valgrind $$t $$filters"; \
		valgrind -q --error-exitcode=1 --leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite \
			$$bin --test-threads=1 $$filters || exit 1; \
	done

# rzlib with zlib's own names (static and shared), then libz.so.1 with
# zlib's symbol versions (dropin/libz.map), linked from the static library.
dropin:
	$(CARGO_ENV) $(CARGO) build --release --locked --features drop-in --target-dir $(TARGET_DIR)/drop-in
	$(call shared,$(DROPIN)/libz.so.1,libz.so.1,dropin/libz.map,$(DROPIN)/librzlib.a)

# librzlib.so (soname librzlib.so.$(SOVERSION), set by build.rs, exporting
# only the rz_ names) and librzlib.a.
release:
	$(CARGO_ENV) $(CARGO) build --release --locked

# The peers bench (docs/BENCHMARKS.md): zlib, rzlib and its fast profile,
# zlib-ng, zlib-rs and libdeflate in one run; zlib-ng builds with cmake.
bench-peers:
	@command -v cmake >/dev/null || apt-get install -y cmake
	$(CARGO_ENV) $(CARGO) bench --locked --features peers --bench peers -- --warm-up-time 1 --measurement-time 3
	python3 benches/peers_report.py $(TARGET_DIR)/criterion

# The committed headers in include/, from src/c_api/ and cbindgen*.toml.
# Parallel streams against pigz (issue 19): benches/parallel/run.sh, with
# THREADS (default 2) and ROUNDS (default 3).
bench-parallel: release
	$(CC) -O2 -Wall -Wextra -Werror -Iinclude benches/parallel/pgzip.c $(RELEASE)/librzlib.a $(LIBS) \
		-o $(RELEASE)/pgzip
	bash benches/parallel/run.sh $(RELEASE)/pgzip $(or $(THREADS),2) $(or $(ROUNDS),3)

headers:
	$(CARGO) run --locked -p xtask -- headers

# rzlib's own flavour, laid out as `cargo cinstall` lays it out: the headers
# in $(INCLUDEDIR)/rzlib/ (rzlib.h includes zlib.h, which must not shadow
# the system's), librzlib.so.$(VERSION) with the links librzlib.so.$(SOVERSION)
# and librzlib.so (both to the file, as cargo-c makes them), librzlib.a, pkgconfig/rzlib.pc, and the CMake package in
# $(DATADIR)/cmake/rzlib/.
install: release
	install -d $(DESTDIR)$(INCLUDEDIR)/rzlib $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(DATADIR)/cmake/rzlib
	install -m 644 include/rzlib.h include/zlib.h include/zconf.h $(DESTDIR)$(INCLUDEDIR)/rzlib/
	$(call install_shared,$(RELEASE)/librzlib.so,$(DESTDIR)$(LIBDIR),librzlib.so.$(VERSION))
	ln -sf librzlib.so.$(VERSION) $(DESTDIR)$(LIBDIR)/librzlib.so.$(SOVERSION)
	ln -sf librzlib.so.$(VERSION) $(DESTDIR)$(LIBDIR)/librzlib.so
	$(call install_archive,$(RELEASE)/librzlib.a,$(DESTDIR)$(LIBDIR)/librzlib.a)
	$(call pkgconfig,pkgconfig/rzlib.pc.in,$(DESTDIR)$(LIBDIR)/pkgconfig/rzlib.pc)
	install -m 644 cmake/rzlibConfig.cmake $(DESTDIR)$(DATADIR)/cmake/rzlib/
	sed -e 's|@VERSION@|$(VERSION)|' cmake/rzlibConfigVersion.cmake.in \
		> $(DESTDIR)$(DATADIR)/cmake/rzlib/rzlibConfigVersion.cmake

# The drop-in as zlib installs itself: zlib.h and zconf.h in $(INCLUDEDIR),
# libz.so.$(ZLIB_VERSION) (zlib's soname and symbol versions) with the links
# libz.so.1 and libz.so, libz.a, pkgconfig/zlib.pc. CMake's own FindZLIB
# finds it. Put it in a prefix of its own: on the system's library path it
# replaces zlib for every program.
install-dropin: dropin
	install -d $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 include/zlib.h include/zconf.h $(DESTDIR)$(INCLUDEDIR)/
	$(call install_shared,$(DROPIN)/libz.so.1,$(DESTDIR)$(LIBDIR),libz.so.$(ZLIB_VERSION))
	ln -sf libz.so.$(ZLIB_VERSION) $(DESTDIR)$(LIBDIR)/libz.so.1
	ln -sf libz.so.1 $(DESTDIR)$(LIBDIR)/libz.so
	$(call install_archive,$(DROPIN)/librzlib.a,$(DESTDIR)$(LIBDIR)/libz.a)
	$(call pkgconfig,pkgconfig/zlib.pc.in,$(DESTDIR)$(LIBDIR)/pkgconfig/zlib.pc)

# `make install` through cargo-c (0.10 or later). cargo-c installs the
# library unstripped and writes rustc's -lgcc_s into rzlib.pc, which
# `gcc -static` cannot link; this step then does what `make install` does:
# the debug info to $(LIBDIR)/.debug/, -lgcc_s out of Libs.private.
CINSTALL_DIRS = --prefix=$(PREFIX) --libdir=$(LIBDIR) --includedir=$(INCLUDEDIR) --datadir=$(DATADIR) \
	$(if $(DESTDIR),--destdir=$(DESTDIR))
cinstall:
	$(CARGO_ENV) $(CARGO) cinstall --release --locked $(CINSTALL_DIRS)
	cp $(DESTDIR)$(LIBDIR)/librzlib.so.$(VERSION) $(DESTDIR)$(LIBDIR)/librzlib.so.unstripped
	$(call install_shared,$(DESTDIR)$(LIBDIR)/librzlib.so.unstripped,$(DESTDIR)$(LIBDIR),librzlib.so.$(VERSION))
	rm -f $(DESTDIR)$(LIBDIR)/librzlib.so.unstripped
	$(call install_archive,$(DESTDIR)$(LIBDIR)/librzlib.a,$(DESTDIR)$(LIBDIR)/librzlib.a)
	sed -i -e '/^Libs.private:/s/ -lgcc_s//' -e '/^Libs.private:/s/ -lc$$//' $(DESTDIR)$(LIBDIR)/pkgconfig/rzlib.pc

# Removes what install, cinstall and install-dropin put under the same
# directories. The drop-in's files go only when the libz.so.1 there is
# rzlib's (it exports rz_deflateSetProfile), never another zlib's.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/rzlib/,rzlib.h zlib.h zconf.h)
	rm -f $(addprefix $(DESTDIR)$(LIBDIR)/,librzlib.so.$(VERSION) librzlib.so.$(SOVERSION) librzlib.so \
		librzlib.a .debug/librzlib.so.$(VERSION).debug pkgconfig/rzlib.pc)
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/cmake/rzlib/,rzlibConfig.cmake rzlibConfigVersion.cmake)
	if [ -f $(DESTDIR)$(LIBDIR)/libz.so.$(ZLIB_VERSION) ] && \
		nm -D --defined-only $(DESTDIR)$(LIBDIR)/libz.so.$(ZLIB_VERSION) | grep -q ' rz_deflateSetProfile'; then \
		rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/,zlib.h zconf.h) \
			$(addprefix $(DESTDIR)$(LIBDIR)/,libz.so.$(ZLIB_VERSION) libz.so.1 libz.so libz.a \
			.debug/libz.so.$(ZLIB_VERSION).debug pkgconfig/zlib.pc); \
	fi
	-rmdir $(DESTDIR)$(INCLUDEDIR)/rzlib $(DESTDIR)$(DATADIR)/cmake/rzlib $(DESTDIR)$(DATADIR)/cmake \
		$(DESTDIR)$(LIBDIR)/.debug $(DESTDIR)$(LIBDIR)/pkgconfig 2>/dev/null || true

$(DEMO)/sample.z: demo/sample.py
	@mkdir -p $(DEMO)
	python3 demo/sample.py $@ 8000000

$(DEMO)/zlib/libz.a:
	@mkdir -p $(DEMO)/zlib
	$(CARGO) fetch --locked
	cd $(DEMO)/zlib && for f in $(ZLIB_FILES); do \
		$(CC) -O3 $(ZLIB_DEFINES) -c -I$(ZLIB_SRC) $(ZLIB_SRC)/$$f.c -o $$f.o || exit 1; done
	ar rcs $@ $(DEMO)/zlib/*.o
	cp $(ZLIB_SRC)/zlib.h $(ZLIB_SRC)/zconf.h $(DEMO)/zlib/

$(DEMO)/legacy-zlib: demo/legacy.c $(DEMO)/zlib/libz.a
	$(CC) -O2 -Wall -Wextra -Werror -I$(DEMO)/zlib demo/legacy.c $(DEMO)/zlib/libz.a -o $@

# The same program moved to rzlib one family at a time (demo/migrate.h):
# the original zlib stays linked, and checksums, then inflate, then deflate,
# then the gz file functions go to rzlib's rz_ functions.
MIGRATION := checksums:-DRZ_CHECKSUMS inflate:-DRZ_CHECKSUMS,-DRZ_INFLATE \
	deflate:-DRZ_CHECKSUMS,-DRZ_INFLATE,-DRZ_DEFLATE gz:-DRZ_CHECKSUMS,-DRZ_INFLATE,-DRZ_DEFLATE,-DRZ_GZ
migration: $(DEMO)/legacy-zlib $(DEMO)/legacy-rzlib $(DEMO)/sample.z release
	for step in $(MIGRATION); do \
		$(CC) -O2 -Wall -Wextra -Werror -include demo/migrate.h $$(echo $${step#*:} | tr , ' ') \
			-I$(DEMO)/zlib -Iinclude demo/legacy.c $(DEMO)/zlib/libz.a $(RELEASE)/librzlib.a \
			$(LIBS) -o $(DEMO)/legacy-mixed-$${step%%:*} || exit 1; \
	done
	$(CC) -O2 -Wall -Wextra -Werror -I$(DEMO)/zlib -Iinclude c_tests/crossed.c \
		$(DEMO)/zlib/libz.a $(RELEASE)/librzlib.a $(LIBS) -o $(DEMO)/crossed
	$(DEMO)/crossed
	python3 demo/compare.py --same $(DEMO)/sample.z $(DEMO)/legacy-zlib \
		$(DEMO)/legacy-mixed-checksums $(DEMO)/legacy-mixed-inflate $(DEMO)/legacy-mixed-deflate \
		$(DEMO)/legacy-mixed-gz $(DEMO)/legacy-rzlib

$(DEMO)/legacy-rzlib: demo/legacy.c dropin
	@mkdir -p $(DEMO)
	$(CC) -O2 -Wall -Wextra -Werror -Iinclude demo/legacy.c $(DROPIN)/librzlib.a $(LIBS) -o $@
