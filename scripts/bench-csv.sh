#!/usr/bin/env bash
# Generates a CSV of ROWS rows (default 1,000,000) and times `utmforge tag --csv` on it,
# pinned to one core. Prints rows per second and the peak memory; run with 2x the rows to see
# that memory stays flat. Figures only: nothing here passes or fails.
#   scripts/bench-csv.sh [ROWS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rows="${1:-1000000}"
dir="target/bench"
mkdir -p "$dir"

# The same build as the app's (cargo-leptos sets its own flags; a plain cargo build would
# rebuild everything).
# shellcheck source=scripts/tools.sh
. scripts/tools.sh
cargo leptos build --release --server-only >&2

# Two sheets: a realistic one (a few thousand landing pages and a handful of campaigns, repeated
# across creatives and topics) and a worst case in which no landing URL appears twice, so that
# nothing the tagger remembers can help.
generate() {
  python3 - "$rows" "$1" "$2" <<'PY'
import sys
rows, path, distinct = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "distinct"
campaigns = ["Spring Sale 2025", "black-friday", "Café Crème Launch", "retargeting-q4", "CRM Trial"]
topics = ["project-management-tools", "CRM software", "budget apps", "", "team chat"]
with open(path, "w", encoding="utf-8") as f:
    f.write("url,campaign,medium,content,term,id,notes\n")
    for i in range(rows):
        c = campaigns[i % 5]
        page = i if distinct else i % 977
        f.write(f"https://www.example.com/landing/{page}?plan=pro&ref=ad{i % 13},{c},{'cpc' if i % 3 else 'CPM'},headline-v{i % 7},{topics[i % 5]},C-{i % 101},row {i}\n")
PY
}

run() {
  local csv="$1" label="$2"
  [ -f "$csv" ] || { echo "generating $csv" >&2; generate "$csv" "$3"; }
  local out secs kib
  out=$( { /usr/bin/time -f '%e %M' taskset -c 0 target/release/utmforge tag --csv "$csv" > /dev/null; } 2>&1 | tail -n1 )
  secs=${out% *}
  kib=${out#* }
  python3 -c "
rows, secs, kib = $rows, float('$secs'), int('$kib')
mib = $(stat -c %s "$csv") / 1048576
print(f'utmforge tag --csv, $label: {rows:,} rows ({mib:.0f} MiB) in {secs:.2f} s on one core = {rows/secs:,.0f} rows/s; peak memory {kib/1024:.1f} MiB')
"
}

run "$dir/links-$rows.csv" "landing pages repeat" repeat
run "$dir/links-distinct-$rows.csv" "every landing URL distinct" distinct
