import type { BotSettingsView, TemplateSummary } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from '../routing/route.ts';
import { keptValues, templateName, templateVariables } from './templates.ts';

const catering: TemplateSummary = {
  id: 'catering',
  faqCount: 14,
  intentCount: 7,
  locales: {
    'zh-CN': {
      name: '餐饮外卖',
      description: '',
      variables: [
        { key: 'shop.name', label: '店名', default: '小馆' },
        { key: 'policy.prepaid_refund', label: '储值退款', default: '可退' },
      ],
    },
    'en-US': {
      name: 'Restaurant',
      description: '',
      variables: [
        { key: 'shop.name', label: 'Shop name', default: 'Little Kitchen' },
        { key: 'policy.prepaid_refund', label: 'Prepaid refunds', default: 'Refundable' },
      ],
    },
  },
};

describe('template catalogue in the wizard', () => {
  it('labels in the console’s language, defaults in the bot’s', () => {
    expect(templateName(catering, 'en-US')).toBe('Restaurant');
    expect(templateVariables(catering, 'en-US', 'zh-CN')).toEqual([
      { key: 'shop.name', label: 'Shop name', default: '小馆' },
      { key: 'policy.prepaid_refund', label: 'Prepaid refunds', default: '可退' },
    ]);
  });

  it('keeps saved values of keys the chosen template declares, nothing else', () => {
    const settings = {
      variables: { 'shop.name': '老王', 'price.implant': '6800' },
    } as unknown as BotSettingsView;
    expect(keptValues(catering, settings)).toEqual({ 'shop.name': '老王' });
    expect(keptValues(catering, null)).toEqual({});
  });

  it('has hash routes for the wizard and the bot settings page', () => {
    for (const route of [{ name: 'setup' }, { name: 'botSettings' }] as const)
      expect(parseRoute(routeHref(route))).toEqual(route);
    expect(routeHref({ name: 'botSettings' })).toBe('#/settings/bot');
  });
});
