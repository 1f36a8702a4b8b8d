// What the browser downloads: pages compressed as they are sent, and the release build's
// WASM, JS and CSS named after their content, served from their brotli and gzip copies and
// kept for a year (a new build brings new names, so an upgrade is never served stale).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { useWarden } from '../lib/warden.mjs';

const env = useWarden();

// node's fetch decodes bodies and hides nothing of the headers, but sends its own
// Accept-Encoding; http.request sends exactly what the test says.
function get(path, acceptEncoding) {
  return new Promise((ok, fail) => {
    const req = request(`${env.warden.url}${path}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, bytes: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('pages are compressed and the build files are content-named, precompressed and kept', async () => {
  const login = await get('/login', 'gzip');
  assert.equal(login.status, 200);
  assert.equal(login.headers['content-encoding'], 'gzip');
  assert.match(login.headers.vary ?? '', /accept-encoding/i);

  const plain = await fetch(`${env.warden.url}/login`);
  const html = await plain.text();
  const wasm = html.match(/\/pkg\/warden\.[A-Za-z0-9_-]+\.wasm/)?.[0];
  const css = html.match(/\/pkg\/warden\.[A-Za-z0-9_-]+\.css/)?.[0];
  assert.ok(wasm, 'the page names a content-hashed WASM file');
  assert.ok(css, 'the page names a content-hashed stylesheet');

  const br = await get(wasm, 'br, gzip');
  assert.equal(br.status, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  const raw = await get(wasm, 'identity');
  assert.equal(raw.headers['content-encoding'], undefined);
  assert.ok(br.bytes.length < raw.bytes.length / 2, `${br.bytes.length} of ${raw.bytes.length} bytes`);
  const gz = await get(css, 'gzip');
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers['cache-control'], 'public, max-age=31536000, immutable');
});
