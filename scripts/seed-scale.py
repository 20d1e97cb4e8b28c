#!/usr/bin/env python3
"""Seeds a migrated utmforge database with many campaigns and creatives, for the scale
benchmark (scripts/bench-scale.sh): by default 10,000 campaigns and 300,000 creatives, the
first campaign with 1,000 of them (the campaign page's worst case), the rest spread evenly.
Rows go straight into the tables (the store's own writes would take minutes): valid values,
unique slugs and variants, each campaign's creative count kept. The link history is not
written here: a server starting on the database starts it for every creative, as it does for a
database upgraded from before the history was kept.

  scripts/seed-scale.py sqlite:///tmp/x.db [--campaigns N] [--creatives N]
  scripts/seed-scale.py postgres://user:pass@host:port/db [...]     (loads with psql COPY)
"""
import argparse
import csv
import io
import subprocess
import sqlite3
import sys
import time
import uuid

STATUSES = ["active", "active", "paused", "draft", "archived"]
CONVERSIONS = ["order_created", "lead_created", "registration_completed", "trial_started"]
SEASONS = ["spring", "summer", "autumn", "winter"]
DAY = 86_400_000


def rows(campaigns, creatives, now):
    big = min(1000, creatives)
    rest = creatives - big
    per, extra = divmod(rest, max(campaigns - 1, 1))
    camp_rows, creative_rows = [], []
    for i in range(campaigns):
        cid = str(uuid.UUID(int=(0x0193 << 112) | i))
        count = big if i == 0 else per + (1 if i <= extra else 0)
        if campaigns == 1:
            count = creatives
        season = SEASONS[i % 4]
        name = f"{season.title()} Campaign {i:05}"
        slug = f"{season}-campaign-{i:05}"
        updated = now - (i * 7919 % 365) * DAY - i
        camp_rows.append((cid, name, slug, "cpc" if i % 3 else "cpm", None,
                          f"https://shop.example.com/{season}/{i}", CONVERSIONS[i % 4],
                          STATUSES[i % 5], "", 1, updated - DAY, updated, count))
        for v in range(count):
            kid = str(uuid.UUID(int=(0x0194 << 112) | (i << 20) | v))
            creative_rows.append((kid, cid, f"Creative {v:04}", f"creative-{v:04}",
                                  "crm-tools" if v % 5 == 0 else None,
                                  f"https://shop.example.com/lp/{v % 50}" if v % 7 == 0 else None,
                                  "", "", 1, updated - DAY + v, updated - DAY + v))
    return camp_rows, creative_rows


CAMPAIGN_COLUMNS = ("id, name, slug, buying_model, topic, landing_url, conversion, status, notes, "
                    "version, created_at, updated_at, creative_count")
CREATIVE_COLUMNS = ("id, campaign_id, variant, content, topic, landing_url, headline, notes, "
                    "version, created_at, updated_at")


def seed_sqlite(path, camp_rows, creative_rows):
    db = sqlite3.connect(path)
    with db:
        db.executemany(f"INSERT INTO campaigns ({CAMPAIGN_COLUMNS}) VALUES ({','.join('?' * 13)})", camp_rows)
        db.executemany(f"INSERT INTO creatives ({CREATIVE_COLUMNS}) VALUES ({','.join('?' * 11)})", creative_rows)
    db.execute("ANALYZE")
    db.close()


def copy_pg(url, table, columns, data):
    buf = io.StringIO()
    writer = csv.writer(buf)
    for r in data:
        writer.writerow(["" if v is None else v for v in r])
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '')"
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                   input=buf.getvalue(), text=True, check=True)


def seed_postgres(url, camp_rows, creative_rows):
    # NULL '' would turn the empty notes and headlines into NULL: give them a space-free value.
    camp_rows = [r[:8] + ("-",) + r[9:] for r in camp_rows]
    creative_rows = [r[:6] + ("-", "-") + r[8:] for r in creative_rows]
    copy_pg(url, "campaigns", CAMPAIGN_COLUMNS, camp_rows)
    copy_pg(url, "creatives", CREATIVE_COLUMNS, creative_rows)
    subprocess.run(["psql", "-q", url, "-c", "ANALYZE campaigns; ANALYZE creatives; ANALYZE link_history"], check=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("database_url")
    p.add_argument("--campaigns", type=int, default=10_000)
    p.add_argument("--creatives", type=int, default=300_000)
    a = p.parse_args()
    started = time.time()
    camp_rows, creative_rows = rows(a.campaigns, a.creatives, int(time.time() * 1000))
    if a.database_url.startswith("sqlite://"):
        seed_sqlite(a.database_url[len("sqlite://"):].split("?")[0], camp_rows, creative_rows)
    elif a.database_url.startswith(("postgres://", "postgresql://")):
        seed_postgres(a.database_url, camp_rows, creative_rows)
    else:
        sys.exit("seed-scale: give a sqlite:// or postgres:// URL")
    print(f"seeded {len(camp_rows):,} campaigns and {len(creative_rows):,} creatives "
          f"in {time.time() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
