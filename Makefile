# make install   [PREFIX=/usr/local] [DESTDIR=]   release binary, applet links, man pages,
#                                                 bash/zsh/fish completions, manifest
# make uninstall [PREFIX=/usr/local] [DESTDIR=]   removes exactly what the manifest lists
# The work is done by util/install.sh (see its header).

PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all install uninstall docs

all:
	cargo build --release -p memtools -p memtools-cli

install: all
	DESTDIR="$(DESTDIR)" sh util/install.sh install "$(PREFIX)"

uninstall:
	DESTDIR="$(DESTDIR)" sh util/install.sh uninstall "$(PREFIX)"

# The generated man pages and completions into target/docs (for a look without installing).
docs:
	cargo run -q -p memtools-cli --bin memtools-gen -- target/docs
