# lib/build.mk - how lib/ and the programs that link libmao.a are compiled:
# the compiler, the dependencies' flags (pkg-config, with the Debian paths
# as fallback), the C standard and the warnings every C file of the project
# meets.  Included by lib/Makefile and by envelope/, runner/ and sender/.
# Users link $(LIBDIR)/libmao.a $(DEP_LIBS).

CC ?= cc
PKG_CONFIG ?= pkg-config

CRYPTO_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcrypto 2>/dev/null)
CRYPTO_LIBS := $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null || echo -lcrypto)
CURL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcurl 2>/dev/null)
CURL_LIBS := $(shell $(PKG_CONFIG) --libs libcurl 2>/dev/null || echo -lcurl)
CJSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcjson 2>/dev/null || echo -I/usr/include/cjson)
CJSON_LIBS := $(shell $(PKG_CONFIG) --libs libcjson 2>/dev/null || echo -lcjson)
DEP_CFLAGS = $(CRYPTO_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS)
DEP_LIBS = $(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) -lz

STD = -std=c99 -D_POSIX_C_SOURCE=200809L
WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wvla -Wpointer-arith -Wformat-security
OPT ?= -O2 -g
