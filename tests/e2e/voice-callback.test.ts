// Issue 9's call-back, end to end against the real server process and real third-party software: a
// customer who wrote in over the API channel with their phone has a conversation; the agent, in headless
// Chromium (fake microphone), clicks 回拨 in the conversation's customer panel; the server calls the
// customer's number through a trunk voice inbox whose gateway is a Debian baresip (auto-answer), which
// hears the recording notice and then the agent's voice; the agent hangs up from the softphone and the
// calls list has the call, outbound, with the agent and a recording.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { type ConsoleSession, consoleApi, login } from '../support/clients.ts';
import { signIn } from '../support/pages.ts';
import { ADMIN, freePort, type ServerProcess, serverEnv, startServer } from '../support/serverProcess.ts';
import { type Baresip, startBaresip } from '../support/voice/baresip.ts';
import { createClips } from '../support/voice/clips.ts';
import { freePortBlock } from '../support/voice/ports.ts';
import { monoSamples, readWav, rms } from '../support/voice/wav.ts';

const PHONE = '13800138000';
const NOTICE = '本次通话将被录音。';

type CallSummary = { id: string; direction: string; state: string; conversationId: string };
type CallDetail = {
  call: { state: string; direction: string; agentId: string | null; recording: unknown; endReason: string };
  trace: { stage: string; name: string }[];
};

const clips = createClips();
const dataDir = mkdtempSync(join(tmpdir(), 'zhike-e2e-callback-'));
const stops: Array<() => Promise<unknown>> = [];
let server: ServerProcess;
let browser: Browser;
let owner: ConsoleSession;
let customerPhone: Baresip;
let conversationId: string;

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  // The customer's phone: answers at once and stays quiet.
  customerPhone = await startBaresip({
    account: { user: PHONE },
    source: await clips.sequence([{ silence: 120 }]),
    autoAnswer: true,
    name: 'customer',
  });
  stops.push(() => customerPhone.stop());
  const ports = await freePortBlock(60);
  server = await startServer(
    {
      ...serverEnv({ dataDir, port: await freePort() }),
      ZHIKE_SIP_PORT: String(ports.sip),
      ZHIKE_SIP_HOST: '127.0.0.1',
      ZHIKE_RTP_PORTS: `${ports.rtpLow}-${ports.rtpHigh}`,
    },
    90_000,
  );
  stops.push(() => server.stop());
  owner = await login(server.url, ADMIN.email, ADMIN.password);
  await consoleApi(server.url, owner, '/api/v1/inboxes', {
    name: '电话（中继）',
    adapter: 'sip-voice',
    config: {
      mode: 'trunk',
      allowedSources: '127.0.0.1',
      outboundGateway: `sip:127.0.0.1:${customerPhone.sipPort}`,
      numbers: '4008001234',
      recordingNotice: true,
      recordingNoticeText: NOTICE,
    },
  });
  // The customer wrote in through the API channel, with their phone.
  const key = await consoleApi<{ secret: string }>(server.url, owner, '/api/v1/api-keys', { name: 'crm' });
  const res = await fetch(`${server.url}/api/v1/inbound`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      customer: { externalId: 'crm-callback-1', name: '王女士', phone: PHONE },
      text: '请给我回个电话，快递一直没到',
      messageId: 'crm-callback-m1',
    }),
  });
  expect(res.status).toBe(200);
  conversationId = ((await res.json()) as { conversationId: string }).conversationId;
  const agentMic = await clips.sequence(['您好，我是客服小王，给您回个电话', { silence: 1 }]);
  browser = await launchBrowser([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${agentMic}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
  stops.push(() => browser.close());
}, 180_000);

afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

it('an agent calls the customer back from the conversation; the customer hears them; the call is stored', async () => {
  const contexts: BrowserContext[] = [];
  try {
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    contexts.push(ctx);
    const agent = await ctx.newPage();
    await signIn(agent, server.url);
    await agent.goto(`${server.url}/#/inbox/${conversationId}`);
    await agent.getByTestId('call-back').first().click({ timeout: 30_000 });

    await customerPhone.waitFor('CALL_ESTABLISHED', 20_000);
    await expect
      .poll(() => agent.getByTestId('softphone-status').textContent(), { timeout: 30_000 })
      .toBe('通话中');
    const beforeAgent = monoSamples(readWav(customerPhone.recordings().at(-1)!.received));
    const answeredAt = beforeAgent.length;
    // The recording notice reached the customer before the agent was put through.
    expect(rms(beforeAgent)).toBeGreaterThan(0.01);
    // The customer hears the agent's microphone through the bridge.
    await eventually(
      "the agent's voice at the customer",
      async () => {
        const samples = monoSamples(readWav(customerPhone.recordings().at(-1)!.received));
        return rms(samples, answeredAt) > 0.01 ? true : undefined;
      },
      20_000,
    );
    await agent.getByTestId('softphone-hangup').click();
    await customerPhone.waitFor('CALL_CLOSED', 15_000);

    const call = await eventually('the call in the calls list', async () =>
      (await consoleApi<{ calls: CallSummary[] }>(server.url, owner, '/api/v1/calls')).calls.find(
        (c) => c.conversationId === conversationId,
      ),
    );
    const stored = await eventually('the call stored with its recording', async () => {
      const detail = await consoleApi<CallDetail>(server.url, owner, `/api/v1/calls/${call.id}`);
      return detail.call.state === 'ended' && detail.call.recording ? detail : undefined;
    });
    expect(stored.call).toMatchObject({ direction: 'outbound', endReason: 'agent-hangup' });
    expect(stored.call.agentId).not.toBeNull();
    expect(stored.trace.map((e) => e.name)).toEqual(expect.arrayContaining(['notice.played', 'stored']));
  } finally {
    for (const context of contexts) await context.close();
  }
}, 240_000);
