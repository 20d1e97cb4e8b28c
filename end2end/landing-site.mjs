// The landing site of the link-check browser tests and of scripts/bench-linkcheck.sh, on
// loopback (no test reaches the internet): a page with GA4 and the ads pixel in <head>, a
// redirect that keeps the query, one that drops it, a 404, and a page with the pixel in <body>.
// Under /slow/N/… the same pages answer after N milliseconds (a site's own response time).
import http from 'node:http';

const port = Number(process.env.UTMFORGE_E2E_LANDING_PORT ?? 3109);
const head = `<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST123"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('config', 'G-TEST123');</script>`;
const pixel = `<script>(function (w, d, s, u) { if (w.oaiq) return; var q = function () { q.q.push(arguments); }; q.q = []; w.oaiq = q; var js = d.createElement(s); js.async = true; js.src = u; var f = d.getElementsByTagName(s)[0]; f.parentNode.insertBefore(js, f); })(window, document, "script", "https://bzrcdn.openai.com/sdk/oaiq.min.js"); oaiq("init", { pixelId: "Px7test1" }); oaiq("measure", "page_viewed", { type: "contents" });</script>`;
const page = (h, body) => `<!DOCTYPE html><html><head><title>Landing</title>${h}</head><body><h1>Deals</h1>${body}</body></html>`;

http
  .createServer((req, res) => {
    const url = new URL(req.url, `http://127.0.0.1:${port}`);
    const slow = url.pathname.match(/^\/slow\/(\d+)(\/.*)$/);
    const prefix = slow ? `/slow/${slow[1]}` : '';
    const path = slow ? slow[2] : url.pathname;
    setTimeout(() => answer(url, prefix, path, res), slow ? Number(slow[1]) : 0);
  })
  .listen(port, '127.0.0.1');

function answer(url, prefix, path, res) {
  const html = (text) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(text); };
  const redirect = (to) => { res.writeHead(301, { location: to }); res.end(); };
  switch (path) {
    case '/healthz': return html('ok');
    case '/ok': return html(page(head + pixel, ''));
    case '/keep': return redirect(`${prefix}/ok${url.search}`);
    case '/drop': return redirect(`${prefix}/ok`);
    case '/pixel-in-body': return html(page(head, pixel));
    default: res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found');
  }
}
