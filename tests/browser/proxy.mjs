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

export function startProxy({ upstreamPort, port = 0, prefix = '/corpus/', staticDir = null }) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === prefix.replace(/\/$/, '')) { res.writeHead(301, { Location: prefix }); res.end(); return; }
    if (!url.pathname.startsWith(prefix)) { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('outside the prefix\n'); return; }
    const rest = '/' + url.pathname.slice(prefix.length);
    if (staticDir) {
      const file = path.join(staticDir, rest === '/' ? 'index.html' : path.normalize(rest));
      if (file.startsWith(staticDir) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
        fs.createReadStream(file).pipe(res);
        return;
      }
    }
    const headers = { ...req.headers, host: `127.0.0.1:${upstreamPort}`, 'x-forwarded-prefix': prefix.replace(/\/$/, '') };
    const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: rest + url.search, headers }, (ur) => {
      res.writeHead(ur.statusCode, ur.headers);
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
