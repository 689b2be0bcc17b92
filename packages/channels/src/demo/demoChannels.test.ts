import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import type { AdapterContext, InboundHttpRequest } from '../adapter.ts';
import { adapterFor } from '../registry.ts';

const noNetwork = async (): Promise<Response> => {
  throw new Error('a demo provider must not reach the network');
};
const ctx = <C>(config: C): AdapterContext<C> => ({ config, http: noNetwork, now: () => new Date() });

describe('demo providers', () => {
  it('record every reply as delivered without a network call', async () => {
    for (const [id, config] of [
      ['demo-sms', { signName: '演示小店' }],
      ['demo-wechat', { appId: 'wxd3m0a1b2c3d4e5f6' }],
      ['demo-email', { address: 'help@demo-shop.example' }],
    ] as const) {
      const adapter = adapterFor(id);
      expect(adapter, id).not.toBeNull();
      expect(Value.Check(adapter?.configSchema ?? {}, config), id).toBe(true);
      expect(adapter?.secretFields).toEqual([]);
      const sent = await adapter?.send(ctx(config), { to: 'someone', text: '您好', idempotencyKey: 'm-1' });
      expect(sent).toMatchObject({ providerMessageId: 'demo:m-1', status: 'delivered' });
    }
  });

  it('threads email replies under the Message-ID the real adapter would give them', async () => {
    const sent = await adapterFor('demo-email')?.send(ctx({ address: 'help@demo-shop.example' }), {
      to: 'li@example.com',
      text: '您好',
      idempotencyKey: 'm-2',
    });
    expect(sent?.meta?.messageId).toMatch(/\.zhike@demo-shop\.example$/);
  });

  it('take no webhook: there is no provider to sign one', async () => {
    const request: InboundHttpRequest = {
      method: 'POST',
      url: 'https://shop.example/hooks/x',
      headers: {},
      query: {},
      rawBody: Buffer.from('{}'),
    };
    for (const id of ['demo-sms', 'demo-email', 'demo-wechat'])
      expect(await adapterFor(id)?.verifyInbound?.(ctx({}), request)).toBe(false);
  });
});
