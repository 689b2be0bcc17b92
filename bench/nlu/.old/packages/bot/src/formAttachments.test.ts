// Photos in forms: the retail refund form's optional photo slot takes the ids of the files the customer
// sends, and the ticket's fields reference them.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledBot, compileBot } from './compile.ts';
import type { BotTemplate } from './template.ts';
import { recordingPorts } from './test-support.ts';
import type { DialogueState, TurnInput, TurnResult } from './types.ts';

const template = JSON.parse(
  readFileSync(new URL('../../../templates/retail/zh-CN.json', import.meta.url), 'utf8'),
) as BotTemplate;
const photoPrompt = template.forms
  ?.find((f) => f.id === 'refund')
  ?.slots.find((s) => s.name === 'photos')?.prompt;

let bot: CompiledBot;
beforeAll(() => {
  bot = compileBot({ template, orderNumberPattern: 'ZK\\d{12}' });
});

function chat(ports = recordingPorts([])) {
  let state: DialogueState | null = null;
  const say = async (text: string, attachments?: TurnInput['attachments']): Promise<TurnResult> => {
    const result = await bot.turn(
      state,
      {
        text,
        now: new Date('2026-05-06T04:00:00Z'),
        customer: { id: 'c1' },
        ...(attachments ? { attachments } : {}),
      },
      ports,
    );
    state = JSON.parse(JSON.stringify(result.state)) as DialogueState;
    return result;
  };
  return { say, ports };
}

const photo = (id: string) => [{ id, mimeType: 'image/jpeg' }];

describe('attachments in forms', () => {
  it('the retail refund form has an optional photo slot', () => {
    expect(photoPrompt).toBeTruthy();
  });

  it('a photo sent when the form asks for one fills the slot; the ticket references the attachment ids', async () => {
    const { say, ports } = chat();
    await say('我要申请退款');
    await say('ZK202405010001');
    const ask = await say('衣服有破洞');
    expect(ask.replies.map((r) => r.text)).toContain(photoPrompt);
    const confirm = await say('', photo('0190a1b2-0000-7000-8000-000000000001'));
    expect(confirm.replies.at(-1)?.kind).toBe('confirm');
    await say('是的');
    expect(ports.tickets).toHaveLength(1);
    expect(ports.tickets[0]?.fields).toMatchObject({
      order_number: 'ZK202405010001',
      reason: '衣服有破洞',
      photos: '0190a1b2-0000-7000-8000-000000000001',
    });
  });

  it('a photo sent early is kept, the awaited question asked again, and the photo slot not asked', async () => {
    const { say, ports } = chat();
    await say('我要申请退款');
    const again = await say('', photo('0190a1b2-0000-7000-8000-00000000000a'));
    expect(again.replies.map((r) => r.text)).toEqual(['请提供需要退款的订单号。']);
    await say('ZK202405010001');
    const next = await say('有瑕疵', photo('0190a1b2-0000-7000-8000-00000000000b'));
    expect(next.replies.map((r) => r.text)).not.toContain(photoPrompt);
    await say('是');
    expect(ports.tickets[0]?.fields.photos).toBe(
      '0190a1b2-0000-7000-8000-00000000000a,0190a1b2-0000-7000-8000-00000000000b',
    );
  });

  it('without a photo the slot can still be skipped', async () => {
    const { say, ports } = chat();
    await say('我要申请退款');
    await say('ZK202405010001');
    await say('尺码太小了');
    await say('跳过');
    await say('是');
    expect(ports.tickets[0]?.fields.photos).toBeUndefined();
  });
});
