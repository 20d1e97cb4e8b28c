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
csv="$dir/links-$rows.csv"

# The same build as the app's (cargo-leptos sets its own flags; a plain cargo build would
# rebuild everything).
# shellcheck source=scripts/tools.sh
. scripts/tools.sh
cargo leptos build --release --server-only >&2

if [ ! -f "$csv" ]; then
  echo "generating $csv" >&2
  python3 - "$rows" "$csv" <<'PY'
import sys
rows, path = int(sys.argv[1]), sys.argv[2]
campaigns = ["Spring Sale 2025", "black-friday", "Café Crème Launch", "retargeting-q4", "CRM Trial"]
topics = ["project-management-tools", "CRM software", "budget apps", "", "team chat"]
with open(path, "w", encoding="utf-8") as f:
    f.write("url,campaign,medium,content,term,id,notes\n")
    for i in range(rows):
        c = campaigns[i % 5]
        f.write(f"https://www.example.com/landing/{i % 977}?plan=pro&ref=ad{i % 13},{c},{'cpc' if i % 3 else 'CPM'},headline-v{i % 7},{topics[i % 5]},C-{i % 101},row {i}\n")
PY
fi

bytes=$(stat -c %s "$csv")
echo "input: $rows rows, $((bytes / 1024 / 1024)) MiB" >&2
out=$( { /usr/bin/time -f '%e %M' taskset -c 0 target/release/utmforge tag --csv "$csv" > /dev/null; } 2>&1 | tail -n1 )
secs=${out% *}
kib=${out#* }
python3 -c "
rows, secs, kib = $rows, float('$secs'), int('$kib')
print(f'utmforge tag --csv: {rows:,} rows in {secs:.2f} s on one core = {rows/secs:,.0f} rows/s; peak memory {kib/1024:.1f} MiB')
"
