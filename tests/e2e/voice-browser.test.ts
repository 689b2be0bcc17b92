// Browser voice end to end in headless Chromium with a fake microphone (espeak-ng speech): a visitor
// presses the widget's call button and hears the bot's greeting; keypad 0 hands the call to people; an
// agent's softphone rings with it, answers, hears the caller and hangs up. The server's recording then
// has audio on both channels and the call's trace and transcript are stored.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { type ConsoleSession, consoleApi, login } from '../support/clients.ts';
import { signIn } from '../support/pages.ts';
import {
  ADMIN,
  freePort,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';
import { createClips } from '../support/voice/clips.ts';
import { parseWav, rms } from '../support/voice/wav.ts';

let server: ServerProcess;
let browser: Browser;
let owner: ConsoleSession;

// Every RTCPeerConnection the page makes, so the test can read its stats and press keys like a keypad.
const RECORD_PEERS = `
  window.__peers = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); window.__peers.push(this); }
  };
`;

type MediaStats = { sent: number; received: number; energy: number };

/** Packets sent/received and the received audio energy of the page's latest peer connection. */
async function mediaStats(page: Page): Promise<MediaStats> {
  return page.evaluate(async () => {
    const peers = (window as unknown as { __peers: RTCPeerConnection[] }).__peers;
    const pc = peers[peers.length - 1];
    const out = { sent: 0, received: 0, energy: 0 };
    if (!pc) return out;
    const report = await pc.getStats();
    report.forEach((s: Record<string, unknown>) => {
      if (s.kind !== 'audio') return;
      if (s.type === 'outbound-rtp') out.sent += Number(s.packetsSent ?? 0);
      if (s.type === 'inbound-rtp') {
        out.received += Number(s.packetsReceived ?? 0);
        out.energy += Number(s.totalAudioEnergy ?? 0);
      }
    });
    return out;
  });
}

beforeAll(async () => {
  const clips = createClips();
  // Looped by Chromium as the microphone of both pages: the visitor talks, then stays quiet a while.
  const mic = await clips.sequence(['你好，我想问一下我的订单', { silence: 4 }]);
  server = await startServer(serverEnv({ dataDir: tempDataDir(), port: await freePort() }));
  browser = await launchBrowser([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${mic}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
  owner = await login(server.url, ADMIN.email, ADMIN.password);
  // A workspace takes calls once it has a voice inbox (its phone line); trunk mode waits passively.
  await consoleApi(server.url, owner, '/api/v1/inboxes', {
    name: '客服热线',
    adapter: 'sip-voice',
    config: { mode: 'trunk', allowedSources: '127.0.0.1' },
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const widget = (page: Page, hook: string) => page.locator(`[data-zhike="${hook}"]`);

it('calls from the widget, is handed to an agent who answers on the softphone, and records both sides', async () => {
  const contexts: BrowserContext[] = [];
  try {
    const visitorCtx = await browser.newContext({ locale: 'zh-CN' });
    contexts.push(visitorCtx);
    await visitorCtx.addInitScript(RECORD_PEERS);
    const visitor = await visitorCtx.newPage();
    await visitor.goto(`${server.url}/demo`);
    await widget(visitor, 'launcher').click();
    await widget(visitor, 'call').click();

    // The bot answers: the greeting arrives as audio the visitor hears.
    await expect
      .poll(() => widget(visitor, 'call-state').textContent(), { timeout: 20_000 })
      .toBe('通话中：智能助手');
    await expect
      .poll(async () => (await mediaStats(visitor)).energy, { timeout: 20_000 })
      .toBeGreaterThan(0.01);

    const agentCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    contexts.push(agentCtx);
    await agentCtx.addInitScript(RECORD_PEERS);
    const agent = await agentCtx.newPage();
    await signIn(agent, server.url);
    await expect.poll(() => agent.getByTestId('softphone').count(), { timeout: 20_000 }).toBe(1);

    // Keypad 0 (RFC 4733 from the browser) is "a person, please".
    await visitor.evaluate(() => {
      const peers = (window as unknown as { __peers: RTCPeerConnection[] }).__peers;
      peers[peers.length - 1]?.getSenders()[0]?.dtmf?.insertDTMF('0', 120, 80);
    });
    await expect
      .poll(() => widget(visitor, 'call-state').textContent(), { timeout: 30_000 })
      .toBe('通话中：正在为您转接人工客服…');

    await agent.getByTestId('softphone-answer').click({ timeout: 20_000 });
    await expect
      .poll(() => agent.getByTestId('softphone-status').textContent(), { timeout: 20_000 })
      .toBe('通话中');
    await expect
      .poll(() => widget(visitor, 'call-state').textContent(), { timeout: 20_000 })
      .toBe('通话中：人工客服');
    // The agent hears the caller's microphone through the bridge.
    await expect
      .poll(async () => (await mediaStats(agent)).energy, { timeout: 20_000 })
      .toBeGreaterThan(0.01);
    const agentSent = (await mediaStats(agent)).sent;
    expect(agentSent).toBeGreaterThan(0);

    await agent.getByTestId('softphone-mute').click();
    await expect.poll(() => agent.getByTestId('softphone-status').textContent()).toBe('已静音');
    await agent.getByTestId('softphone-hangup').click();
    await expect
      .poll(() => widget(visitor, 'call-state').textContent(), { timeout: 20_000 })
      .toBe('通话已结束');

    // Stored once the call is wrapped up: recording (caller left, bot/agent right), trace, transcript.
    type CallList = { calls: { id: string; transport: string; state: string; recording: unknown }[] };
    const storedCall = async () =>
      (await consoleApi<CallList>(server.url, owner, '/api/v1/calls')).calls.find(
        (c) => c.transport === 'webrtc' && c.state === 'ended' && c.recording !== null,
      );
    await expect.poll(storedCall, { timeout: 30_000 }).toBeTruthy();
    const call = await storedCall();
    const detail = await consoleApi<{ trace: { name: string }[]; call: { agentId: string | null } }>(
      server.url,
      owner,
      `/api/v1/calls/${call?.id}`,
    );
    expect(detail.call.agentId).not.toBeNull();
    expect(detail.trace.length).toBeGreaterThan(0);
    const res = await fetch(`${server.url}/api/v1/calls/${call?.id}/recording`, {
      headers: { cookie: owner.cookie },
    });
    expect(res.status).toBe(200);
    const wav = parseWav(Buffer.from(await res.arrayBuffer()));
    expect(wav.channels).toBe(2);
    const left = wav.samples.filter((_, i) => i % 2 === 0);
    const right = wav.samples.filter((_, i) => i % 2 === 1);
    // The caller's microphone (espeak-ng speech) and the bot's greeting are both in the recording.
    expect(rms(left)).toBeGreaterThan(0.005);
    expect(rms(right)).toBeGreaterThan(0.005);
  } finally {
    for (const context of contexts) await context.close();
  }
}, 180_000);
