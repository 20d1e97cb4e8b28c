#!/usr/bin/env python3
"""The first-load weight of every page, read from the built files; fails over the budget.

    python3 scripts/first-load.py [--site target/site] [--max-br KB] [--max-gz KB]

The server renders every page; the browser loads WASM only for its islands. A page's first load
is the HTML, the stylesheet, the JS glue, the WASM loader, the main WASM (the islands every
page may carry: the form, the copy button, the hydration marker) and the chunks of the lazy
islands that page shows (PAGES below; `end2end/tests/lazy.spec.ts` checks in a browser that
each page fetches exactly these). The chunks come from cargo-leptos'
`__wasm_split_manifest.json`. Sizes are those of the precompressed files the server sends
(`.br` and `.gz`, from `cargo leptos build --release --precompress --split`). The HTML is not a
built file: HTML_ALLOWANCE stands for it (pages measured with curl are 2.0-4.1 KB compressed; a
campaign page with dozens of creatives is more).

Also prints the chunks fetched after the page is interactive (the browser's tagging), which
are not part of any first load.
"""

import argparse
import json
import os
import re
import sys

# Compressed HTML of a page, generously (measured: 2.0-4.1 KB).
HTML_ALLOWANCE = {"br": 10 * 1024, "gz": 12 * 1024}
# Split points that are not islands: loaded once the page is interactive, or when a button is
# first pressed (the link check's work: Check links, Follow links).
AFTER_INTERACTIVE = ("creative_preview_", "campaign_slug_preview_", "run_campaign_check_",
                     "run_url_check_")
# The lazy islands (`#[island(lazy)]`, split point `<island>_loader_<hash>`) of each page.
PAGES = {
    "/": ["parameters"],
    "/campaigns": [],
    "/campaigns/new": ["slug_preview"],
    "/campaigns/:id": ["creative_preview", "import_done", "check_links_button"],
    "/campaigns/:id/import": ["import_card"],
    "/campaigns/:id/bulk": [],
    "/campaigns/:id/edit": ["slug_preview"],
    "/campaigns/:id/creatives/:cid": ["creative_preview"],
    "/campaigns/:id/ga4": [],
    "/campaigns/:id/ads": [],
    "/campaigns/:id/results": [],
    "/campaigns/:id/activity": ["activity_list"],
    "/ga4": [],
    "/audit": ["audit"],
    "/tracking": [],
    "/settings": [],
    "/trash": [],
    "/api": [],
    "/login": [],
    "/setup": [],
    "/invite": [],
    "/people": ["new_invitation_link"],
    "/tokens": ["new_token_secret"],
    "/activity": ["activity_list"],
}


def size(pkg, name, enc):
    path = os.path.join(pkg, f"{name}.{enc}")
    if not os.path.exists(path):
        sys.exit(f"first-load: {path} is missing; build with --precompress --split")
    return os.path.getsize(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="target/site")
    parser.add_argument("--max-br", type=float, default=200, help="budget in KB, brotli")
    parser.add_argument("--max-gz", type=float, default=300, help="budget in KB, gzip")
    args = parser.parse_args()

    pkg = os.path.join(args.site, "pkg")
    manifest_path = os.path.join(pkg, "__wasm_split_manifest.json")
    if not os.path.exists(manifest_path):
        sys.exit(f"first-load: {manifest_path} is missing; build with --split")
    with open(manifest_path) as f:
        manifest = json.load(f)
    loader = next(n for n in os.listdir(pkg) if re.fullmatch(r"__wasm_split\.[^.]+\.js", n))
    shell = ["utmforge.css", "utmforge.js", loader, "utmforge.wasm"]

    islands = {}
    later = {}
    for key, chunks in manifest.items():
        m = re.fullmatch(r"(\w+?)_loader_\d+", key)
        files = [f"{c}.wasm" for c in chunks]
        if m:
            islands[m.group(1)] = files
        elif key.startswith(AFTER_INTERACTIVE):
            later[key.rsplit("_", 1)[0]] = files
        else:
            sys.exit(f"first-load: unexpected split point {key}: an island or a helper?")
    unknown = {i for used in PAGES.values() for i in used} ^ set(islands)
    if unknown:
        sys.exit(f"first-load: lazy islands built and PAGES disagree: {', '.join(sorted(unknown))}")

    def weight(files, enc):
        return sum(size(pkg, f, enc) for f in files)

    shell_br, shell_gz = weight(shell, "br"), weight(shell, "gz")
    print(f"app shell (CSS, JS, WASM loader, main WASM): {shell_br / 1024:.1f} KB brotli, "
          f"{shell_gz / 1024:.1f} KB gzip; HTML counted as {HTML_ALLOWANCE['br'] // 1024}/"
          f"{HTML_ALLOWANCE['gz'] // 1024} KB")
    print(f"{'page':<30}{'files':>6}{'chunks br':>11}{'first load br':>15}"
          f"{'chunks gz':>11}{'first load gz':>15}")
    over = []
    worst = {"br": 0, "gz": 0}
    for route, used in PAGES.items():
        files = sorted({f for i in used for f in islands[i]})
        chunk_br, chunk_gz = weight(files, "br"), weight(files, "gz")
        total_br = HTML_ALLOWANCE["br"] + shell_br + chunk_br
        total_gz = HTML_ALLOWANCE["gz"] + shell_gz + chunk_gz
        worst["br"], worst["gz"] = max(worst["br"], total_br), max(worst["gz"], total_gz)
        flag = ""
        if total_br > args.max_br * 1024 or total_gz > args.max_gz * 1024:
            over.append(route)
            flag = "  OVER BUDGET"
        print(f"{route:<30}{len(files) + len(shell):>6}{chunk_br / 1024:>11.1f}"
              f"{total_br / 1024:>15.1f}{chunk_gz / 1024:>11.1f}{total_gz / 1024:>15.1f}{flag}")
    for name, files in sorted(later.items()):
        print(f"after interactive: {name}: {len(files)} files, {weight(files, 'br') / 1024:.1f} KB "
              f"brotli, {weight(files, 'gz') / 1024:.1f} KB gzip")
    print(f"largest first load: {worst['br'] / 1024:.1f} KB brotli, {worst['gz'] / 1024:.1f} KB "
          f"gzip; budget {args.max_br:g} KB brotli, {args.max_gz:g} KB gzip")
    if over:
        sys.exit(f"first-load: over budget: {', '.join(over)}")


if __name__ == "__main__":
    main()
