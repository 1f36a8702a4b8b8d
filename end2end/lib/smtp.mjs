// A real SMTP server on loopback for the paging tests: aiosmtpd from PyPI (the venv
// scripts/setup-test.sh makes), writing every mail it accepts to a Maildir read here.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function freePort() {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

const connects = (port) => new Promise((done) => {
  const socket = createConnection(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); done(true); });
  socket.once('error', () => done(false));
});

// One part's body, decoded from its transfer encoding.
function decode(headers, body) {
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

// A mail's recipient, subject and plain-text part.
function parse(raw) {
  const [head] = raw.split(/\r?\n\r?\n/, 1);
  const header = (name) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  let text = '';
  for (const part of raw.split(/\r?\n--[^\r\n]+/)) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const headers = part.slice(0, split);
    if (/content-type:\s*text\/plain/i.test(headers)) text = decode(headers, part.slice(split).trim());
  }
  return { to: header('To'), subject: header('Subject'), text };
}

export async function startSmtpSink() {
  const python = process.env.WARDEN_TEST_SMTP_PYTHON ?? join(repo, 'tools', 'smtp', '.venv', 'bin', 'python');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'warden-smtp-'));
  const maildir = join(dir, 'mail');
  const child = spawn(python, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir],
    { stdio: 'ignore' });
  const started = Date.now();
  while (!(await connects(port))) {
    if (Date.now() - started > 20_000) throw new Error(`aiosmtpd did not start (${python})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const inbox = () => {
    let files = [];
    try { files = readdirSync(join(maildir, 'new')); } catch { return []; }
    return files.map((f) => parse(readFileSync(join(maildir, 'new', f), 'utf8')));
  };
  return {
    port,
    inbox,
    // Waits for a mail to `to` whose subject matches `subject`.
    async waitFor(to, subject = /./, timeout = 15_000) {
      const started = Date.now();
      for (;;) {
        const found = inbox().find((m) => m.to === to && subject.test(m.subject));
        if (found) return found;
        if (Date.now() - started > timeout) {
          throw new Error(`no mail to ${to} matching ${subject}; inbox: ${JSON.stringify(inbox().map((m) => [m.to, m.subject]))}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop() {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
