#!/usr/bin/env python3
"""Recompresses the release build's precompressed `.gz` files as small as gzip allows.

    python3 scripts/gzip-best.py [target/site]

`cargo leptos build --precompress` writes `.gz` files with libflate, whose output is about 15%
larger than zlib's level 9. The server sends these files to every client without brotli, so
they are rewritten here (same content, mtime 0) with Zopfli when the `zopfli` module is there
(scripts/release-build.sh runs this with a virtualenv that has it), else with zlib's level 9.
Measured on the main WASM: libflate 314 KB, zlib 9 234 KB, Zopfli 224 KB. Every decoder reads
all three. The `.br` files are already at brotli's best quality and are left alone.
"""

import gzip
import os
import sys

try:
    import zopfli.gzip

    def best(data):
        return zopfli.gzip.compress(data)

    ENCODER = "zopfli"
except ImportError:

    def best(data):
        return gzip.compress(data, compresslevel=9, mtime=0)

    ENCODER = "zlib level 9"


def main():
    site = sys.argv[1] if len(sys.argv) > 1 else "target/site"
    saved = 0
    count = 0
    for root, _dirs, files in os.walk(site):
        for name in files:
            if not name.endswith(".gz"):
                continue
            source = os.path.join(root, name[: -len(".gz")])
            if not os.path.exists(source):
                continue
            with open(source, "rb") as f:
                data = f.read()
            smaller = best(data)
            target = os.path.join(root, name)
            before = os.path.getsize(target)
            if len(smaller) < before:
                with open(target, "wb") as f:
                    f.write(smaller)
                saved += before - len(smaller)
                count += 1
    print(f"gzip-best ({ENCODER}): {count} files recompressed, {saved / 1024:.1f} KB smaller")


if __name__ == "__main__":
    main()
