import { describe, expect, it } from 'vitest';
import { maskAddress, maskEmail, maskName, maskPhone } from './masking.ts';

describe('masking', () => {
  it('phones', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('+86 138****5678');
    expect(maskPhone('+8613812345678')).toBe('+86138****5678');
    expect(maskPhone('010-12345678')).toBe('010****5678');
    expect(maskPhone('5551234')).toBe('55*1234');
    expect(maskPhone('+1 415 555 0100')).toBe('+1 41****0100');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('n/a')).toBe('***');
  });

  it('emails', () => {
    expect(maskEmail('zhangsan@example.com')).toBe('z*******@example.com');
    expect(maskEmail('ab@qq.com')).toBe('***@qq.com');
    expect(maskEmail(' Li.Lei@163.com ')).toBe('L*****@163.com');
    expect(maskEmail('张三@例子.中国')).toBe('***@例子.中国');
    expect(maskEmail('not-an-email')).toBe('n***********');
  });

  it('names', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('李*');
    expect(maskName('John Smith')).toBe('J*** S****');
    expect(maskName('  Zoë  ')).toBe('Z**');
    expect(maskName('')).toBe('');
  });

  it('addresses', () => {
    expect(maskAddress('北京市朝阳区建国路88号')).toBe('北京市朝阳区******');
    expect(maskAddress('广东省深圳市南山区科技园南区1栋201室')).toBe('广东省深圳市南山区********');
    expect(maskAddress('浙江省杭州市西湖区')).toBe('浙江省杭州市西湖区');
    expect(maskAddress('221B Baker Street, London')).toBe('**** ***** ******, London');
    expect(maskAddress('1600 Amphitheatre Pkwy, Mountain View, CA')).toBe(
      '**** ************ ****, Mountain View, CA',
    );
  });
});
