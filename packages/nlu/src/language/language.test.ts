import { describe, expect, it } from 'vitest';
import { detectLanguage, type Language } from './index.ts';

const LABELLED: readonly [string, Language][] = [
  ['我的快递什么时候到', 'zh-Hans'],
  ['请问可以开发票吗', 'zh-Hans'],
  ['这个衣服有没有大一码的', 'zh-Hans'],
  ['退款怎么还没到账', 'zh-Hans'],
  ['你好', 'zh-Hans'],
  ['我的订单 SF1234567890 到哪了', 'zh-Hans'],
  ['没关系，谢谢', 'zh-Hans'],
  ['系统显示已签收但是我没收到', 'zh-Hans'],
  ['請問這個訂單甚麼時候發貨', 'zh-Hant'],
  ['我想退貨，運費誰出？', 'zh-Hant'],
  ['可以開發票嗎', 'zh-Hant'],
  ['關係很好，謝謝你們的服務', 'zh-Hant'],
  ['這件衣服顏色跟圖片不一樣', 'zh-Hant'],
  ['包裹還沒收到', 'zh-Hant'],
  ['我哋嘅訂單幾時到呀', 'yue'],
  ['你係咪唔想退款', 'yue'],
  ['點解仲未到', 'yue'],
  ['佢話今日會送到', 'yue'],
  ['呢件衫有冇大啲嘅', 'yue'],
  ['我唔要啦，可唔可以退錢', 'yue'],
  ['系咪包邮㗎', 'yue'],
  ['个快递喺边度', 'yue'],
  ['Where is my order?', 'en'],
  ['I want a refund please', 'en'],
  ['do you ship to Canada', 'en'],
  ['单号 SF123 where is it', 'en'],
  ['The package arrived damaged, what should I do?', 'en'],
  ['can I change my address', 'en'],
  ['thanks!', 'en'],
  ['こんにちは、注文はいつ届きますか', 'ja'],
  ['返品したいです', 'ja'],
  ['주문은 언제 도착하나요', 'ko'],
  ['Где мой заказ', 'ru'],
  ['Đơn hàng của tôi khi nào được giao?', 'vi'],
  ['don hang cua toi khi nao toi', 'vi'],
  ['Pesanan saya belum sampai, tolong dicek', 'ms'],
  ['Bila barang saya akan dihantar?', 'ms'],
  ['ขอบคุณครับ', 'th'],
  ['Де моє замовлення і коли його доставлять', 'other'],
  ['¿Dónde está mi pedido?', 'other'],
  ['Où est ma commande, merci', 'other'],
  ['Wo ist meine Bestellung', 'other'],
  ['طلبي لم يصل', 'other'],
  ['สินค้ามาถึงเมื่อไหร่', 'th'],
];

describe('detectLanguage', () => {
  it.each(LABELLED)('%s → %s', (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });

  it('reports its accuracy on the labelled set', () => {
    const correct = LABELLED.filter(([text, language]) => detectLanguage(text).language === language).length;
    const accuracy = correct / LABELLED.length;
    console.info(
      `language detection accuracy: ${(accuracy * 100).toFixed(1)}% (${correct}/${LABELLED.length})`,
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('is unsure about empty, symbol-only and one-word messages', () => {
    expect(detectLanguage('')).toEqual({ language: 'other', confidence: 0, variety: null });
    expect(detectLanguage('123456 😀')).toEqual({ language: 'other', confidence: 0, variety: null });
    expect(detectLanguage('ok').confidence).toBeLessThan(0.8);
    expect(detectLanguage('好').confidence).toBeLessThan(0.8);
  });

  it('is confident about a full sentence', () => {
    expect(detectLanguage('请问这个订单什么时候可以发货呢').confidence).toBeGreaterThan(0.8);
    expect(detectLanguage('When will my order be shipped to me?').confidence).toBeGreaterThan(0.8);
  });

  it('does not take 關係 (relationship) for Cantonese 係', () => {
    expect(detectLanguage('關係').language).toBe('zh-Hant');
  });

  it('reads written Cantonese from the dialect lexicon too', () => {
    expect(detectLanguage('我張單幾時到呀?').language).toBe('yue');
    expect(detectLanguage('唔使畀運費').language).toBe('yue');
  });

  it('marks Sichuanese-flavoured Mandarin as a variety of its script', () => {
    expect(detectLanguage('啥子时候发货嘛')).toMatchObject({ language: 'zh-Hans', variety: 'sichuan' });
    expect(detectLanguage('我的快遞咋個還沒到')).toMatchObject({ language: 'zh-Hant', variety: 'sichuan' });
    expect(detectLanguage('莫得收到货，咋个办')).toMatchObject({ language: 'zh-Hans', variety: 'sichuan' });
  });

  it('leaves the variety empty for Mandarin and other languages', () => {
    for (const text of ['我的快递什么时候到', '不晓得到哪里了', 'Where is my order?', '返品したいです']) {
      expect(detectLanguage(text).variety, text).toBeNull();
    }
  });

  it('reads Vietnamese typed with combining tone marks', () => {
    expect(detectLanguage('Đơn hàng của tôi'.normalize('NFD')).language).toBe('vi');
  });

  it('takes a Latin text of words it does not know for English, with little confidence', () => {
    const guess = detectLanguage('zhike xyz');
    expect(guess.language).toBe('en');
    expect(guess.confidence).toBeLessThan(0.6);
  });

  it('is confident about a sentence in each script-distinct language', () => {
    for (const text of [
      '注文した商品がまだ届きません',
      '주문한 물건이 아직 안 왔어요',
      'สินค้ายังไม่ได้รับเลยค่ะ',
      'Когда будет доставка?',
    ]) {
      expect(detectLanguage(text).confidence, text).toBeGreaterThan(0.85);
    }
  });

  it('reports Ukrainian, not Russian, for Ukrainian letters', () => {
    expect(detectLanguage('Дякую, посилку отримав і все добре').language).toBe('other');
  });
});
