// The landing site of the link-check browser tests, on loopback (no test reaches the
// internet): a page with GA4 and the ads pixel in <head>, a redirect that keeps the query, one
// that drops it, a 404, and a page with the pixel in <body>.
import http from 'node:http';

const port = Number(process.env.UTMFORGE_E2E_LANDING_PORT ?? 3101);
const head = `<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST123"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('config', 'G-TEST123');</script>`;
const pixel = `<script>oaiq("init", "oai-px-test1"); oaiq("measure", "page_viewed");</script>`;
const page = (h, body) => `<!DOCTYPE html><html><head><title>Landing</title>${h}</head><body><h1>Deals</h1>${body}</body></html>`;

http
  .createServer((req, res) => {
    const url = new URL(req.url, `http://127.0.0.1:${port}`);
    const html = (text) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(text); };
    const redirect = (to) => { res.writeHead(301, { location: to }); res.end(); };
    switch (url.pathname) {
      case '/healthz': return html('ok');
      case '/ok': return html(page(head + pixel, ''));
      case '/keep': return redirect(`/ok${url.search}`);
      case '/drop': return redirect('/ok');
      case '/pixel-in-body': return html(page(head, pixel));
      default: res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found');
    }
  })
  .listen(port, '127.0.0.1');
