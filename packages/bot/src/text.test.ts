import { normalise } from '@zhike/nlu';
import { describe, expect, it } from 'vitest';
import { asksForHuman } from './text.ts';

const asks = (text: string) => asksForHuman(normalise(text));

describe('asksForHuman', () => {
  it('reads a request for a person by its shape, whatever the person is called', () => {
    for (const text of [
      '转人工',
      '帮我转接一下仓库的同事',
      '能把我转给你们主管吗',
      '叫个人出来回话',
      '找个明白人帮我看看',
      '有活人吗',
      '真人客服在不在',
      '我要和你们负责人谈',
      '你们店长能跟我聊几句吗',
      '麻烦让店员给我打个电话',
      '人工 人工',
      '不要bot回复',
      '請幫我轉真人',
      'is a human around?',
      'please have a representative call me back',
      'can I chat with somebody',
      '小二在吗',
      '让管发货的老师回我一下',
      '把这事转给说了算的人',
      '这个要申请人工',
      'could someone from your team message me',
      '哪位客服在 回一下',
      '不用机器人 我想跟人聊',
    ])
      expect(asks(text), text).toBe(true);
  });

  it('leaves questions about the service, hours and contact details to the FAQ', () => {
    for (const text of [
      '客服几点上班',
      '周末有人工客服吗',
      '人工客服电话是多少',
      '售后邮箱是什么',
      '这个维修要人工费吗',
      '收到货太让人失望了',
      '请问店长推荐哪一款',
      '可以找人代购吗',
      'what is your hotline number?',
    ])
      expect(asks(text), text).toBe(false);
  });

  it('still hands off when a contact question also asks to be called', () => {
    expect(asks('客服电话多少 或者直接打给我 13800001111')).toBe(true);
  });
});
