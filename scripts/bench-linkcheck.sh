#!/usr/bin/env bash
# How long the link check of a 200-creative campaign takes against a local landing site
# (end2end/landing-site.mjs on loopback: no traffic leaves the machine), through the REST API
# the campaign page uses (POST /campaigns/{id}/check, then polling GET /checks/{id}) and
# through `utmforge check --campaign`. The creatives cycle through a redirect that keeps the
# query, a page, a redirect that drops it, a pixel in <body> and a 404; all on one host, so the
# limit of 2 checks at once per host sets the pace. Run once with pages that answer at once and
# once with pages that take 100 ms (a real site's server time). Figures, not assertions.
#
#   scripts/bench-linkcheck.sh [path/to/utmforge] [creatives]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary="$(realpath "${1:-target/release/utmforge}")"
creatives="${2:-200}"
work="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 100); do curl -fs "$1" >/dev/null 2>&1 && return; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

landing="$(free_port)"; app="$(free_port)"
UTMFORGE_E2E_LANDING_PORT="$landing" node end2end/landing-site.mjs & pids+=($!)
db="sqlite://$work/bench.db"
printf 'correct horse battery staple\n' | "$binary" user add --email bench@example.com --role owner --database-url "$db" >/dev/null
token="$("$binary" token create --email bench@example.com --name bench --database-url "$db" | tail -1)"
RUST_LOG=warn "$binary" serve --addr "127.0.0.1:$app" --database-url "$db" --link-check-allow-private & pids+=($!)
wait_for "http://127.0.0.1:$landing/healthz"; wait_for "http://127.0.0.1:$app/healthz"

python3 - "$app" "$landing" "$token" "$creatives" "$binary" "$db" <<'PY'
import json, subprocess, sys, time, urllib.request
app, landing, token, n, binary, db = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
api = f"http://127.0.0.1:{app}/api/v1"
def call(method, path, body=None):
    req = urllib.request.Request(api + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r) if r.status != 204 else None
paths = ["keep", "ok", "drop", "pixel-in-body", "missing"]
print(f"link check of {n} creatives, one host, 8 checks at once per process, 2 per host")
for delay in (0, 100):
    slug = f"bench-{delay}ms"
    c = call("POST", "/campaigns", {"name": slug, "buying_model": "cpc", "status": "active",
        "landing_url": f"http://127.0.0.1:{landing}/ok", "conversion": "lead_created"})
    for i in range(n):
        call("POST", f"/campaigns/{c['id']}/creatives", {"variant": f"creative {i}",
            "landing_url": f"http://127.0.0.1:{landing}/slow/{delay}/{paths[i % len(paths)]}"})
    started = time.monotonic()
    run = call("POST", f"/campaigns/{c['id']}/check")
    first, seen, polls = None, 0, 0
    while True:
        run = call("GET", f"/checks/{run['id']}?from={seen}")
        polls += 1
        if run["results"] and first is None:
            first = time.monotonic() - started
        seen += len(run["results"])
        if run["state"] != "running":
            break
        time.sleep(0.5)
    total = time.monotonic() - started
    verdicts = {}
    for s in call("GET", f"/campaigns/{c['id']}/check"):
        verdicts[s["report"]["verdict"]] = verdicts.get(s["report"]["verdict"], 0) + 1
    t = time.monotonic()
    out = subprocess.run([binary, "check", "--campaign", slug, "--json", "--link-check-allow-private",
        "--database-url", db], capture_output=True)
    cli = time.monotonic() - t
    assert len(json.loads(out.stdout)) == n, out.stderr
    print(f"pages answer after {delay:>3} ms: REST {total:5.1f} s for {seen} results "
          f"(first after {first:.2f} s, {polls} polls; {verdicts}); CLI {cli:5.1f} s")
PY
