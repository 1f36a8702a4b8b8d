// A Python agent instrumented with the official OpenTelemetry SDK (OTLP/HTTP exporter from
// PyPI) sends an interaction with an ingest key made in the UI; the trace then shows in the
// browser attributed, costed and redacted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN, createIngestKey, hydrated, openSignedIn, sendWithPythonSdk, useWarden,
} from '../lib/warden.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const env = useWarden();

test('spans from the OpenTelemetry Python SDK appear attributed, costed and redacted', async () => {
  const { page, errors } = await openSignedIn(env, ADMIN, '/admin/keys');

  // An ingest key for an agent nobody registered yet, made in the UI.
  const secret = await createIngestKey(page, 'python e2e', 'py-support-agent');
  assert.match(secret, /^wik_[0-9a-f]{64}$/);
  const snippet = await page.locator('.note.secret pre').textContent();
  assert.ok(snippet.includes(`OTEL_EXPORTER_OTLP_ENDPOINT=${env.warden.url}`), snippet);

  const traceId = sendWithPythonSdk(env.warden.url, secret, 'py-support-agent');
  assert.match(traceId, /^[0-9a-f]{32}$/);

  await page.goto(`${env.warden.url}/traces?agent=py-support-agent`);
  await hydrated(page);
  const row = page.locator(`tr[data-trace="${traceId}"]`);
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[1], 'py-support-agent');
  assert.equal(cells[2], 'invoke_agent py-support-agent');
  assert.equal(cells[4], '4', 'four spans');
  assert.equal(cells[5], '2700 / 420');
  // gpt-4o-mini: 2700 x 0.15 + 420 x 0.60 = 657 millionths of a dollar, x 0.86 EUR.
  assert.equal(cells[6], '0.000565 EUR');
  assert.ok((await row.locator('.tag').allTextContents()).includes('pii'));

  await row.locator('a').click();
  await page.waitForURL(`**/traces/${traceId}`);
  await hydrated(page);
  assert.equal(await page.locator('.waterfall details').count(), 4);
  assert.equal(await page.locator('.waterfall details[data-kind="llm"]').count(), 2);
  assert.equal(await page.locator('.waterfall details[data-kind="tool"]').count(), 1);
  const body = await page.locator('main').textContent();
  assert.ok(!body.includes('maria.lopez@example.com'), 'the e-mail address was shown');
  assert.ok(body.includes('EMAIL'), 'the PII event is listed');
  const llm = page.locator('.waterfall details[data-kind="llm"]').last();
  await llm.locator('summary').click();
  const detail = await llm.textContent();
  assert.ok(detail.includes('gpt-4o-mini'), detail);
  assert.ok(detail.includes('[REDACTED:EMAIL]'), detail);
  assert.ok(detail.includes('ORD-2024-001234'), 'an order id is not PII');
  assert.ok(detail.includes('price:gpt-4o-mini@2025-01-01'), detail);

  // The root's GenAI messages read as a chat transcript, not as JSON.
  const root = page.locator('.waterfall details[data-kind="agent"]').first();
  await root.locator('summary').click();
  const said = root.locator('ol.transcript li.role-user .msg-text');
  await said.first().waitFor();
  const question = await said.first().textContent();
  assert.ok(question.length > 10 && !question.includes('"parts"'), question);

  // A reviewer's score, given on the page, is listed with its source and author.
  const scores = page.locator('section.scores');
  assert.ok((await scores.textContent()).includes('No score yet'));
  await scores.locator('summary').click();
  await scores.locator('select[name="name"]').selectOption('quality');
  await scores.locator('input[name="value"]').fill('0.8');
  await scores.locator('input[name="comment"]').fill('right answer, slow tool');
  await scores.locator('button[type="submit"]').click();
  const scored = scores.locator('tbody tr');
  await scored.first().waitFor();
  const scoreCells = await scored.first().locator('td').allTextContents();
  assert.deepEqual(scoreCells.slice(0, 4), ['quality', '0.8', 'human', ADMIN.email]);
  assert.equal(scoreCells[5], 'right answer, slow tool');
  // Out of range: refused with the reason, nothing stored.
  await scores.locator('input[name="value"]').fill('3');
  await scores.locator('button[type="submit"]').click();
  await scores.locator('.error, [role="alert"]').first().waitFor();
  assert.equal(await scored.count(), 1);
  // The browser logs the refused request; that one is expected.
  const refused = errors.findIndex((e) => e.includes('400 (Bad Request)'));
  assert.ok(refused >= 0, errors.join('\n'));
  errors.splice(refused, 1);
  await page.screenshot({ path: `${shots}trace.png`, fullPage: true });

  // Following the list live: a new trace appears without reloading the page.
  await page.goto(`${env.warden.url}/traces`);
  await hydrated(page);
  await page.evaluate(() => { window.stillThisPage = true; });
  await page.locator('label.follow input').check();
  const next = sendWithPythonSdk(env.warden.url, secret, 'py-support-agent');
  await page.locator(`tr[data-trace="${next}"]`).waitFor({ timeout: 15_000 });
  assert.equal(await page.evaluate(() => window.stillThisPage), true, 'the page was reloaded');

  // The agent shows on the agents page as seen but unregistered.
  await page.goto(`${env.warden.url}/agents`);
  await hydrated(page);
  const agent = page.locator('tr[data-agent="py-support-agent"]');
  await agent.waitFor();
  assert.ok((await agent.textContent()).includes('unregistered'));
  assert.deepEqual(errors, []);
});
