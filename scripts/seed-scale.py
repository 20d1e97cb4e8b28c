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

With --insights-days N, the first campaign is also linked to ChatGPT Ads (an ad per creative)
and each ad has N days of results ending today (UTC), as a pull would have kept them: the
results benchmark (scripts/bench-results.sh) reads them.
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


INSIGHT_COLUMNS = ("ad_id, day, campaign_id, creative_id, impressions, clicks, spend_micros, "
                   "conversions, sales_micros, pulled_at")
AD_LINK_COLUMNS = "creative_id, campaign_id, ad_id, ad_name, target_url, linked_at"


def insight_rows(camp_rows, creative_rows, days, now):
    """The first campaign's ads (one per creative) and `days` days of results for each."""
    if days <= 0:
        return [], [], []
    cid = camp_rows[0][0]
    mine = [k for k in creative_rows if k[1] == cid]
    links = [(k[0], cid, f"ad_{v:05}", k[2], None, now) for v, k in enumerate(mine)]
    today = now // DAY * DAY
    insights = []
    for v, k in enumerate(mine):
        for d in range(days):
            day = time.strftime("%Y-%m-%d", time.gmtime((today - d * DAY) / 1000))
            impressions = 800 + (v * 37 + d * 11) % 900
            clicks = impressions // (20 + v % 30)
            spend = None if d == 0 and v % 10 == 0 else clicks * (400_000 + v % 7 * 50_000)
            sales = clicks * 2_000_000 if v % 3 == 0 else None
            insights.append((f"ad_{v:05}", day, cid, k[0], impressions, clicks, spend,
                             round(clicks / 25, 2), sales, now))
    group = [(cid, "cmpn_bench", "Bench", "adgrp_bench", "Bench group", now)]
    return group, links, insights


# Each campaign's days, its ads summed (a pull keeps them so).
ROLLUP = ("INSERT INTO ad_campaign_days SELECT campaign_id, day, SUM(impressions), SUM(clicks), "
          "SUM(spend_micros), SUM(conversions), SUM(sales_micros) FROM ad_insights "
          "GROUP BY campaign_id, day")


def pulls(group):
    """When each linked campaign was last pulled (as a pull records it)."""
    return [(g[0], g[5]) for g in group]


def seed_sqlite(path, camp_rows, creative_rows, ads=([], [], [])):
    group, links, insights = ads
    db = sqlite3.connect(path)
    with db:
        db.executemany(f"INSERT INTO campaigns ({CAMPAIGN_COLUMNS}) VALUES ({','.join('?' * 13)})", camp_rows)
        db.executemany(f"INSERT INTO creatives ({CREATIVE_COLUMNS}) VALUES ({','.join('?' * 11)})", creative_rows)
        db.executemany("INSERT INTO ads_campaign_links VALUES (?, ?, ?, ?, ?, ?)", group)
        db.executemany(f"INSERT INTO ad_links ({AD_LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", links)
        db.executemany(f"INSERT INTO ad_insights ({INSIGHT_COLUMNS}) VALUES ({','.join('?' * 10)})", insights)
        db.executemany("INSERT INTO ad_insights_pulls (campaign_id, pulled_at) VALUES (?, ?)", pulls(group))
        db.execute(ROLLUP)
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


def seed_postgres(url, camp_rows, creative_rows, ads=([], [], [])):
    group, links, insights = ads
    # NULL '' would turn the empty notes and headlines into NULL: give them a space-free value.
    camp_rows = [r[:8] + ("-",) + r[9:] for r in camp_rows]
    creative_rows = [r[:6] + ("-", "-") + r[8:] for r in creative_rows]
    copy_pg(url, "campaigns", CAMPAIGN_COLUMNS, camp_rows)
    copy_pg(url, "creatives", CREATIVE_COLUMNS, creative_rows)
    if insights:
        copy_pg(url, "ads_campaign_links", "campaign_id, ads_campaign_id, ads_campaign_name, "
                "ad_group_id, ad_group_name, linked_at", group)
        copy_pg(url, "ad_links", AD_LINK_COLUMNS, links)
        copy_pg(url, "ad_insights", INSIGHT_COLUMNS, insights)
        copy_pg(url, "ad_insights_pulls", "campaign_id, pulled_at", pulls(group))
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", ROLLUP], check=True)
    subprocess.run(["psql", "-q", url, "-c", "ANALYZE campaigns; ANALYZE creatives; ANALYZE link_history; "
                    "ANALYZE ad_insights"], check=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("database_url")
    p.add_argument("--campaigns", type=int, default=10_000)
    p.add_argument("--creatives", type=int, default=300_000)
    p.add_argument("--insights-days", type=int, default=0)
    a = p.parse_args()
    started = time.time()
    now = int(time.time() * 1000)
    camp_rows, creative_rows = rows(a.campaigns, a.creatives, now)
    ads = insight_rows(camp_rows, creative_rows, a.insights_days, now)
    if a.database_url.startswith("sqlite://"):
        seed_sqlite(a.database_url[len("sqlite://"):].split("?")[0], camp_rows, creative_rows, ads)
    elif a.database_url.startswith(("postgres://", "postgresql://")):
        seed_postgres(a.database_url, camp_rows, creative_rows, ads)
    else:
        sys.exit("seed-scale: give a sqlite:// or postgres:// URL")
    print(f"seeded {len(camp_rows):,} campaigns, {len(creative_rows):,} creatives and "
          f"{len(ads[2]):,} days of ad results in {time.time() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
