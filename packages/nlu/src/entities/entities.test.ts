import { describe, expect, it } from 'vitest';
import { createEntityExtractor, type Entity, type EntityType } from './index.ts';

// Monday 30 December 2024, 10:00 in Shanghai: month and year ends are one and two days away.
const NOW = new Date('2024-12-30T10:00:00+08:00');
const extractor = createEntityExtractor({
  now: () => NOW,
  products: [
    { id: 'cup', name: '保温杯', aliases: ['thermos', '水杯'] },
    { id: 'pro', name: 'Pro Max' },
  ],
});

function only(text: string, type: EntityType): Entity[] {
  return extractor.extract(text).filter((e) => e.type === type);
}

function values(text: string, type: EntityType): unknown[] {
  return only(text, type).map((e) => e.value);
}

describe('order numbers', () => {
  it('finds default-shaped codes', () => {
    expect(values('SF1234567890 到哪了', 'order_number')).toEqual(['SF1234567890']);
    expect(values('order 202412300001234 please', 'order_number')).toEqual(['202412300001234']);
  });

  it('reads an 11-digit number after an order cue as an order, not a phone', () => {
    const entities = extractor.extract('订单号13812345678还没发货');
    expect(entities.map((e) => e.type)).toEqual(['order_number']);
    expect(entities[0]?.text).toBe('13812345678');
    expect(extractor.extract('my order #13812345678').map((e) => e.type)).toEqual(['order_number']);
  });

  it('uses the workspace pattern', () => {
    const shop = createEntityExtractor({ orderNumberPattern: 'ZK\\d{6}', now: () => NOW });
    expect(shop.extract('单 ZK123456 和 ZK12345').map((e) => e.text)).toEqual(['ZK123456']);
  });

  it('keeps offsets into the original text', () => {
    const text = '你好！订单ＳＦ１２３４５６７８９０';
    const [entity] = extractor.extract(text);
    expect(entity?.type).toBe('order_number');
    expect(text.slice(entity!.start, entity!.end)).toBe(entity!.text);
    expect(entity?.value).toBe('SF1234567890');
  });
});

describe('phones', () => {
  it.each([
    ['电话13812345678', '13812345678'],
    ['+86 138-1234-5678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['0086 13912345678', '13912345678'],
    ['call me on 159 1234 5678', '15912345678'],
  ])('%s', (text, phone) => {
    expect(values(text, 'phone')).toEqual([phone]);
  });

  it.each(['010-12345678', '12345678901', '1381234567', '138123456789', 'SF13812345678'])(
    'rejects %s',
    (text) => {
      expect(values(text, 'phone')).toEqual([]);
    },
  );
});

describe('emails', () => {
  it('finds and lower-cases addresses', () => {
    expect(values('邮箱 Li.Lei+shop@Example.COM 谢谢', 'email')).toEqual(['li.lei+shop@example.com']);
    expect(values('email me at a@b', 'email')).toEqual([]);
  });
});

describe('money', () => {
  it.each([
    ['三百五十块', 350, 'CNY'],
    ['三块五', 3.5, 'CNY'],
    ['三块五毛', 3.5, 'CNY'],
    ['五毛钱', 0.5, 'CNY'],
    ['¥99.9', 99.9, 'CNY'],
    ['￥1,299', 1299, 'CNY'],
    ['99元', 99, 'CNY'],
    ['1万2块', 12000, 'CNY'],
    ['预算1万2', 12000, 'CNY'],
    ['花了一千二', 1200, 'CNY'],
    ['$20', 20, 'USD'],
    ['20 dollars', 20, 'USD'],
    ['HK$100', 100, 'HKD'],
    ['100港币', 100, 'HKD'],
    ['€15.50', 15.5, 'EUR'],
    ['RMB 88', 88, 'CNY'],
  ])('%s → %d %s', (text, amount, currency) => {
    expect(values(text, 'money')).toEqual([{ amount, currency }]);
  });
});

describe('quantities', () => {
  it.each([
    ['买了两件', 2, '件'],
    ['要3双', 3, '双'],
    ['一箱', 1, '箱'],
    ['2 pairs', 2, 'pair'],
    ['x3', 3, 'item'],
    ['5 pcs', 5, 'piece'],
  ])('%s', (text, amount, unit) => {
    expect(values(text, 'quantity')).toEqual([{ amount, unit }]);
  });

  it('prefers money for 块 and ignores words that only contain 一', () => {
    expect(extractor.extract('三块').map((e) => e.type)).toEqual(['money']);
    expect(extractor.extract('等一下，我们一起统一发货')).toEqual([]);
  });
});

describe('dates and times', () => {
  it.each([
    ['明天下午三点', 'datetime', '2024-12-31T15:00:00+08:00'],
    ['后天上午十点半', 'datetime', '2025-01-01T10:30:00+08:00'],
    ['今晚8点', 'datetime', '2024-12-30T20:00:00+08:00'],
    ['12月31号晚上十二点', 'datetime', '2025-01-01T00:00:00+08:00'],
    ['tomorrow 3pm', 'datetime', '2024-12-31T15:00:00+08:00'],
    ['3pm tomorrow', 'datetime', '2024-12-31T15:00:00+08:00'],
    ['tomorrow at 9:30 am', 'datetime', '2024-12-31T09:30:00+08:00'],
    ['下午3点前', 'datetime', '2024-12-30T15:00:00+08:00'],
    ['十四点', 'datetime', '2024-12-30T14:00:00+08:00'],
  ])('%s → %s %s', (text, type, datetime) => {
    const [entity] = extractor.extract(text);
    expect(entity?.type).toBe(type);
    expect(entity?.text).toBe(text.replace(/前$/, ''));
    expect((entity!.value as { datetime: string }).datetime).toBe(datetime);
  });

  it.each([
    ['明天', '2024-12-31'],
    ['后天', '2025-01-01'],
    ['大后天', '2025-01-02'],
    ['下周三', '2025-01-08'],
    ['周三', '2025-01-01'],
    ['这周日', '2025-01-05'],
    ['上周五', '2024-12-27'],
    ['3月5号', '2025-03-05'],
    ['1月2日', '2025-01-02'],
    ['12月25号', '2024-12-25'],
    ['2025年2月1日', '2025-02-01'],
    ['2025-02-28', '2025-02-28'],
    ['5号发货', '2025-01-05'],
    ['下个月3号', '2025-01-03'],
    ['三天后', '2025-01-02'],
    ['next Friday', '2025-01-10'],
    ['Friday', '2025-01-03'],
    ['March 5', '2025-03-05'],
    ['5th of March', '2025-03-05'],
    ['Dec 24', '2024-12-24'],
    ['in 3 days', '2025-01-02'],
    ['明天下午', '2024-12-31'],
    ['tomorrow morning', '2024-12-31'],
  ])('%s → %s', (text, date) => {
    const dates = extractor.extract(text).filter((e) => e.type === 'date' || e.type === 'datetime');
    expect(dates).toHaveLength(1);
    expect((dates[0]!.value as { date: string }).date).toBe(date);
  });

  it('does not take sizes, battery types or "a little" for dates and times', () => {
    for (const text of ['37号鞋', '5号电池', '便宜一点', '快一点发货', '2月30号']) {
      expect(extractor.extract(text).filter((e) => e.type === 'date' || e.type === 'datetime')).toEqual([]);
    }
  });

  it('resolves in the configured time zone', () => {
    // 20:00 UTC on 30 Dec is already 31 Dec in Shanghai, still 30 Dec in New York.
    const late = () => new Date('2024-12-30T20:00:00Z');
    const shanghai = createEntityExtractor({ now: late });
    const newYork = createEntityExtractor({ now: late, timeZone: 'America/New_York' });
    expect((shanghai.extract('明天')[0]!.value as { date: string }).date).toBe('2025-01-01');
    expect((newYork.extract('tomorrow 3pm')[0]!.value as { datetime: string }).datetime).toBe(
      '2024-12-31T15:00:00-05:00',
    );
  });
});

describe('products', () => {
  it('matches names and aliases, whole words for Latin names', () => {
    expect(values('买了两个保温杯', 'product')).toEqual([{ id: 'cup' }]);
    expect(values('my THERMOS leaks', 'product')).toEqual([{ id: 'cup' }]);
    expect(values('the pro max is great', 'product')).toEqual([{ id: 'pro' }]);
    expect(values('production issue', 'product')).toEqual([]);
  });
});

describe('locations', () => {
  it.each([
    ['发到广东深圳', { province: '广东省', city: '深圳市' }],
    ['广东省深圳市南山区', { province: '广东省', city: '深圳市' }],
    ['寄到深圳', { province: '广东省', city: '深圳市' }],
    ['新疆包邮吗', { province: '新疆维吾尔自治区' }],
    ['北京', { province: '北京市', city: '北京市' }],
    ['吉林吉林', { province: '吉林省', city: '吉林市' }],
    ['河南开封', { province: '河南省', city: '开封市' }],
    ['开封市', { province: '河南省', city: '开封市' }],
    ['延边', { province: '吉林省', city: '延边朝鲜族自治州' }],
    ['do you ship to Shenzhen', { province: '广东省', city: '深圳市' }],
    ['Hong Kong', { province: '香港特别行政区', city: '香港特别行政区' }],
  ])('%s', (text, location) => {
    expect(values(text, 'location')).toEqual([location]);
  });

  it('does not read everyday words as places', () => {
    for (const text of ['已开封的能退吗', '日照充足', '中山路那家店', '包头拖鞋']) {
      expect(values(text, 'location')).toEqual([]);
    }
  });
});

describe('overlaps', () => {
  it('keeps the longest match', () => {
    const types = extractor
      .extract('明天下午三点前把两件保温杯寄到广东深圳，电话13812345678，付了三百五十块')
      .map((e) => e.type);
    expect(types).toEqual(['datetime', 'quantity', 'product', 'location', 'phone', 'money']);
  });
});

describe('entities in dialect messages', () => {
  const extractor = createEntityExtractor({ now: () => new Date('2026-11-26T10:00:00+08:00') });

  it('reads Cantonese day words in Mandarin, with spans over what the customer wrote', () => {
    expect(extractor.extract('聽日可唔可以送到')).toEqual([
      { type: 'date', text: '聽日', start: 0, end: 2, value: { date: '2026-11-27' } },
    ]);
    const [date, order] = extractor.extract('我想琴日嗰張單 20240523001 退錢');
    expect(date).toMatchObject({
      type: 'date',
      text: '琴日',
      start: 2,
      end: 4,
      value: { date: '2026-11-25' },
    });
    expect(order).toMatchObject({ type: 'order_number', text: '20240523001', start: 8, end: 19 });
    expect(extractor.extract('佢話聽朝十點送嚟')[0]).toMatchObject({
      type: 'datetime',
      text: '聽朝十點',
      value: { date: '2026-11-27', time: '10:00' },
    });
  });

  it('finds the same entities in Mandarin as before', () => {
    expect(extractor.extract('系统显示明天到')).toEqual([
      { type: 'date', text: '明天', start: 4, end: 6, value: { date: '2026-11-27' } },
    ]);
  });
});
