import { describe, expect, it } from 'vitest';
import { catalogues, translate } from '../i18n/catalogue.ts';
import { customerLabel } from './labels.ts';

const t = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) =>
  translate(catalogues['zh-CN'], key, vars);
const id = '01900000-0000-7000-8000-00000000abcd';

describe('customerLabel', () => {
  it('prefers the name, the API customer’s external id, the phone, then 访客 and the id’s last four', () => {
    expect(customerLabel({ id, name: ' 李雷 ', externalId: 'crm-42' }, t)).toBe('李雷');
    expect(customerLabel({ id, name: null, externalId: 'crm-42', phone: '138****8000' }, t)).toBe('crm-42');
    // Callers and SMS senders are known by their number (masked by the server).
    expect(customerLabel({ id, name: null, externalId: null, phone: '138****8000' }, t)).toBe('138****8000');
    expect(customerLabel({ id, name: '  ', externalId: null }, t)).toBe('访客 ABCD');
  });
});
