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
  await page.screenshot({ path: `${shots}trace.png`, fullPage: true });

  // The agent shows on the agents page as seen but unregistered.
  await page.goto(`${env.warden.url}/agents`);
  await hydrated(page);
  const agent = page.locator('tr[data-agent="py-support-agent"]');
  await agent.waitFor();
  assert.ok((await agent.textContent()).includes('unregistered'));
  assert.deepEqual(errors, []);
});
