import { describe, expect, it } from 'vitest';
import { parseChineseNumber, replaceChineseNumerals } from './numerals.ts';

describe('parseChineseNumber', () => {
  it.each([
    ['三百五十', 350],
    ['两千零五', 2005],
    ['一万二', 12000],
    ['一万零二', 10002],
    ['三千五', 3500],
    ['两百五', 250],
    ['一千二百五', 1250],
    ['十五', 15],
    ['二十', 20],
    ['一百零八', 108],
    ['十万', 100000],
    ['三亿五千万', 350000000],
    ['0.5', 0.5],
    ['1.2万', 12000],
    ['1万2', 12000],
    ['3千5', 3500],
    ['二零二四', 2024],
    ['三点五', 3.5],
    ['零', 0],
    ['壹佰贰拾叁', 123],
    ['兩萬', 20000],
    ['百分之五十', 0.5],
  ])('%s → %d', (input, expected) => {
    expect(parseChineseNumber(input)).toBe(expected);
  });

  it.each([
    ['三块五', 3.5],
    ['三块五毛', 3.5],
    ['三块零五分', 3.05],
    ['三块五毛六', 3.56],
    ['五毛', 0.5],
    ['一百二十块', 120],
    ['九十九元', 99],
  ])('money %s → %d', (input, expected) => {
    expect(parseChineseNumber(input)).toBe(expected);
  });

  it.each(['', '你好', '千万', '一五一十', '三四十', '百', 'abc'])('rejects %s', (input) => {
    expect(parseChineseNumber(input)).toBeNull();
  });
});

describe('replaceChineseNumerals', () => {
  it.each([
    ['三百五十块', '350块'],
    ['买了两件衣服', '买了2件衣服'],
    ['一万二的预算', '12000的预算'],
    ['预算1.2万', '预算12000'],
    ['等了三天了', '等了3天了'],
    ['第三次问了', '第3次问了'],
    ['第一', '第1'],
    ['下午三点半', '下午3点半'],
    ['下午三点五十到', '下午3点50到'],
    ['晚上一点', '晚上1点'],
    ['一点半到', '1点半到'],
    ['三点五公斤', '3.5公斤'],
    ['五千克', '5千克'],
    ['百分之五十的折扣', '50%的折扣'],
    ['三点十分', '3点10分'],
    ['十分钟后', '10分钟后'],
    ['二零二四年', '2024年'],
    ['手机一三八零零一三八零零零', '手机13800138000'],
    ['两千零五年', '2005年'],
    ['一万零二百', '10200'],
  ])('%s → %s', (input, expected) => {
    expect(replaceChineseNumerals(input)).toBe(expected);
  });

  it.each([
    '等一下',
    '我们一起去',
    '统一发货',
    '万一丢了怎么办',
    '千万不要发顺丰',
    '十分满意',
    '便宜一点吧',
    '快一点',
    '三四天能到吗',
    '十几块钱',
    '几十个',
    '周一发货吗',
    '星期三',
    '一次性付清',
    '唯一的问题',
    '一样的',
    '一直没到',
    '三三两两',
    '一五一十地说',
    '一定要',
    '一点点',
    '一般多久',
  ])('keeps %s', (input) => {
    expect(replaceChineseNumerals(input)).toBe(input);
  });

  it('leaves Arabic and Latin text untouched', () => {
    expect(replaceChineseNumerals('Order SF123 costs 3.5 USD')).toBe('Order SF123 costs 3.5 USD');
  });
});
