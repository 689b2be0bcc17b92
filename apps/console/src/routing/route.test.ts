import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './route.ts';

describe('hash routes', () => {
  it('parses and prints every route', () => {
    const id = '0190a000-0000-7000-8000-000000000001';
    for (const route of [
      { name: 'inbox', conversationId: null },
      { name: 'inbox', conversationId: id },
      { name: 'channels' },
      { name: 'apiKeys' },
      { name: 'routingRules' },
      { name: 'replyTemplates' },
      { name: 'agentMetrics' },
      { name: 'topics' },
      { name: 'calls', callId: null },
      { name: 'calls', callId: id },
      { name: 'speechSettings' },
      { name: 'campaigns', campaignId: null },
      { name: 'campaigns', campaignId: id },
      { name: 'doNotCall' },
      { name: 'jobs' },
      { name: 'tickets', ticketId: null },
      { name: 'tickets', ticketId: id },
      { name: 'ticketSettings' },
      { name: 'review', week: null },
      { name: 'review', week: '2026-06-01' },
      { name: 'kpis' },
      { name: 'costs' },
      { name: 'wallboard' },
    ] as const) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
    // The weekly review mail links to its week; anything else there is ignored.
    expect(parseRoute('#/review/2026-06-01')).toEqual({ name: 'review', week: '2026-06-01' });
    expect(parseRoute('#/review/next')).toEqual({ name: 'review', week: null });
  });

  it('falls back to the inbox for unknown or malformed hashes', () => {
    expect(parseRoute('')).toEqual({ name: 'inbox', conversationId: null });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'inbox', conversationId: null });
    expect(parseRoute('#/inbox/<script>')).toEqual({ name: 'inbox', conversationId: null });
    expect(parseRoute('#/settings')).toEqual({ name: 'channels' });
    expect(parseRoute('#/calls/<img>')).toEqual({ name: 'calls', callId: null });
    expect(parseRoute('#/campaigns/<img>')).toEqual({ name: 'campaigns', campaignId: null });
    expect(parseRoute('#/settings/do-not-call')).toEqual({ name: 'doNotCall' });
    expect(parseRoute('#/tickets/<img>')).toEqual({ name: 'tickets', ticketId: null });
  });
});
