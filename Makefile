# MAO top-level build.
#
#   make            build everything (lib/, the extension and the Aurora/RDS SQL file)
#   make install    install the extension into the PostgreSQL that pg_config names
#   make check      run every test suite (starts its own temporary clusters)
#   make demo       start a temporary cluster, load a sample document, print the summary
#   make bench      run the benchmarks (not part of check)
#   make package    deployment packages under dist/ (Lambda zips, the extension, mao-aurora.sql)

PG_CONFIG ?= pg_config
export PG_CONFIG

.PHONY: all lib extension envelope runner sender install install-extension check demo bench package clean

all: lib extension envelope runner sender

lib:
	$(MAKE) -C lib

envelope: lib
	$(MAKE) -C envelope

runner: lib extension
	$(MAKE) -C runner

sender: lib
	$(MAKE) -C sender

extension: lib
	$(MAKE) -C extension all with_llvm=no

install: install-extension

install-extension: extension
	$(MAKE) -C extension install with_llvm=no

check: all
	test/run-checks

demo: all
	scripts/demo

bench: all
	bench/run

package: all
	scripts/package

clean:
	$(MAKE) -C lib clean
	$(MAKE) -C envelope clean
	$(MAKE) -C runner clean
	$(MAKE) -C sender clean
	$(MAKE) -C extension clean
	rm -rf build tmp dist
