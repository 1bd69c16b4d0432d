# The two set-up commands of the README, and what they need.
#   make demo   builds rzlib and its headers, then the legacy C program twice
#               (original zlib, rzlib drop-in) and prints them side by side
#   make test   runs every test: cargo's suites, the CVE and hostile-caller
#               suites again under valgrind, then the drop-in build's C test
#               and real programs (CPython's own suites, git) on it
CARGO ?= cargo
CC ?= gcc
DEMO := target/demo
DROPIN := target/drop-in/release
LIBS := -lpthread -ldl -lm
# The original zlib is built from the source that the libz-sys crate ships.
ZLIB_SRC = $(shell $(CARGO) metadata --format-version 1 --locked | python3 -c \
	'import json,sys,os; m=json.load(sys.stdin); print([os.path.dirname(p["manifest_path"]) for p in m["packages"] if p["name"]=="libz-sys"][0])')/src/zlib
ZLIB_FILES := adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate inftrees trees uncompr zutil

.PHONY: demo test memcheck dropin
# The suites that feed rzlib hostile input or failing allocators, rerun
# under valgrind: test binary, then an optional test-name filter.
MEMCHECK_TESTS := inflate_cve inflate_back differential_deflate:cve_2018,failing_alloc,bad_param

demo: $(DEMO)/legacy-zlib $(DEMO)/legacy-rzlib $(DEMO)/sample.z
	python3 demo/compare.py $(DEMO)/legacy-zlib $(DEMO)/legacy-rzlib $(DEMO)/sample.z

test:
	$(CARGO) test --release
	$(MAKE) memcheck
	$(MAKE) dropin
	bash c_tests/run_dropin.sh $(DROPIN)
	bash c_tests/run_programs.sh $(DROPIN)

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
# then libz.so.1: the static library linked into a shared one with zlib's
# symbol versions (dropin/libz.map). rustc gives a cdylib its own version
# script, which the linker would take instead of a second one, so the
# versions are applied here. The -l list is what rustc reports for the
# archive (--print native-static-libs).
dropin:
	$(CARGO) build --release --locked --features drop-in --target-dir target/drop-in
	$(CC) -shared -o $(DROPIN)/libz.so.1 -Wl,-soname,libz.so.1 \
		-Wl,--version-script=dropin/libz.map -Wl,--gc-sections \
		-Wl,--whole-archive $(DROPIN)/librzlib.a -Wl,--no-whole-archive \
		-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc

$(DEMO)/sample.z: demo/sample.py
	@mkdir -p $(DEMO)
	python3 demo/sample.py $@ 8000000

$(DEMO)/zlib/libz.a:
	@mkdir -p $(DEMO)/zlib
	$(CARGO) fetch --locked
	cd $(DEMO)/zlib && for f in $(ZLIB_FILES); do \
		$(CC) -O3 -c -I$(ZLIB_SRC) $(ZLIB_SRC)/$$f.c -o $$f.o || exit 1; done
	ar rcs $@ $(DEMO)/zlib/*.o
	cp $(ZLIB_SRC)/zlib.h $(ZLIB_SRC)/zconf.h $(DEMO)/zlib/

$(DEMO)/legacy-zlib: demo/legacy.c $(DEMO)/zlib/libz.a
	$(CC) -O2 -Wall -Wextra -Werror -I$(DEMO)/zlib demo/legacy.c $(DEMO)/zlib/libz.a -o $@

$(DEMO)/legacy-rzlib: demo/legacy.c dropin
	@mkdir -p $(DEMO)
	$(CC) -O2 -Wall -Wextra -Werror -Iinclude demo/legacy.c $(DROPIN)/librzlib.a $(LIBS) -o $@
