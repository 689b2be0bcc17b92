import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { signAsrQuery } from '../../http/tencentSigning.ts';
import { type LocalServer, startLocalServer } from '../testSupport/localServer.ts';
import { createTencentAsr, tencentAsrUrl, tencentEngineFor } from './tencentAsr.ts';

const SECRETS: Record<string, string> = { AKIDtest: 'kFpwoX5RYQ2SkqpeHgqmSzHK7h3A2fni' };

interface SessionLog {
  params: Record<string, string>;
  audioBytes: number;
  chunkSizes: number[];
  audioBeforeHandshake: boolean;
  endMessage?: unknown;
}

/** Tencent's side as its documentation describes it: checks the signature from the secret, then streams slices. */
function tencentServer(wss: NonNullable<LocalServer['wss']>, sessions: SessionLog[]) {
  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const params = Object.fromEntries(url.searchParams);
    const { signature, ...signed } = params;
    const log: SessionLog = { params, audioBytes: 0, chunkSizes: [], audioBeforeHandshake: false };
    sessions.push(log);
    const secret = SECRETS[signed.secretid ?? ''];
    const original = `${req.headers.host}${url.pathname}?${Object.keys(signed)
      .sort()
      .map((k) => `${k}=${signed[k]}`)
      .join('&')}`;
    const expected = secret ? createHmac('sha1', secret).update(original).digest('base64') : '';
    const voiceId = signed.voice_id;
    if (!secret || signature !== expected || Number(signed.expired) <= Number(signed.timestamp)) {
      socket.send(JSON.stringify({ code: 4002, message: '鉴权失败', voice_id: voiceId }));
      socket.close();
      return;
    }
    let handshaken = false;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        if (!handshaken) log.audioBeforeHandshake = true;
        log.audioBytes += data.length;
        log.chunkSizes.push(data.length);
        return;
      }
      log.endMessage = JSON.parse(data.toString());
      const seconds = (log.audioBytes / (signed.engine_model_type?.startsWith('8k') ? 16000 : 32000)).toFixed(
        1,
      );
      const slice = (index: number, sliceType: number, text: string) =>
        JSON.stringify({
          code: 0,
          message: 'success',
          voice_id: voiceId,
          message_id: `${voiceId}_${index}_${sliceType}`,
          result: {
            slice_type: sliceType,
            index,
            start_time: 0,
            end_time: 1000,
            voice_text_str: text,
            word_size: 0,
            word_list: [],
          },
        });
      socket.send(slice(0, 0, '我想'));
      socket.send(slice(0, 1, '我想查'));
      socket.send(slice(0, 2, '我想查询订单，'));
      socket.send(slice(1, 2, `时长${seconds}秒。`));
      socket.send(
        JSON.stringify({
          code: 0,
          message: 'success',
          voice_id: voiceId,
          message_id: `${voiceId}_final`,
          final: 1,
        }),
      );
      socket.close();
    });
    // The confirmation comes a moment after the upgrade, so audio sent too early would be noticed.
    setTimeout(() => {
      handshaken = true;
      socket.send(JSON.stringify({ code: 0, message: 'success', voice_id: voiceId }));
    }, 30);
  });
}

describe('Tencent real-time ASR', () => {
  let server: LocalServer;
  const sessions: SessionLog[] = [];
  beforeAll(async () => {
    server = await startLocalServer(() => {}, { webSocket: true });
    tencentServer(server.wss!, sessions);
  });
  afterAll(() => server.close());

  it("signs exactly like Tencent's documented example", () => {
    const params = {
      engine_model_type: '16k_zh',
      expired: '1592380492',
      filter_dirty: '1',
      filter_modal: '1',
      filter_punc: '1',
      needvad: '1',
      nonce: '1592294092123',
      secretid: 'AKIDoQq1zhZMN8dv0psmvud6OUKuGPO7pu0r',
      timestamp: '1592294092',
      voice_format: '1',
      voice_id: 'RnKu9FODFHK5FPpsrN',
    };
    expect(
      signAsrQuery('kFpwoX5RYQ2SkqpeHgqmSzHK7h3A2fni', 'asr.cloud.tencent.com/asr/v2/1259228442', params),
    ).toBe('HepdTRX6u155qIPKNKC+3U0j1N0=');
    const url = tencentAsrUrl(
      'wss://asr.cloud.tencent.com',
      '1259228442',
      'kFpwoX5RYQ2SkqpeHgqmSzHK7h3A2fni',
      params,
    );
    expect(url.startsWith('wss://asr.cloud.tencent.com/asr/v2/1259228442?engine_model_type=16k_zh&')).toBe(
      true,
    );
    expect(url).toContain('&signature=HepdTRX6u155qIPKNKC%2B3U0j1N0%3D');
  });

  it('picks engines for Mandarin, Cantonese and Sichuanese, with overrides', () => {
    expect(tencentEngineFor('zh-CN')).toBe('16k_zh');
    expect(tencentEngineFor(undefined)).toBe('16k_zh');
    expect(tencentEngineFor('yue')).toBe('16k_yue');
    expect(tencentEngineFor('zh-HK')).toBe('16k_yue');
    expect(tencentEngineFor('zh-sichuan')).toBe('16k_zh_dialect');
    expect(tencentEngineFor('en-US')).toBe('16k_en');
    expect(tencentEngineFor('zh-CN', { 'zh-CN': '8k_zh' })).toBe('8k_zh');
    expect(tencentEngineFor('fr')).toBe('16k_zh');
    expect(tencentEngineFor('zh-CN', { zh: '8k_zh' })).toBe('8k_zh');
    expect(tencentEngineFor('zh-MO', { yue: '8k_yue' })).toBe('8k_yue');
  });

  it('streams 16 kHz PCM after the handshake, ends with {"type":"end"} and joins the stable slices', async () => {
    const asr = createTencentAsr({
      appId: '1259228442',
      secretId: 'AKIDtest',
      secretKey: SECRETS.AKIDtest!,
      baseUrl: `ws://127.0.0.1:${server.port}`,
      speedup: 50,
    });
    const audio = { samples: new Int16Array(16000).fill(300), sampleRate: 8000 };
    const result = await asr.transcribe(audio, { language: 'zh-sichuan' });
    expect(result).toEqual({ text: '我想查询订单，时长2.0秒。' });
    const log = sessions.at(-1)!;
    expect(log.params).toMatchObject({
      engine_model_type: '16k_zh_dialect',
      voice_format: '1',
      secretid: 'AKIDtest',
    });
    expect(log.params.voice_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(log.audioBeforeHandshake).toBe(false);
    expect(log.audioBytes).toBe(64000);
    expect(log.chunkSizes[0]).toBe(1280);
    expect(log.endMessage).toEqual({ type: 'end' });
  });

  it('sends 8 kHz audio as it is to an 8k engine', async () => {
    const asr = createTencentAsr({
      appId: '1',
      secretId: 'AKIDtest',
      secretKey: SECRETS.AKIDtest!,
      baseUrl: `ws://127.0.0.1:${server.port}`,
      engines: { zh: '8k_zh' },
      speedup: 50,
    });
    const result = await asr.transcribe(
      { samples: new Int16Array(4000), sampleRate: 8000 },
      { language: 'zh-CN' },
    );
    expect(result.text).toContain('时长0.5秒');
    expect(sessions.at(-1)!.chunkSizes[0]).toBe(640);
  });

  it('fails with an auth error when the secret is wrong, and times out on a silent server', async () => {
    const wrong = createTencentAsr({
      appId: '1',
      secretId: 'AKIDtest',
      secretKey: 'not-the-secret',
      baseUrl: `ws://127.0.0.1:${server.port}`,
    });
    await expect(wrong.transcribe({ samples: new Int16Array(800), sampleRate: 8000 })).rejects.toMatchObject({
      code: 'auth',
      message: expect.stringContaining('4002'),
    });
    const silent = await startLocalServer(() => {}, { webSocket: true });
    try {
      const asr = createTencentAsr({
        appId: '1',
        secretId: 'AKIDtest',
        secretKey: 'x',
        baseUrl: `ws://127.0.0.1:${silent.port}`,
        timeoutMs: 200,
      });
      await expect(asr.transcribe({ samples: new Int16Array(800), sampleRate: 8000 })).rejects.toMatchObject({
        code: 'timeout',
      });
    } finally {
      await silent.close();
    }
  });
});

describe('Tencent real-time ASR handshake refusal', () => {
  it('maps an HTTP 403 answer to the upgrade to an auth error with the body', async () => {
    const { createServer } = await import('node:http');
    const server = createServer();
    server.on('upgrade', (_req, socket) => {
      socket.end(
        'HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nforbidden',
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as import('node:net').AddressInfo;
    try {
      const asr = createTencentAsr({
        appId: '1',
        secretId: 'a',
        secretKey: 'b',
        baseUrl: `ws://127.0.0.1:${port}`,
      });
      await expect(asr.transcribe({ samples: new Int16Array(800), sampleRate: 8000 })).rejects.toMatchObject({
        code: 'auth',
        status: 403,
        body: 'forbidden',
      });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
