// Starts a real `warden` server for a browser test: a fresh SQLite database in a temporary
// folder, a free port on loopback, and a known admin made with the CLI before the start.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = resolve(process.env.WARDEN_BIN ?? join(repo, 'target', 'release', 'warden'));
export const ADMIN = { email: 'admin@e2e.test', password: 'e2e admin password 1' };

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

async function waitUntilReady(url, child, log) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`warden exited early:\n${log.join('')}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`warden did not become ready:\n${log.join('')}`);
}

// With E2E_DATABASE=postgres the server runs on a new database next to TEST_POSTGRES_URL's
// (named after it, so the test script's clean-up drops it); otherwise on SQLite in `dir`.
function database(dir) {
  if (process.env.E2E_DATABASE !== 'postgres') return { url: `sqlite://${dir}/warden.db`, drop() {} };
  const base = process.env.TEST_POSTGRES_URL;
  if (!base) throw new Error('E2E_DATABASE=postgres needs TEST_POSTGRES_URL');
  const server = base.slice(0, base.lastIndexOf('/'));
  const name = `${base.slice(base.lastIndexOf('/') + 1)}_e2e_${Math.random().toString(16).slice(2, 10)}`;
  const psql = (sql) => execFileSync('psql', ['-q', `${server}/postgres`, '-c', sql]);
  psql(`create database "${name}"`);
  return { url: `${server}/${name}`, drop: () => psql(`drop database if exists "${name}" with (force)`) };
}

// `options.env` adds variables; `options.config` is the text of a config file to run with.
export async function startWarden(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'warden-e2e-'));
  const port = await freePort();
  const db = database(dir);
  const env = {
    ...process.env,
    WARDEN_DATABASE_URL: db.url,
    WARDEN_LISTEN: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: join(repo, 'target', 'site'),
    ...(options.env ?? {}),
  };
  delete env.WARDEN_CONFIG;
  if (options.config) {
    writeFileSync(join(dir, 'warden.yml'), options.config);
    env.WARDEN_CONFIG = join(dir, 'warden.yml');
  }
  const addUser = ({ email, password }, ...roles) => execFileSync(
    bin,
    ['user', 'add', email, ...roles.flatMap((r) => ['--role', r]), '--password-stdin'],
    { cwd: dir, env, input: `${password}\n` },
  );
  addUser(ADMIN, 'admin');
  const log = [];
  const child = spawn(bin, ['serve'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => log.push(d.toString()));
  child.stderr.on('data', (d) => log.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${url}/readyz`, child, log);
  return {
    url,
    log,
    // Adds a user with the CLI, as an operator would while the server runs.
    addUser,
    // Runs another `warden` command against the same database; returns its standard output.
    cli: (...args) => execFileSync(bin, args, { cwd: dir, env, encoding: 'utf8' }).trim(),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
      db.drop();
    },
  };
}

// Debian's Chromium, headless, with the background traffic this offline machine refuses
// switched off.
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

// Collects what would show up red in the browser console: a hydration failure lands here.
// Chromium also logs every 4xx answer there; `expected` lists the statuses a test provokes
// on purpose (a refused action is a 400 or 403, not an error of the page).
export function watchErrors(page, expected = []) {
  const errors = [];
  const provoked = (text) => expected.some((status) => text.includes(`status of ${status} `));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !provoked(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

// Opens a new browser context signed in as `user` on `path`, hydrated; `errors` collects
// what would show red in the console (`expected` as in watchErrors).
export async function openSignedIn(env, user, path, expected = []) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page, expected);
  await page.goto(`${env.warden.url}/login?next=${path}`);
  await signIn(page, env.warden.url, user);
  await hydrated(page);
  return { context, page, errors };
}

// Asks the inline guard about an answer, as the agent with `key` would.
export async function askGuard(url, key, output = 'Your order ships today.') {
  const response = await fetch(`${url}/api/v1/guard`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ output }),
  });
  return { status: response.status, body: await response.json() };
}

// Switches `agent` to `state` with the kill switch of the Agents page (which must be open
// and hydrated), confirming with `reason`, and waits for the new state to show.
export async function pullSwitch(page, agent, state, reason) {
  const row = page.locator(`tr[data-agent="${agent}"]`);
  const details = row.locator('details.kill-switch');
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  await row.locator('select[name="state"]').selectOption(state);
  await row.locator('input[name="reason"]').fill(reason);
  await row.locator('button:has-text("Confirm")').click();
  await page.locator(`tr[data-agent="${agent}"] [data-control-state="${state}"]`).waitFor();
}

// Polls the guard until it refuses (423) or a second has passed since `since`.
export async function refusedWithinASecond(url, key, since) {
  let answer;
  while (Date.now() - since < 1000) {
    answer = await askGuard(url, key);
    if (answer.status === 423) break;
  }
  return { answer, elapsed: Date.now() - since };
}

export async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 15_000 });
}

export async function signIn(page, url, { email, password }) {
  await hydrated(page);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}

// Makes an ingest key for `agent` on the Ingest keys page (the page must be open and
// hydrated) and returns its secret, shown once.
export async function createIngestKey(page, name, agent) {
  await page.fill('#key-name', name);
  await page.fill('#key-agent', agent);
  await page.click('button:has-text("Create key")');
  return (await page.locator('code.secret-value').textContent()).trim();
}

// Sends one interaction of `agent` with the official OpenTelemetry Python SDK, configured
// through the standard OTEL_* variables as an operator would; returns the trace id.
export function sendWithPythonSdk(url, secret, agent, extraEnv = {}) {
  const python = process.env.E2E_PYTHON ?? join(repo, 'end2end', 'python', '.venv', 'bin', 'python');
  return execFileSync(python, [join(repo, 'end2end', 'python', 'send_traces.py'), agent], {
    env: {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: url,
      OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${secret}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      ...extraEnv,
    },
    encoding: 'utf8',
  }).trim();
}

// One server and one browser for the tests of a file: started before the first, stopped
// after the last. Read them as `env.warden` and `env.browser` inside the tests.
// `options` (or a function making them, async or not) go to `startWarden`.
export function useWarden(options = {}) {
  const env = {};
  before(async () => {
    env.warden = await startWarden(typeof options === 'function' ? await options() : options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.warden?.stop();
  });
  return env;
}
