// proxy.mjs — a small reverse proxy that serves corpusd under a path prefix (/corpus/ → corpusd's /), the
// way a deployment behind nginx would, so the tests check that the dashboard only uses relative URLs.
// With `staticDir`, files that exist there are served directly (a development aid before corpusd
// served web/ itself). Run directly: node proxy.mjs UPSTREAM_PORT LISTEN_PORT [PREFIX] [STATIC_DIR]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8' };

// The Content-Security-Policy a deployment can send with the dashboard; the proxy adds it to HTML pages so
// the tests prove the dashboard needs nothing looser (no inline script or style, no other origin).
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function startProxy({ upstreamPort, port = 0, prefix = '/corpus/', staticDir = null, csp = CSP }) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === prefix.replace(/\/$/, '')) { res.writeHead(301, { Location: prefix }); res.end(); return; }
    if (!url.pathname.startsWith(prefix)) { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('outside the prefix\n'); return; }
    const rest = '/' + url.pathname.slice(prefix.length);
    if (staticDir) {
      const file = path.join(staticDir, rest === '/' ? 'index.html' : path.normalize(rest));
      if (file.startsWith(staticDir) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        const type = TYPES[path.extname(file)] || 'application/octet-stream';
        res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', ...(csp && type.startsWith('text/html') ? { 'Content-Security-Policy': csp } : {}) });
        fs.createReadStream(file).pipe(res);
        return;
      }
    }
    const headers = { ...req.headers, host: `127.0.0.1:${upstreamPort}`, 'x-forwarded-prefix': prefix.replace(/\/$/, '') };
    const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: rest + url.search, headers }, (ur) => {
      const h = { ...ur.headers };
      if (csp && /text\/html/.test(h['content-type'] || '')) h['content-security-policy'] = csp;
      res.writeHead(ur.statusCode, h);
      ur.pipe(res);
    });
    up.on('error', (e) => { res.writeHead(502, { 'Content-Type': 'text/plain' }); res.end(`upstream error: ${e.message}\n`); });
    req.pipe(up);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [up, listen, prefix = '/corpus/', dir] = process.argv.slice(2);
  const server = await startProxy({ upstreamPort: Number(up), port: Number(listen), prefix, staticDir: dir ? path.resolve(dir) : null });
  console.log(`proxy on http://127.0.0.1:${server.address().port}${prefix} → 127.0.0.1:${up}`);
}
