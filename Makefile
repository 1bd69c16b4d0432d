# The two set-up commands of the README, and what they need.
#   make demo   builds rzlib and its headers, then the legacy C program twice
#               (original zlib, rzlib drop-in) and prints them side by side
#   make install [PREFIX=/usr/local]          headers, librzlib.{so,a}, rzlib.pc
#   make install-dropin [PREFIX=/usr/local]   zlib.h/zconf.h, libz.so.1, zlib.pc
#   make test   runs every test: cargo's suites, the CVE and hostile-caller
#               suites again under valgrind, then the drop-in build's C test
#               and real programs (CPython's own suites, git) on it,
#               installs into temporary prefixes used through pkg-config,
#               the migration builds, and the C++ and Python examples
CARGO ?= cargo
CC ?= gcc
DEMO := target/demo
DROPIN := target/drop-in/release
LIBS := -lpthread -ldl -lm
# The original zlib is built from the source that the libz-sys crate ships.
ZLIB_SRC = $(shell $(CARGO) metadata --format-version 1 --locked | python3 -c \
	'import json,sys,os; m=json.load(sys.stdin); print([os.path.dirname(p["manifest_path"]) for p in m["packages"] if p["name"]=="libz-sys"][0])')/src/zlib
# Defined as libz-sys defines them (with _LARGEFILE64_SOURCE, zconf.h
# includes unistd.h for the gz files' read, write, lseek and close).
ZLIB_DEFINES := -DSTDC -D_LARGEFILE64_SOURCE
ZLIB_FILES := adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate inftrees trees uncompr zutil

PREFIX ?= /usr/local
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# The soname keeps the part of the version that semver lets break: 0.x.
SOVERSION := $(shell echo $(VERSION) | cut -d. -f1-2)
# What rustc reports the static library needs (--print native-static-libs).
RUST_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
# $(call shared,OUTPUT,SONAME,VERSION-SCRIPT,ARCHIVE): a shared library linked
# from rzlib's static library, exporting what the version script says. rustc
# gives a cdylib its own version script, which the linker would take instead
# of a second one, so the shared libraries with an export map are made here.
shared = $(CC) -shared -o $(1) -Wl,-soname,$(2) -Wl,--version-script=$(3) -Wl,--gc-sections \
	-Wl,--whole-archive $(4) -Wl,--no-whole-archive $(RUST_LIBS)

.PHONY: demo test memcheck dropin release install install-dropin migration bench-peers
# The suites that feed rzlib hostile input or failing allocators, rerun
# under valgrind: test binary, then an optional test-name filter.
MEMCHECK_TESTS := inflate_cve inflate_back differential_deflate:cve_2018,failing_alloc,bad_param gz_hostile

demo: $(DEMO)/legacy-zlib $(DEMO)/legacy-rzlib $(DEMO)/sample.z
	python3 demo/compare.py $(DEMO)/legacy-zlib $(DEMO)/legacy-rzlib $(DEMO)/sample.z

test:
	$(CARGO) test --release
	$(MAKE) memcheck
	$(MAKE) dropin
	bash c_tests/run_dropin.sh $(DROPIN)
	bash c_tests/run_programs.sh $(DROPIN)
	bash c_tests/run_install.sh
	$(MAKE) migration
	sh c_tests/run_cpp.sh .
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

# rzlib with zlib's own names (static and shared), and the generated headers;
# then libz.so.1 with zlib's symbol versions (dropin/libz.map).
dropin:
	$(CARGO) build --release --locked --features drop-in --target-dir target/drop-in
	$(call shared,$(DROPIN)/libz.so.1,libz.so.1,dropin/libz.map,$(DROPIN)/librzlib.a)

release:
	$(CARGO) build --release --locked

# The peers benches (zlib-ng, zlib-rs, libdeflate; README "Against the
# peers"): zlib-ng builds with cmake.
bench-peers:
	@command -v cmake >/dev/null || apt-get install -y cmake
	$(CARGO) bench --locked --features peers --bench peers -- --warm-up-time 1 --measurement-time 3
	python3 benches/peers_report.py

# Installs under $(DESTDIR)$(PREFIX) as C libraries are: the headers in
# include/rzlib/ (rzlib.h includes zlib.h, which must not shadow the
# system's), librzlib.so.$(VERSION) with soname librzlib.so.$(SOVERSION)
# and the usual links, librzlib.a, lib/pkgconfig/rzlib.pc. The shared
# library exports only the rz_ names (dropin/rzlib.map).
LIBDIR = $(DESTDIR)$(PREFIX)/lib
install: release
	install -d $(DESTDIR)$(PREFIX)/include/rzlib $(LIBDIR)/pkgconfig
	install -m 644 include/rzlib.h include/zlib.h include/zconf.h $(DESTDIR)$(PREFIX)/include/rzlib/
	install -m 644 target/release/librzlib.a $(LIBDIR)/
	$(call shared,$(LIBDIR)/librzlib.so.$(VERSION),librzlib.so.$(SOVERSION),dropin/rzlib.map,target/release/librzlib.a)
	ln -sf librzlib.so.$(VERSION) $(LIBDIR)/librzlib.so.$(SOVERSION)
	ln -sf librzlib.so.$(SOVERSION) $(LIBDIR)/librzlib.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' pkgconfig/rzlib.pc.in > $(LIBDIR)/pkgconfig/rzlib.pc

# The drop-in as zlib installs itself: zlib.h and zconf.h in include/,
# libz.so.1 (zlib's soname and symbol versions) with the libz.so link,
# libz.a, lib/pkgconfig/zlib.pc. Put it in a prefix of its own: on the
# system's library path it replaces zlib for every program.
install-dropin: dropin
	install -d $(DESTDIR)$(PREFIX)/include $(LIBDIR)/pkgconfig
	install -m 644 include/zlib.h include/zconf.h $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(DROPIN)/libz.so.1 $(LIBDIR)/libz.so.1
	ln -sf libz.so.1 $(LIBDIR)/libz.so
	install -m 644 $(DROPIN)/librzlib.a $(LIBDIR)/libz.a
	sed -e 's|@PREFIX@|$(PREFIX)|' pkgconfig/zlib.pc.in > $(LIBDIR)/pkgconfig/zlib.pc

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
			-I$(DEMO)/zlib -Iinclude demo/legacy.c $(DEMO)/zlib/libz.a target/release/librzlib.a \
			$(LIBS) -o $(DEMO)/legacy-mixed-$${step%%:*} || exit 1; \
	done
	$(CC) -O2 -Wall -Wextra -Werror -I$(DEMO)/zlib -Iinclude c_tests/crossed.c \
		$(DEMO)/zlib/libz.a target/release/librzlib.a $(LIBS) -o $(DEMO)/crossed
	$(DEMO)/crossed
	python3 demo/compare.py --same $(DEMO)/sample.z $(DEMO)/legacy-zlib \
		$(DEMO)/legacy-mixed-checksums $(DEMO)/legacy-mixed-inflate $(DEMO)/legacy-mixed-deflate \
		$(DEMO)/legacy-mixed-gz $(DEMO)/legacy-rzlib

$(DEMO)/legacy-rzlib: demo/legacy.c dropin
	@mkdir -p $(DEMO)
	$(CC) -O2 -Wall -Wextra -Werror -Iinclude demo/legacy.c $(DROPIN)/librzlib.a $(LIBS) -o $@
