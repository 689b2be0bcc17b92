// A fixture of shop conversations and calls for the default zh-CN ruleset: clean ones a supervisor would
// pass, and ones with planted violations, each naming the rules it breaks. Written by hand for issue 12's
// acceptance check (every planted violation flagged, under 5 % false flags on the clean ones).
import type { QualityMessage, QualitySegment, QualityTranscript } from '@zhike/core';

export interface FixtureCase {
  name: string;
  transcript: QualityTranscript;
  /** The rule ids of the default ruleset this case breaks (empty: clean). */
  breaks: string[];
}

type Line = [speaker: 'c' | 'a' | 'b', seconds: number, text: string, botOutcome?: string];

const T0 = Date.parse('2026-11-20T02:00:00.000Z');
function chat(name: string, breaks: string[], lines: Line[]): FixtureCase {
  const messages: QualityMessage[] = lines.map(([who, s, text, outcome], i) => ({
    id: `${name}-${i}`,
    speaker: who === 'c' ? 'customer' : who === 'a' ? 'agent' : 'bot',
    agentId: who === 'a' ? 'agent-1' : null,
    text,
    at: new Date(T0 + s * 1000).toISOString(),
    botOutcome: who === 'c' ? (outcome ?? null) : null,
  }));
  return { name, breaks, transcript: { subject: 'conversation', messages } };
}

type Seg = [speaker: 'c' | 'a' | 'b', startS: number, endS: number, text: string];
function call(name: string, breaks: string[], segs: Seg[], holds: [number, number][] = []): FixtureCase {
  const segments: QualitySegment[] = segs.map(([who, a, b, text], seq) => ({
    seq,
    speaker: who === 'c' ? 'customer' : who === 'a' ? 'agent' : 'bot',
    startMs: a * 1000,
    endMs: b * 1000,
    text,
  }));
  return {
    name,
    breaks,
    transcript: {
      subject: 'call',
      segments,
      holds: holds.map(([a, b]) => ({ startMs: a * 1000, endMs: b * 1000 })),
      waits: [],
    },
  };
}

export const cleanCases: FixtureCase[] = [
  chat(
    'where-is-my-parcel',
    [],
    [
      ['c', 0, '我的快递到哪了'],
      ['a', 20, '您好，很高兴为您服务，请提供一下订单号'],
      ['c', 40, 'ZK20261125001'],
      ['a', 70, '已为您查询，包裹今天下午送达'],
      ['c', 80, '好的谢谢'],
      ['a', 90, '不客气，还有什么可以帮您？'],
    ],
  ),
  chat(
    'refund-told',
    [],
    [
      ['c', 0, '我要退款'],
      ['a', 15, '您好，请问是哪个订单呢'],
      ['c', 30, '订单号ZK20261120007'],
      ['a', 60, '已为您提交退款，款项3个工作日内原路退回'],
      ['c', 70, '好的'],
      ['a', 80, '还有其他问题可以随时联系我们，祝您生活愉快'],
    ],
  ),
  chat(
    'size-exchange',
    [],
    [
      ['c', 0, '衣服买小了能换大一码吗'],
      ['a', 25, '您好，可以的，收到货7天内都可以换'],
      ['c', 45, '那我怎么寄回去'],
      ['a', 70, '在订单页点申请换货，会有快递上门取件'],
      ['c', 90, '明白了'],
      ['a', 100, '感谢您的耐心，祝您生活愉快'],
    ],
  ),
  chat(
    'invoice',
    [],
    [
      ['c', 0, '可以开发票吗'],
      ['a', 10, '您好，可以开具电子普通发票'],
      ['c', 30, '抬头写公司名'],
      ['a', 55, '好的，已经备注，发票会在发货后发到您的邮箱'],
      ['a', 60, '还有什么可以帮您？'],
    ],
  ),
  chat(
    'angry-calmed',
    [],
    [
      ['c', 0, '你们到底怎么回事，气死我了，等了一个星期还没到'],
      ['a', 20, '您好，非常抱歉让您久等了，我马上为您查询'],
      ['a', 50, '查到了，包裹在中转站滞留，我已经联系快递加急派送，明天一定送到'],
      ['c', 70, '好吧，那明天一定要到'],
      ['a', 85, '一定的，我会持续跟进，感谢您的耐心'],
      ['c', 95, '好的谢谢'],
      ['a', 100, '不客气，祝您生活愉快'],
    ],
  ),
  chat(
    'address-change',
    [],
    [
      ['c', 0, '我想修改收货地址'],
      ['a', 15, '您好，为了核实身份，请提供下单手机号后四位'],
      ['c', 40, '8000'],
      ['a', 60, '核实通过，请发新的地址'],
      ['c', 90, '北京市朝阳区建国路88号'],
      ['a', 110, '已为您修改好了，还有其他问题吗？'],
    ],
  ),
  chat(
    'coupon',
    [],
    [
      ['c', 0, '优惠券怎么用不了'],
      ['a', 12, '您好，这张券需要满199元才能使用'],
      ['c', 30, '哦原来如此'],
      ['a', 45, '您再加一件就可以用了，还有什么可以帮您'],
    ],
  ),
  chat(
    'stock',
    [],
    [
      ['c', 0, '这款还有黑色的吗'],
      ['a', 20, '您好，黑色目前有货，M和L码都有'],
      ['c', 35, '那我下单了'],
      ['a', 50, '好的，感谢您的支持，祝您生活愉快'],
    ],
  ),
  chat(
    'refund-progress',
    [],
    [
      ['c', 0, '退款什么时候到账'],
      ['a', 30, '您好，退款已经在处理，一般1-3个工作日内原路退回'],
      ['c', 50, '好的谢谢'],
      ['a', 60, '不客气，再见'],
    ],
  ),
  chat(
    'english-customer',
    [],
    [
      ['c', 0, 'Where is my order?'],
      ['a', 20, 'Hello, could you share your order number?'],
      ['c', 40, 'ZK20261125001'],
      ['a', 60, 'It ships today. 感谢您的耐心'],
    ],
  ),
  chat(
    'bot-only-answered',
    [],
    [
      ['c', 0, '几点发货', 'answered'],
      ['b', 1, '每天下午5点前的订单当天发货'],
      ['c', 20, '好的', 'answered'],
      ['b', 21, '还有其他问题随时问我'],
    ],
  ),
  chat(
    'bot-handed-off',
    [],
    [
      ['c', 0, '转人工', 'handed_off'],
      ['b', 1, '正在为您转接人工客服'],
      ['a', 30, '您好，请问有什么可以帮您'],
      ['c', 45, '我想问下保修'],
      ['a', 70, '产品保修一年，凭订单即可'],
      ['a', 75, '还有什么可以帮您？'],
    ],
  ),
  chat(
    'bot-one-fallback',
    [],
    [
      ['c', 0, '嗯嗯嗯', 'fallback'],
      ['b', 1, '不好意思没理解，可以换个说法吗'],
      ['c', 10, '发什么快递', 'answered'],
      ['b', 11, '默认发顺丰'],
    ],
  ),
  chat(
    'return-label',
    [],
    [
      ['c', 0, '退货要自己付运费吗'],
      ['a', 20, '您好，质量问题的退货运费由我们承担'],
      ['c', 40, '是质量问题，拉链坏了'],
      ['a', 60, '非常抱歉，已为您申请退货，快递员明天上门，退款在收到货后3个工作日内原路退回'],
      ['c', 80, '行'],
      ['a', 90, '感谢您的理解，祝您生活愉快'],
    ],
  ),
  chat(
    'quick-thanks',
    [],
    [
      ['c', 0, '在吗'],
      ['a', 5, '您好，在的'],
      ['c', 10, '你们周末发货吗'],
      ['a', 20, '周末正常发货，还有其他问题吗'],
    ],
  ),
  call(
    'call-parcel',
    [],
    [
      ['b', 0, 2, '您好，这里是演示小店'],
      ['c', 3, 6, '我要查快递'],
      ['a', 8, 11, '您好，很高兴为您服务，请说一下订单号'],
      ['c', 12, 16, '订单号是ZK20261125001'],
      ['a', 17, 21, '查到了，今天下午送达'],
      ['c', 22, 23, '好的谢谢'],
      ['a', 24, 26, '不客气，还有什么可以帮您'],
    ],
  ),
  call(
    'call-short-hold',
    [],
    [
      ['a', 0, 3, '您好，很高兴为您服务'],
      ['c', 4, 7, '我想问一下保修'],
      ['a', 8, 10, '请稍等，我查一下'],
      ['a', 40, 44, '让您久等了，产品保修一年'],
      ['c', 45, 46, '好的'],
      ['a', 47, 49, '还有其他问题吗'],
    ],
    [[10, 39]],
  ),
  call(
    'call-backchannel',
    [],
    [
      ['a', 0, 3, '您好，很高兴为您服务'],
      ['c', 4, 12, '我上周买的耳机左边没有声音'],
      ['a', 10, 10.5, '嗯'],
      ['a', 13, 18, '非常抱歉，给您换一个新的'],
      ['c', 19, 20, '好的谢谢'],
      ['a', 21, 23, '感谢您的耐心，再见'],
    ],
  ),
];

export const plantedCases: FixtureCase[] = [
  chat(
    'forbidden-dont-know',
    ['forbidden-words'],
    [
      ['c', 0, '这个能用多久'],
      ['a', 20, '您好，这个我不知道'],
      ['a', 30, '还有什么可以帮您'],
    ],
  ),
  chat(
    'forbidden-traditional-spaced',
    ['forbidden-words'],
    [
      ['c', 0, '保修多久'],
      ['a', 20, '您好，這個不 歸我管'],
      ['a', 30, '还有什么可以帮您'],
    ],
  ),
  chat(
    'forbidden-look-yourself',
    ['forbidden-words'],
    [
      ['c', 0, '尺码怎么选'],
      ['a', 20, '您好，详情页有尺码表，你自己看吧'],
      ['a', 30, '还有什么可以帮您'],
    ],
  ),
  chat(
    'no-greeting',
    ['greeting'],
    [
      ['c', 0, '什么时候发货'],
      ['a', 20, '明天发货'],
      ['a', 25, '还有什么可以帮您'],
    ],
  ),
  chat(
    'no-closing',
    ['closing'],
    [
      ['c', 0, '什么时候发货'],
      ['a', 20, '您好，明天发货'],
      ['c', 30, '好的'],
      ['a', 40, '嗯'],
    ],
  ),
  chat(
    'refund-no-time-limit',
    ['refund-time-limit'],
    [
      ['c', 0, '我要退款'],
      ['a', 20, '您好，已经为您提交了'],
      ['a', 30, '还有什么可以帮您'],
    ],
  ),
  chat(
    'slow-reply',
    ['response-time'],
    [
      ['c', 0, '在吗'],
      ['a', 20, '您好，在的'],
      ['c', 30, '我的订单还没发货'],
      ['a', 200, '已经催仓库了，还有什么可以帮您'],
    ],
  ),
  chat(
    'angry-left-angry',
    ['anger'],
    [
      ['c', 0, '你们到底怎么回事，气死我了'],
      ['a', 20, '您好，请问订单号是多少'],
      ['c', 40, '说了多少遍了，垃圾服务，气死了'],
      ['a', 60, '好的，还有什么可以帮您'],
    ],
  ),
  chat(
    'rude-agent',
    ['tone'],
    [
      ['c', 0, '这个怎么用'],
      ['a', 20, '您好，说明书上写着呢，烦不烦'],
      ['a', 30, '还有什么可以帮您'],
    ],
  ),
  chat(
    'bot-fallbacks',
    ['bot-fallbacks'],
    [
      ['c', 0, '那个东西', 'fallback'],
      ['b', 1, '不好意思没理解，请换个说法'],
      ['c', 10, '就是那个啊', 'fallback'],
      ['b', 11, '不好意思没理解，请换个说法'],
    ],
  ),
  chat(
    'bot-ignores-human',
    ['bot-human-request'],
    [
      ['c', 0, '我要找人工客服', 'answered'],
      ['b', 1, '您可以在帮助中心查看常见问题'],
    ],
  ),
  chat(
    'several-at-once',
    ['forbidden-words', 'refund-time-limit', 'closing'],
    [
      ['c', 0, '我要退款'],
      ['a', 20, '您好，这个不归我管'],
      ['a', 30, '找别人去'],
    ],
  ),
  call(
    'call-interrupting',
    ['interruption'],
    [
      ['a', 0, 3, '您好，很高兴为您服务'],
      ['c', 4, 12, '我上周买的耳机左边没有声音想换一个'],
      ['a', 6, 9, '您先别说了，听我讲'],
      ['c', 13, 20, '可是我还没说完'],
      ['a', 15, 18, '我知道我知道'],
      ['a', 21, 23, '还有什么可以帮您'],
    ],
  ),
  call(
    'call-silence',
    ['silence'],
    [
      ['a', 0, 3, '您好，很高兴为您服务'],
      ['c', 4, 7, '我想问一下保修'],
      ['a', 40, 44, '产品保修一年'],
      ['a', 45, 47, '还有什么可以帮您'],
    ],
  ),
  call(
    'call-long-hold',
    ['hold'],
    [
      ['a', 0, 3, '您好，很高兴为您服务'],
      ['c', 4, 7, '我想问一下保修'],
      ['a', 8, 10, '请稍等'],
      ['a', 200, 204, '产品保修一年'],
      ['a', 205, 207, '还有什么可以帮您'],
    ],
    [[10, 199]],
  ),
];
