#!/usr/bin/env python3
"""One file per lazy WASM split, so that a page fetches its lazy code in one request each.

    python3 scripts/wasm-bundles.py [target/site/pkg]

`cargo leptos build --split` cuts the WASM into the main module and, for each split point (a
lazy island, a `#[lazy]` function), the split's own module plus the chunks it shares with other
splits: 94 files for 14 splits. Its loader (`__wasm_split.*.js`) fetches each one alone, and
leptos' island script loads a page's lazy islands one after the other, so the campaign page
fetched 56 files in 4 sequential waves before it was interactive (issue 34; on a phone's 150 ms
round trip each wave is a round trip at least, and a browser opens 6 connections per host).

This script, run on the release build (scripts/release-build.sh, before gzip-best.py):
- writes `bundle_<split>.bin` for each split (its name without the hash), holding every file
  the split needs: a little-endian u32 N, N bytes of JSON `{file: [offset, length]}`, then the
  files one after the other (offsets counted from the end of the JSON), with `.br` and `.gz`
  beside it;
- patches the loader (and its `.br` and `.gz`): when a split is loaded, its bundle is fetched
  (one request) when the page announced it with `<link rel="preload" href=".../bundle_<split>.bin">`
  (app::components::LazyCode, beside each lazy island: the browser fetches it with the main
  module, in the first wave) or when two or more of its files are not under way yet; each file
  is then taken from a bundle under way that holds it, else fetched alone as before. A bundle
  that cannot be fetched falls back to the files.

Fails (exit 1) when the loader does not look as expected (a cargo-leptos upgrade): better no
build than a page that silently loads its code file by file.
"""

import gzip
import json
import os
import re
import struct
import sys

import brotli

BUNDLE = "bundle_{}.bin"

RUNTIME = r"""
// Added by scripts/wasm-bundles.py: each split's files in one request (issue 34).
const __bundleFiles = %s;
const __bundles = new Map();
const __fileStarted = new Set();
const __fileBundle = new Map();
function __bundle(split) {
    let b = __bundles.get(split);
    if (b === undefined) {
        b = fetch(new URL("./%s".replace("{}", split), import.meta.url))
            .then((r) => { if (!r.ok) throw new Error(r.status); return r.arrayBuffer(); })
            .then((buf) => {
                const n = new DataView(buf).getUint32(0, true);
                const index = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, n)));
                return { buf, index, base: 4 + n };
            });
        __bundles.set(split, b);
    }
    return b;
}
function __startBundle(name) {
    const split = name.replace(/_\d+$/, "");
    const files = __bundleFiles[split];
    if (files === undefined || __bundles.has(split)) return;
    const announced = document.querySelector('link[rel="preload"][href$="/%s"]'.replace("{}", split));
    if (announced || files.filter((f) => !__fileStarted.has(f)).length > 1) {
        __bundle(split);
        for (const f of files) if (!__fileBundle.has(f)) __fileBundle.set(f, split);
    }
}
function __fetchFile(file, url) {
    __fileStarted.add(file);
    const split = __fileBundle.get(file);
    if (split === undefined) return fetch(url);
    return __bundle(split).then(
        ({ buf, index, base }) => {
            const [offset, length] = index[file];
            return new Response(new Uint8Array(buf, base + offset, length), {
                headers: { "Content-Type": "application/wasm" },
            });
        },
        () => fetch(url),
    );
}
"""


def split_of(name):
    """A split point's name without its hash (`creative_preview_loader_629…` → `creative_preview_loader`)."""
    return re.sub(r"_\d+$", "", name)


def compressed(path, data):
    with open(path + ".br", "wb") as f:
        f.write(brotli.compress(data, quality=11))
    with open(path + ".gz", "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))


def fail(message):
    print(f"wasm-bundles.py: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    pkg = sys.argv[1] if len(sys.argv) > 1 else "target/site/pkg"
    with open(os.path.join(pkg, "__wasm_split_manifest.json")) as f:
        manifest = json.load(f)
    loaders = [n for n in os.listdir(pkg) if n.startswith("__wasm_split.") and n.endswith(".js")]
    if len(loaders) != 1:
        fail(f"expected one __wasm_split.*.js in {pkg}, found {loaders}")
    loader = os.path.join(pkg, loaders[0])
    with open(loader) as f:
        js = f.read()
    if "__bundleFiles" in js:
        # cargo-leptos did not write the loader again, so neither did it split again: the
        # bundles written last time still hold these files.
        missing = [n for n in manifest if not os.path.exists(os.path.join(pkg, BUNDLE.format(split_of(n))))]
        if missing:
            fail(f"{loader} is patched but bundles are missing: {missing}")
        print("wasm-bundles.py: the loader and its bundles are already there")
        return

    files_of = {}
    for name, files in sorted(manifest.items()):
        split = split_of(name)
        if split in files_of:
            fail(f"two splits are called {split}")
        files_of[split] = files
        index, parts, offset = {}, [], 0
        for file in files:
            with open(os.path.join(pkg, file + ".wasm"), "rb") as f:
                data = f.read()
            index[file] = [offset, len(data)]
            parts.append(data)
            offset += len(data)
        header = json.dumps(index, separators=(",", ":")).encode()
        blob = struct.pack("<I", len(header)) + header + b"".join(parts)
        path = os.path.join(pkg, BUNDLE.format(split))
        with open(path, "wb") as f:
            f.write(blob)
        compressed(path, blob)

    # The loader: each file through __fetchFile, each split's load starts its bundle.
    fetch = re.compile(r'fetch\(new URL\("\./(\w+)\.wasm", import\.meta\.url\)\)')
    js, fetches = fetch.subn(lambda m: f'__fetchFile("{m[1]}", new URL("./{m[1]}.wasm", import.meta.url))', js)
    expected = sum(1 for _ in {f for files in manifest.values() for f in files})
    if fetches != expected:
        fail(f"found {fetches} file fetches in the loader, the manifest names {expected} files")
    js, exports = re.subn(
        r"(export const __wasm_split_load_(\w+) = wrapAsyncCb\()makeLoad\(", r'\1"\2", makeLoad(', js
    )
    if exports != len(manifest):
        fail(f"found {exports} split exports in the loader, the manifest names {len(manifest)}")
    head = "function wrapAsyncCb(callee) {\n    return async (callbackIndex, callbackData) => {\n        let success;\n        try {\n            await callee();"
    if js.count(head) != 1:
        fail("the loader's wrapAsyncCb is not the one this script knows")
    js = js.replace(head, head.replace("(callee)", "(name, callee)").replace("await callee();", "__startBundle(name);\n            await callee();"))
    first_line_end = js.index("\n") + 1
    if not js.startswith("import "):
        fail("the loader does not start with its import")
    runtime = RUNTIME % (json.dumps(files_of, separators=(",", ":")), BUNDLE, BUNDLE)
    js = js[:first_line_end] + runtime + js[first_line_end:]
    with open(loader, "w") as f:
        f.write(js)
    compressed(loader, js.encode())
    sizes = sorted(
        (os.path.getsize(os.path.join(pkg, BUNDLE.format(s) + ".br")), s) for s in files_of
    )
    print(f"wasm-bundles.py: {len(files_of)} bundles, {fetches} files; brotli KB: "
          + ", ".join(f"{s} {n / 1024:.1f}" for n, s in sizes))


if __name__ == "__main__":
    main()
