// A strict double of OpenAI's Advertiser API for the browser tests, on loopback (the real API is
// not reachable from here, and a test must not touch a real ad account). Built from the
// documentation, like server/tests/common/ads_api.rs (which the Rust tests use): one bearer key
// is one account; lists take only their documented parameters (limit 1–500, after, before,
// order, the parent id) and answer {object, data, first_id, last_id, has_more}; GET /ads/{id}
// takes only include[]=serving_issues; an ad update takes only name, status and a full
// chat_card creative (type, title 3–50, body ≤ 100, target_url http(s) ≤ 2048, file_id), and
// sends the ad back to review; POST /upload takes {image_url} as JSON or one multipart part
// `file` (a JPEG, PNG or WebP by its signature; a PNG at least 640×640); POST /ads validates the new ad and
// replays the first answer to a repeated Idempotency-Key (another body under it is refused). Anything else is answered as OpenAI would (400) and recorded as a
// violation; GET /__test/violations lists them, POST /__test/ads adds an ad and GET /__test/ads
// lists them, POST /__test/insights adds a daily results row (test set-up and checks only).
// GET /ad_groups/{id}/insights takes only the documented parameters (aggregation_level,
// time_granularity, a unix_range time_ranges[] not in the future, known fields[], limit 1–2000,
// after/before cursors) and answers the ad group's ads' daily rows with flattened keys.
import http from 'node:http';

const port = Number(process.env.UTMFORGE_E2E_ADS_PORT ?? 3108);
const key = process.env.UTMFORGE_E2E_ADS_KEY ?? 'sk-ads-e2e-key';
const campaigns = [{ id: 'cmpn_1', name: 'Spring in ChatGPT', status: 'active' }];
const groups = [{ id: 'adgrp_1', campaign_id: 'cmpn_1', name: 'US English', status: 'active', bidding_config: { billing_event_type: 'impression', max_bid_micros: 60000 } }];
const ads = [];
// Insights rows (one per ad and day, flattened keys), as a test put them in (POST /__test/insights).
const insights = [];
const METRICS = ['impressions', 'clicks', 'spend', 'ctr', 'cpc', 'cpm', 'conversions', 'cpa', 'post_click_cvr', 'order_created_attributed_sales', 'order_created_roas'];
const knownField = (f) => {
  const [scope, name] = f.split('.');
  if (scope === 'metadata') return ['readable_time', 'start_time', 'end_time', 'timezone'].includes(name);
  return ['ad', 'ad_group', 'campaign', 'ad_account'].includes(scope) && (name === 'id' || name === 'name' || METRICS.includes(name));
};
const violations = [];
// Creates by Idempotency-Key: [body as JSON text, answer] (a retry gets the first answer).
const created = new Map();
let uploads = 0;

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const refuse = (res, what, message) => {
  violations.push(`${what}: ${message}`);
  send(res, 400, { error: { message, type: 'invalid_request_error' } });
};

function list(res, what, url, items, parent) {
  let limit = 20;
  let after = null;
  let parentValue = null;
  for (const [k, v] of url.searchParams) {
    if (k === 'limit') {
      limit = Number(v);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) return refuse(res, what, `limit must be between 1 and 500`);
    } else if (k === 'after') after = v;
    else if (k === 'before' || (k === 'order' && (v === 'asc' || v === 'desc'))) {}
    else if (k === parent) parentValue = v;
    else return refuse(res, what, `unknown parameter ${k}`);
  }
  if (parent && parentValue === null) return refuse(res, what, `${parent} is required`);
  let data = parent ? items.filter((i) => i[parent] === parentValue) : items;
  if (after !== null) {
    const at = data.findIndex((i) => i.id === after);
    if (at < 0) return refuse(res, what, `no such cursor ${after}`);
    data = data.slice(at + 1);
  }
  const has_more = data.length > limit;
  data = data.slice(0, limit);
  send(res, 200, { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more });
}

function creativeProblem(c) {
  if (!c || typeof c !== 'object') return 'creative must be an object';
  const allowed = ['type', 'title', 'body', 'target_url', 'file_id'];
  for (const k of Object.keys(c)) if (!allowed.includes(k)) return `unknown creative field ${k}`;
  for (const k of allowed) if (typeof c[k] !== 'string') return `creative.${k} is required (send the full creative object)`;
  if (c.type !== 'chat_card') return 'creative.type must be chat_card';
  if ([...c.title].length < 3 || [...c.title].length > 50 || !c.title.trim()) return 'creative.title must be 3 to 50 characters';
  if ([...c.body].length > 100) return 'creative.body must be at most 100 characters';
  if (!/^https?:\/\//i.test(c.target_url) || [...c.target_url].length > 2048) return 'creative.target_url must be an http(s) URL of at most 2048 characters';
  return null;
}

http
  .createServer((req, res) => {
    const url = new URL(req.url, `http://127.0.0.1:${port}`);
    const what = `${req.method} ${url.pathname}${url.search}`;
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const bytes = Buffer.concat(chunks);
      const raw = bytes.toString('utf8');
      if (url.pathname === '/healthz') return send(res, 200, { ok: true });
      if (url.pathname === '/__test/violations') return send(res, 200, violations);
      if (url.pathname === '/__test/ads' && req.method === 'POST') {
        const ad = JSON.parse(raw);
        ads.push({ ad_group_id: 'adgrp_1', status: 'active', review_status: 'approved', created_at: 1735689800, updated_at: 1735689800,
          ...ad, creative: { type: 'chat_card', title: 'Spring sale', body: 'Up to 30% off.', file_id: 'file_901', image_url: 'https://cdn.openai.com/ads/file_901.png', ...ad.creative } });
        return send(res, 200, { ok: true });
      }
      if (url.pathname === '/__test/ads' && req.method === 'GET') return send(res, 200, ads);
      if (url.pathname === '/__test/insights' && req.method === 'POST') {
        const row = JSON.parse(raw);
        const id = `ins_${row.ad_id}_${row.readable_time}`;
        const at = insights.findIndex((r) => r.id === id);
        if (at >= 0) insights.splice(at, 1);
        insights.push({ id, end_time: row.start_time + 86400, timezone: 'America/New_York', ...row });
        return send(res, 200, { ok: true });
      }
      if (url.pathname.startsWith('/__test/ads/') && req.method === 'GET') {
        return send(res, 200, ads.find((a) => a.id === url.pathname.slice('/__test/ads/'.length)) ?? null);
      }
      if (req.headers.authorization !== `Bearer ${key}`) return send(res, 401, { error: { message: 'Invalid API key' } });
      if (req.method === 'GET' && url.pathname === '/v1/ad_account') {
        if ([...url.searchParams].length) return refuse(res, what, 'this endpoint takes no query parameters');
        return send(res, 200, { id: 'act_123', name: 'Acme Ads', url: 'https://www.acme.example', status: 'active', timezone: 'America/New_York', currency_code: 'USD', review: { status: 'approved' } });
      }
      if (req.method === 'GET' && url.pathname === '/v1/campaigns') return list(res, what, url, campaigns, null);
      if (req.method === 'GET' && url.pathname === '/v1/ad_groups') return list(res, what, url, groups, 'campaign_id');
      if (req.method === 'GET' && url.pathname === '/v1/ads') return list(res, what, url, ads, 'ad_group_id');
      if (req.method === 'POST' && url.pathname === '/v1/upload' && (req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
        let form;
        try { form = await new Response(bytes, { headers: { 'content-type': req.headers['content-type'] } }).formData(); } catch { return refuse(res, what, 'unreadable multipart body'); }
        const names = [...form.keys()];
        if (names.length !== 1 || names[0] !== 'file') return refuse(res, what, `the only part is one file, not ${names.join(', ')}`);
        const file = Buffer.from(await form.get('file').arrayBuffer());
        const png = file.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
        const jpeg = file[0] === 0xff && file[1] === 0xd8 && file[2] === 0xff;
        const webp = file.subarray(0, 4).toString() === 'RIFF' && file.subarray(8, 12).toString() === 'WEBP';
        if (!png && !jpeg && !webp) return refuse(res, what, 'the file must be a JPEG, PNG or WebP image');
        if (png && (file.length < 24 || file.readUInt32BE(16) < 640 || file.readUInt32BE(20) < 640)) return refuse(res, what, 'the image must be at least 640×640');
        uploads += 1;
        return send(res, 200, { file_id: `file_${900 + uploads}` });
      }
      if (req.method === 'POST' && url.pathname === '/v1/upload') {
        let body;
        try { body = JSON.parse(raw); } catch { return refuse(res, what, 'send image_url as JSON'); }
        if (Object.keys(body).some((k) => k !== 'image_url') || !/^https?:\/\//.test(body.image_url ?? '')) return refuse(res, what, 'image_url (an http(s) URL) is the only field');
        uploads += 1;
        return send(res, 200, { file_id: `file_${900 + uploads}` });
      }
      if (req.method === 'POST' && url.pathname === '/v1/ads') {
        const key = req.headers['idempotency-key'];
        if (key && created.has(key)) {
          const [body, answer] = created.get(key);
          if (body !== raw) return refuse(res, what, `Idempotency-Key ${key} reused with another body`);
          return send(res, 200, answer);
        }
        let body;
        try { body = JSON.parse(raw); } catch { return refuse(res, what, 'the body is not JSON'); }
        for (const k of Object.keys(body)) if (!['ad_group_id', 'name', 'status', 'creative'].includes(k)) return refuse(res, what, `unknown field ${k}`);
        if (!groups.some((g) => g.id === body.ad_group_id)) return refuse(res, what, `no ad group ${body.ad_group_id}`);
        if (typeof body.name !== 'string' || [...body.name].length < 3 || !body.name.trim()) return refuse(res, what, 'name must be 3 to 1000 characters');
        if (!['active', 'paused'].includes(body.status)) return refuse(res, what, 'status must be active or paused');
        const why = creativeProblem(body.creative);
        if (why) return refuse(res, what, why);
        const ad = { ...body, id: `ad_${7000 + ads.length}`, review_status: 'in_review', created_at: 1735689900, updated_at: 1735689900 };
        ads.push(ad);
        if (key) created.set(key, [raw, ad]);
        return send(res, 200, ad);
      }
      const group = url.pathname.match(/^\/v1\/ad_groups\/([A-Za-z0-9_-]+)\/insights$/);
      if (group && req.method === 'GET') {
        let limit = 20, after = null, window = null, level = 'ad_group', granularity = 'daily';
        const fields = [];
        const now = Math.floor(Date.now() / 1000);
        for (const [k, v] of url.searchParams) {
          if (k === 'aggregation_level' && ['ad_group', 'ad'].includes(v)) level = v;
          else if (k === 'time_granularity' && ['hourly', 'daily', 'monthly', 'none'].includes(v)) granularity = v;
          else if (k === 'time_ranges[]') {
            let r;
            try { r = JSON.parse(v); } catch { return refuse(res, what, 'time_ranges[] must be JSON'); }
            if (r.type !== 'unix_range' || !Number.isInteger(r.start) || !Number.isInteger(r.end) || Object.keys(r).length !== 3) return refuse(res, what, 'this double serves unix_range windows {type, start, end}');
            if (r.start >= r.end || r.end > now + 5 || r.start < now - 5 * 366 * 86400) return refuse(res, what, 'the window must lie within 5 years and not in the future');
            window = [r.start, r.end];
          } else if (k === 'fields[]' && knownField(v)) fields.push(v);
          else if (k === 'limit') {
            limit = Number(v);
            if (!Number.isInteger(limit) || limit < 1 || limit > 2000) return refuse(res, what, 'limit must be between 1 and 2000');
          } else if (k === 'after') after = v;
          else if (['before', 'filters[]', 'sort[]', 'includes[]'].includes(k)) {}
          else return refuse(res, what, `unknown parameter ${k}=${v}`);
        }
        if (level !== 'ad' || granularity !== 'daily') return refuse(res, what, 'this double serves daily rows per ad');
        if (!groups.some((g) => g.id === group[1])) return refuse(res, what, `no ad group ${group[1]}`);
        const [start, end] = window ?? [now - 30 * 86400, now];
        const mine = new Set(ads.filter((a) => a.ad_group_id === group[1]).map((a) => a.id));
        let data = insights
          .filter((r) => mine.has(r.ad_id) && r.start_time >= start && r.start_time < end)
          .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => ['id', 'ad_id', 'start_time', 'end_time', 'readable_time', 'timezone'].includes(k) || fields.some((f) => f.endsWith(`.${k}`)))));
        if (after !== null) {
          const at = data.findIndex((r) => r.id === after);
          if (at < 0) return refuse(res, what, `no such cursor ${after}`);
          data = data.slice(at + 1);
        }
        const has_more = data.length > limit;
        data = data.slice(0, limit);
        return send(res, 200, { object: 'list', data, count: data.length, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more });
      }
      const one = url.pathname.match(/^\/v1\/ads\/([A-Za-z0-9_-]+)$/);
      if (one) {
        const ad = ads.find((a) => a.id === one[1]);
        if (req.method === 'GET') {
          for (const [k, v] of url.searchParams) if (!(k === 'include[]' && v === 'serving_issues')) return refuse(res, what, `unknown parameter ${k}=${v}`);
          if (!ad) return send(res, 404, { error: { message: `No ad with id ${one[1]}` } });
          return send(res, 200, { ...ad, serving_issues: [] });
        }
        if (req.method === 'POST') {
          if (req.headers['content-type'] !== 'application/json') return refuse(res, what, 'Content-Type must be application/json');
          let update;
          try { update = JSON.parse(raw); } catch { return refuse(res, what, 'the body is not JSON'); }
          for (const k of Object.keys(update)) if (!['name', 'status', 'creative'].includes(k)) return refuse(res, what, `unknown field ${k}`);
          if ('creative' in update) {
            const why = creativeProblem(update.creative);
            if (why) return refuse(res, what, why);
          }
          if (!ad) return send(res, 404, { error: { message: `No ad with id ${one[1]}` } });
          if (update.creative) {
            ad.creative = { ...update.creative, image_url: ad.creative.image_url };
            ad.review_status = 'in_review';
          }
          if (update.name) ad.name = update.name;
          if (update.status) ad.status = update.status;
          return send(res, 200, ad);
        }
      }
      violations.push(`${what}: no such endpoint`);
      send(res, 404, { error: { message: 'Not found' } });
    });
  })
  .listen(port, '127.0.0.1');
