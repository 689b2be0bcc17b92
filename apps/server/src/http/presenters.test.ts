// The one masking function: what each kind of personal data looks like when it leaves the server.
import type { Customer } from '@zhike/core';
import { describe, expect, it } from 'vitest';
import { customerDto, maskedPii, maskIp, revealedCustomerDto } from './presenters.ts';

const customer: Customer = {
  id: '01a21484-4a00-70e7-a45e-ccc82a0ea72c',
  workspaceId: 'w',
  name: '张三丰',
  email: 'zhangsan@example.com',
  phone: '13812345678',
  identities: [
    { kind: 'phone', value: '13812345678' },
    { kind: 'email', value: 'zhangsan@example.com' },
    { kind: 'external', value: 'crm-7' },
  ],
  createdAt: '2026-11-25T00:00:00.000Z',
} as Customer;

describe('masking', () => {
  it('masks every personal field of a customer, identities included', () => {
    const dto = customerDto(customer);
    expect(dto).toMatchObject({ name: '张**', email: 'z*******@example.com', phone: '138****5678' });
    expect(dto.identities).toEqual([
      { channel: 'phone', value: '138****5678' },
      { channel: 'email', value: 'z*******@example.com' },
      { channel: 'external', value: 'crm-7' },
    ]);
    expect(JSON.stringify(dto)).not.toMatch(/13812345678|zhangsan|张三丰/);
  });

  it('reveals only the fields asked for', () => {
    expect(revealedCustomerDto(customer, ['phone'])).toEqual({ id: customer.id, phone: '13812345678' });
  });

  it('masks personal form fields by name and leaves the rest readable', () => {
    expect(
      maskedPii.formFields({
        phone: '13812345678',
        contact_email: 'a.b@example.cn',
        pickup_address: '北京市朝阳区建国路88号',
        patient_name: '李雷',
        order_number: 'ZK20261125001',
        reason: '尺码太小',
      }),
    ).toEqual({
      phone: '138****5678',
      contact_email: 'a***@example.cn',
      pickup_address: '北京市朝阳区******',
      patient_name: '李*',
      order_number: 'ZK20261125001',
      reason: '尺码太小',
    });
  });

  it('masks IP addresses to their network', () => {
    expect(maskIp('203.0.113.7')).toBe('203.0.*.*');
    expect(maskIp('::ffff:127.0.0.1')).toBe('127.0.*.*');
    expect(maskIp('2001:db8:1:2::7')).toBe('2001:db8:*');
  });
});
