// Tenant isolation: walks EVERY registered route and proves that workspace A's user and API key cannot
// reach workspace B's ids (404/403) and never see B's data. A new route without a case here fails the test.
import { createIdGenerator, systemClock } from '@zhike/core';
import { type Backend, testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { createApiKey } from './http/apiKeys.ts';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

/** Routes that take no workspace-owned ids, with the reason. */
const outreachRule = {
  noOrderForDays: null,
  includeNeverOrdered: false,
  noContactForDays: null,
  rfmMin: null,
  rfmMax: null,
  tags: [],
  tiers: [],
};

const exempt: Record<string, string> = {
  'POST /api/v1/auth/login': 'public; finds the workspace from the credentials',
  'GET /api/v1/widget/config': 'public; scoped by the inbox widget token',
  'POST /api/v1/widget/sessions': 'public; scoped by the inbox widget token and signed visitor token',
  'GET /api/v1/widget/ws':
    'public WebSocket; scoped by widget token and signed visitor token (realtime.test.ts)',
  'OPTIONS /api/v1/widget/*': 'CORS preflight, no data',
  'POST /api/v1/widget/attachments':
    'public; scoped by the widget token and signed visitor token (privacy.test.ts)',
  'GET /api/v1/widget/attachments/:id':
    'public; only the visitor’s own conversation, by widget token and signed visitor token (privacy.test.ts)',
  'GET /api/v1/console/ws': 'WebSocket; workspace from the session (realtime.test.ts)',
  // Outside /api/v1, so the walk below skips it; listed for the reader and checked by its own case.
  'GET /metrics':
    'the operator’s Prometheus scrape (loopback/private or ZHIKE_METRICS_TOKEN): process-wide totals, no workspace’s data',
  // Workspace settings without ids; with every other route, in tests/integration/tenancy-matrix.test.ts.
  'GET /api/v1/templates': 'the template catalogue, the same for every workspace',
  'GET /api/v1/bot/settings': 'the caller workspace settings, no ids (tenancy matrix)',
  'PUT /api/v1/bot/settings': 'the caller workspace settings, no ids (tenancy matrix)',
  'GET /api/v1/setup': 'the caller workspace setup state, no ids (tenancy matrix)',
  'POST /api/v1/setup/complete': 'the caller workspace setup state, no ids (tenancy matrix)',
  'GET /api/v1/bot/dialogue': 'the caller workspace dialogue, no ids (tenancy matrix)',
  'PUT /api/v1/bot/dialogue': 'the caller workspace dialogue, no ids (tenancy matrix)',
  'GET /api/v1/bot/dialogue/versions': 'the caller workspace dialogue versions, no ids (tenancy matrix)',
  'GET /api/v1/routing/rules': 'the caller workspace routing rules, no ids (tenancy matrix)',
  'POST /api/v1/routing/rules': 'the caller workspace routing rules, no ids (tenancy matrix)',
  'PUT /api/v1/routing/rule-order': 'the caller workspace routing rules, no ids (tenancy matrix)',
  'POST /api/v1/routing/simulate': 'the caller workspace bot and rules, no ids (tenancy matrix)',
  'GET /api/v1/routing/tiers': 'the caller workspace tier settings, no ids (tenancy matrix)',
  'PUT /api/v1/routing/tiers': 'the caller workspace tier settings, no ids (tenancy matrix)',
  'POST /api/v1/customers/profiles':
    'customers found by identity in the caller workspace only (tenancy matrix)',
  'POST /api/v1/customers/profiles/import':
    'customers found by identity in the caller workspace only (tenancy matrix)',
  'POST /api/v1/customers/profiles/from-orders': 'the caller workspace orders and customers (tenancy matrix)',
  'PUT /api/v1/routing/rules/:ruleId':
    'a rule id of the caller workspace; the tenancy matrix aims it at another workspace’s rule',
  'DELETE /api/v1/routing/rules/:ruleId':
    'a rule id of the caller workspace; the tenancy matrix aims it at another workspace’s rule',
  'POST /api/v1/bot/dialogue/versions/:versionId/restore':
    'a version id of the caller workspace; the tenancy matrix aims it at another workspace’s version',
  // Queues, agents and offers: every one aimed at the other workspace's ids by the tenancy matrix.
  'GET /api/v1/queues': 'the caller workspace queues (tenancy matrix)',
  'POST /api/v1/queues': 'creates in the caller workspace (tenancy matrix)',
  'GET /api/v1/queues/:id': 'a queue id; the tenancy matrix aims it at another workspace’s queue',
  'PATCH /api/v1/queues/:id': 'a queue id; the tenancy matrix aims it at another workspace’s queue',
  'DELETE /api/v1/queues/:id': 'a queue id; the tenancy matrix aims it at another workspace’s queue',
  'GET /api/v1/queues/waiting': 'the caller workspace line (tenancy matrix)',
  'GET /api/v1/agents': 'the caller workspace agents (tenancy matrix)',
  'PATCH /api/v1/agents/:userId': 'a user id; the tenancy matrix aims it at another workspace’s user',
  'PUT /api/v1/agents/me/status': 'the caller’s own status, no ids (tenancy matrix)',
  'GET /api/v1/queue-settings': 'the caller workspace settings, no ids (tenancy matrix)',
  'PUT /api/v1/queue-settings': 'the caller workspace settings, no ids (tenancy matrix)',
  'GET /api/v1/offers': 'the caller’s own offers (tenancy matrix)',
  'POST /api/v1/offers/:id/accept': 'an offer id; the tenancy matrix aims it at another workspace’s offer',
  'POST /api/v1/offers/:id/decline': 'an offer id; the tenancy matrix aims it at another workspace’s offer',
  // Reply templates: listed and created in the caller workspace; ids aimed at B's by the tenancy matrix.
  'GET /api/v1/reply-templates': 'the caller workspace templates (tenancy matrix)',
  'GET /api/v1/reply-templates/options': 'the caller workspace bot intents and variables, no ids',
  'POST /api/v1/reply-templates': 'creates in the caller workspace (tenancy matrix)',
  'PUT /api/v1/reply-templates/:id': 'a template id; the tenancy matrix aims it at another workspace’s',
  'DELETE /api/v1/reply-templates/:id': 'a template id; the tenancy matrix aims it at another workspace’s',
};

describe.each(testBackends)('tenant isolation on %s', (backend: Backend) => {
  let t: TestApp;
  let a: TestSession;
  let aKey: string;
  const b = {
    workspaceId: '',
    conversationId: '',
    customerId: '',
    inboxId: '',
    apiKeyId: '',
    userId: '',
    ticketId: '',
  };
  let aConversationId = '';
  const bKnowledge = { faqId: '', articleId: '' };
  const bTickets = { fieldId: '', ruleId: '' };
  const bConnector = { secret: 'b-connector-secret-value', host: 'orders.b-shop.example' };
  const bQuality = { resultId: '', reviewId: '', appealId: '' };
  /** B's row ids, none of which a response to A (or the operator's /metrics) may name. */
  const bIds = () => [b.conversationId, b.customerId, b.inboxId, b.apiKeyId, b.userId, b.workspaceId];
  const secrets = [
    '机密答案 B',
    '机密文章 B',
    '秘密客户',
    '机密内容 B',
    '机密字段 B',
    '机密规则 B',
    'owner-b@other.test',
    'ext-b-secret',
    '13911112222',
    bConnector.secret,
    bConnector.host,
  ];

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await t.login();
    aKey = await t.apiKey();
    const newId = createIdGenerator(systemClock);
    const now = new Date().toISOString();
    b.workspaceId = newId();
    b.inboxId = newId();
    b.userId = newId();
    await t.app.zhike.db.directory.seedWorkspace({
      workspace: { id: b.workspaceId, slug: 'other', name: 'Other shop', locale: 'en-US', createdAt: now },
      owner: {
        id: b.userId,
        workspaceId: b.workspaceId,
        email: 'owner-b@other.test',
        name: 'Owner B',
        role: 'owner',
        createdAt: now,
        passwordHash: await hashPassword('password-b-123'),
      },
      inboxes: [
        {
          id: b.inboxId,
          workspaceId: b.workspaceId,
          name: 'API',
          channel: 'api',
          widgetToken: null,
          allowedOrigins: [],
          webhookUrl: null,
          webhookSecret: 'whsec_b',
          greeting: null,
          createdAt: now,
        },
      ],
      faqs: [],
    });
    const bStore = t.app.zhike.db.forWorkspace(b.workspaceId);
    await bStore.orders.upsert(
      {
        number: 'ZKB0000777',
        status: 'shipped',
        carrier: null,
        trackingNumber: null,
        phone: '13911112222',
        items: [],
        total: null,
      },
      now,
    );
    await bStore.connectors.saveOrderLookup(
      {
        enabled: true,
        method: 'GET',
        urlTemplate: `https://${bConnector.host}/orders/{{order_number}}`,
        headers: [{ name: 'X-B-Key', secret: true, value: bConnector.secret }],
        bodyTemplate: null,
        mapping: {
          number: null,
          status: '$.status',
          carrier: null,
          trackingNumber: null,
          phone: null,
          items: null,
          total: null,
        },
        notFoundPath: null,
        timeoutMs: 1000,
        retries: 0,
        allowedHosts: [],
      },
      now,
    );
    const bTicket = await bStore.tickets.create({
      type: 'refund',
      fields: { reason: '机密内容 B' },
      conversationId: null,
      customerId: null,
      sourceKey: null,
      createdAt: now,
    });
    b.ticketId = bTicket.id;
    bTickets.fieldId = t.app.zhike.newId();
    await bStore.tickets.fieldDefinitions.save({
      id: bTickets.fieldId,
      key: 'b_field',
      label: '机密字段 B',
      labelEn: null,
      kind: 'text',
      options: [],
      required: false,
      position: 0,
      archived: false,
      createdAt: now,
    });
    bTickets.ruleId = t.app.zhike.newId();
    await bStore.tickets.assignmentRules.save({
      id: bTickets.ruleId,
      name: '机密规则 B',
      position: 0,
      enabled: true,
      category: null,
      type: null,
      priority: null,
      queueId: null,
      userId: b.userId,
      skills: [],
      createdAt: now,
    });
    const bFaq = await bStore.knowledge.faqs.create(
      {
        question: 'B only question',
        similarQuestions: [],
        answer: '机密答案 B',
        keywords: [],
        tags: ['b-tag'],
        enabled: true,
      },
      now,
    );
    bKnowledge.faqId = bFaq.id;
    const bArticle = await bStore.knowledge.articles.create(
      { title: 'B article', body: '机密文章 B', tags: [], sourceUrl: null, enabled: true },
      now,
    );
    bKnowledge.articleId = bArticle.id;
    const bKey = await createApiKey(t.app.zhike, b.workspaceId, 'b key');
    b.apiKeyId = bKey.apiKey.id;
    const inbound = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${bKey.secret}` },
      payload: {
        customer: { externalId: 'ext-b-secret', name: '秘密客户' },
        text: '机密内容 B',
        messageId: 'b-1',
      },
    });
    b.conversationId = inbound.json().conversationId;
    b.customerId = (await t.app.zhike.db
      .forWorkspace(b.workspaceId)
      .conversations.get(b.conversationId))!.customerId;
    const mine = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${aKey}` },
      payload: { customer: { externalId: 'ext-a' }, text: 'hello from A', messageId: 'a-1' },
    });
    aConversationId = mine.json().conversationId;
    // A quality result of B's conversation with its review and an appeal.
    const bResult = await bStore.quality.results.upsert({
      subject: 'conversation',
      subjectId: b.conversationId,
      conversationId: b.conversationId,
      customerId: b.customerId,
      agentId: b.userId,
      channel: 'api',
      score: 40,
      violations: [{ ruleId: 'b-rule', kind: 'forbidden_phrase', deducted: 60, hits: 1 }],
      hits: [],
      rulesetVersion: 0,
      endedAt: now,
      scoredAt: now,
    });
    bQuality.resultId = bResult.id;
    bQuality.reviewId = newId();
    await bStore.quality.reviews.enqueue({
      id: bQuality.reviewId,
      resultId: bResult.id,
      reason: 'low_score',
      createdAt: now,
    });
    bQuality.appealId = (
      await bStore.quality.appeals.create({
        id: newId(),
        resultId: bResult.id,
        agentId: b.userId,
        reason: '机密内容 B',
        createdAt: now,
      })
    ).id;
  });
  afterAll(async () => t?.close());

  /** For each route: the request to make as workspace A, aimed at B's ids where the route takes one. */
  const requests = (): Record<string, Omit<InjectOptions, 'method'> & { url: string }> => ({
    'GET /api/v1/auth/me': { url: '/api/v1/auth/me' },
    'GET /api/v1/bot/analytics': { url: '/api/v1/bot/analytics' },
    'GET /api/v1/metrics/agents': { url: '/api/v1/metrics/agents' },
    'GET /api/v1/bot/unanswered': { url: '/api/v1/bot/unanswered?reveal=true' },
    'POST /api/v1/bot/unanswered/dismiss': {
      url: '/api/v1/bot/unanswered/dismiss',
      payload: { turnIds: [b.conversationId] },
    },
    'POST /api/v1/auth/logout': { url: '/api/v1/auth/logout' },
    // Sign-in hardening: all about the caller's own account; B's ids are unknown to every route.
    'POST /api/v1/auth/login/two-factor': {
      url: '/api/v1/auth/login/two-factor',
      payload: { pendingToken: `${b.userId}.9999999999999.forged`, code: '123456' },
    },
    'GET /api/v1/auth/two-factor': { url: '/api/v1/auth/two-factor' },
    'POST /api/v1/auth/two-factor/enrol': { url: '/api/v1/auth/two-factor/enrol' },
    'POST /api/v1/auth/two-factor/confirm': {
      url: '/api/v1/auth/two-factor/confirm',
      payload: { code: '000000' },
    },
    'POST /api/v1/auth/two-factor/disable': {
      url: '/api/v1/auth/two-factor/disable',
      payload: { password: 'not-it', code: '000000' },
    },
    'GET /api/v1/auth/sessions': { url: '/api/v1/auth/sessions' },
    'DELETE /api/v1/auth/sessions/:id': { url: `/api/v1/auth/sessions/${b.userId}` },
    'POST /api/v1/auth/sessions/revoke-others': { url: '/api/v1/auth/sessions/revoke-others' },
    'POST /api/v1/auth/password': {
      url: '/api/v1/auth/password',
      payload: { currentPassword: 'not-it', newPassword: 'taken-over-password' },
    },
    'GET /api/v1/audit': { url: `/api/v1/audit?actor=${b.userId}` },
    'GET /api/v1/audit/export': { url: '/api/v1/audit/export?format=jsonl' },
    'POST /api/v1/audit/verify': { url: '/api/v1/audit/verify' },
    'POST /api/v1/users/:id/deactivate': { url: `/api/v1/users/${b.userId}/deactivate` },
    'POST /api/v1/customers/:id/reveal': {
      url: `/api/v1/customers/${b.customerId}/reveal`,
      payload: { fields: ['name', 'email', 'phone', 'identities'] },
    },
    'GET /api/v1/api-keys': { url: '/api/v1/api-keys' },
    'POST /api/v1/api-keys': { url: '/api/v1/api-keys', payload: { name: 'x' } },
    'DELETE /api/v1/api-keys/:id': { url: `/api/v1/api-keys/${b.apiKeyId}` },
    'GET /api/v1/conversations': { url: '/api/v1/conversations' },
    'GET /api/v1/conversations/:id': { url: `/api/v1/conversations/${b.conversationId}` },
    'GET /api/v1/conversations/:id/messages': { url: `/api/v1/conversations/${b.conversationId}/messages` },
    'POST /api/v1/conversations/:id/reply-preview': {
      url: `/api/v1/conversations/${b.conversationId}/reply-preview`,
      payload: { body: '{{customer.name}}' },
    },
    'POST /api/v1/conversations/:id/messages': {
      url: `/api/v1/conversations/${b.conversationId}/messages`,
      payload: { text: 'leak?' },
    },
    'POST /api/v1/conversations/:id/assign': {
      url: `/api/v1/conversations/${b.conversationId}/assign`,
      payload: { assigneeId: a.info.user.id },
    },
    'POST /api/v1/conversations/:id/status': {
      url: `/api/v1/conversations/${b.conversationId}/status`,
      payload: { status: 'resolved' },
    },
    'GET /api/v1/conversations/:id/suggestions': {
      url: `/api/v1/conversations/${b.conversationId}/suggestions`,
    },
    'POST /api/v1/conversations/:id/suggestions/feedback': {
      url: `/api/v1/conversations/${b.conversationId}/suggestions/feedback`,
      payload: { messageId: b.conversationId, action: 'ignored' },
    },
    'POST /api/v1/conversations/:id/csat': {
      url: `/api/v1/conversations/${b.conversationId}/csat`,
      payload: { score: 5, comment: 'taken over' },
    },
    'GET /api/v1/customers/:id': { url: `/api/v1/customers/${b.customerId}` },
    'GET /api/v1/customers/:id/profile': { url: `/api/v1/customers/${b.customerId}/profile` },
    'PUT /api/v1/customers/:id/profile': {
      url: `/api/v1/customers/${b.customerId}/profile`,
      payload: { memberLevel: '金卡', lifetimeSpendFen: 1, orderCount: 1, tags: ['taken-over'] },
    },
    'GET /api/v1/customers/:id/timeline': { url: `/api/v1/customers/${b.customerId}/timeline` },
    'GET /api/v1/customers/:id/overview': { url: `/api/v1/customers/${b.customerId}/overview` },
    'POST /api/v1/customers/:id/notes': {
      url: `/api/v1/customers/${b.customerId}/notes`,
      payload: { body: 'taken over' },
    },
    'DELETE /api/v1/customers/:id/notes/:noteId': {
      url: `/api/v1/customers/${b.customerId}/notes/${b.conversationId}`,
    },
    'GET /api/v1/conversations/:id/handoff': { url: `/api/v1/conversations/${b.conversationId}/handoff` },
    'GET /api/v1/calls': { url: '/api/v1/calls' },
    'GET /api/v1/calls/:id': { url: `/api/v1/calls/${b.conversationId}` },
    'GET /api/v1/calls/:id/recording': { url: `/api/v1/calls/${b.conversationId}/recording` },
    'GET /api/v1/voice/speech-settings': { url: '/api/v1/voice/speech-settings' },
    'PUT /api/v1/voice/speech-settings': {
      url: '/api/v1/voice/speech-settings',
      payload: { settings: { asr: { provider: 'openai' } } },
    },
    'GET /api/v1/voice/usage': { url: '/api/v1/voice/usage?from=2026-01-01&to=2026-12-31' },
    'GET /api/v1/translation-settings': { url: '/api/v1/translation-settings' },
    'PUT /api/v1/translation-settings': {
      url: '/api/v1/translation-settings',
      payload: { provider: null, glossary: ['A only'] },
    },
    'GET /api/v1/costs': { url: '/api/v1/costs?month=2026-11' },
    'GET /api/v1/kpis': { url: '/api/v1/kpis?from=2026-01-01&to=2026-12-31' },
    'GET /api/v1/kpis.csv': { url: '/api/v1/kpis.csv?from=2026-01-01&to=2026-12-31' },
    'GET /api/v1/kpis.xlsx': { url: '/api/v1/kpis.xlsx?from=2026-01-01&to=2026-12-31' },
    'GET /api/v1/kpis/conversations': {
      url: '/api/v1/kpis/conversations?kpi=containment&from=2026-01-01&to=2026-12-31',
    },
    'GET /api/v1/reviews/weekly': { url: '/api/v1/reviews/weekly' },
    'GET /api/v1/reviews/weekly.pdf': { url: '/api/v1/reviews/weekly.pdf' },
    'GET /api/v1/reviews/mail': { url: '/api/v1/reviews/mail' },
    'PUT /api/v1/reviews/mail': {
      url: '/api/v1/reviews/mail',
      payload: { enabled: false, sendHour: 7, includeAdmins: true },
    },
    'POST /api/v1/reviews/weekly/email': { url: '/api/v1/reviews/weekly/email', payload: {} },
    'GET /api/v1/assist/settings': { url: '/api/v1/assist/settings' },
    'GET /api/v1/kpis/targets': { url: '/api/v1/kpis/targets' },
    'PUT /api/v1/kpis/targets': { url: '/api/v1/kpis/targets', payload: { csat: 4.8 } },
    'PUT /api/v1/assist/settings': { url: '/api/v1/assist/settings', payload: { enabled: false } },
    'GET /api/v1/metrics/assist-impact': { url: '/api/v1/metrics/assist-impact?days=7' },
    'GET /api/v1/analytics/topics': { url: '/api/v1/analytics/topics' },
    'GET /api/v1/analytics/emotion': { url: '/api/v1/analytics/emotion?interval=week' },
    'GET /api/v1/quality/ruleset': { url: '/api/v1/quality/ruleset' },
    'PUT /api/v1/quality/ruleset': {
      url: '/api/v1/quality/ruleset',
      payload: { rules: [], sampling: { randomPercent: 0, reviewBelow: 0 } },
    },
    'GET /api/v1/quality/results': { url: `/api/v1/quality/results?agentId=${b.userId}&ruleId=b-rule` },
    'GET /api/v1/quality/results/:id': { url: `/api/v1/quality/results/${bQuality.resultId}` },
    'GET /api/v1/quality/scorecards': { url: '/api/v1/quality/scorecards' },
    'GET /api/v1/quality/summary': { url: '/api/v1/quality/summary' },
    'GET /api/v1/quality/reviews': { url: '/api/v1/quality/reviews' },
    'POST /api/v1/quality/reviews/:id': {
      url: `/api/v1/quality/reviews/${bQuality.reviewId}`,
      payload: { score: 100, comment: 'taken over' },
    },
    'GET /api/v1/quality/appeals': { url: '/api/v1/quality/appeals' },
    'POST /api/v1/quality/results/:id/appeals': {
      url: `/api/v1/quality/results/${bQuality.resultId}/appeals`,
      payload: { reason: 'taken over' },
    },
    'POST /api/v1/quality/appeals/:id/decision': {
      url: `/api/v1/quality/appeals/${bQuality.appealId}/decision`,
      payload: { decision: 'accepted', score: 100 },
    },
    'PUT /api/v1/budget': { url: '/api/v1/budget', payload: { monthlyYuan: 1, hardCap: false } },
    'GET /api/v1/translation-usage': { url: '/api/v1/translation-usage?from=2026-01-01&to=2026-12-31' },
    'GET /api/v1/conversations/:id/translation': {
      url: `/api/v1/conversations/${b.conversationId}/translation`,
    },
    'PUT /api/v1/conversations/:id/translation': {
      url: `/api/v1/conversations/${b.conversationId}/translation`,
      payload: { enabled: false },
    },
    'GET /api/v1/campaigns': { url: '/api/v1/campaigns' },
    'POST /api/v1/campaigns': {
      url: '/api/v1/campaigns',
      payload: {
        name: 'taken over',
        kind: 'survey',
        purpose: 'service',
        inboxId: b.inboxId,
        script: '请打分',
        language: 'zh-CN',
        timeZone: 'Asia/Shanghai',
        quietHours: null,
        callsPerMinute: 1,
        maxConcurrent: 1,
        maxAttempts: 1,
        retryDelayMinutes: 1,
        customers: [{ customerId: b.customerId }],
        phones: [],
      },
    },
    'GET /api/v1/campaigns/:id': { url: `/api/v1/campaigns/${b.conversationId}` },
    'GET /api/v1/campaigns/:id/targets': { url: `/api/v1/campaigns/${b.conversationId}/targets` },
    'POST /api/v1/campaigns/:id/start': { url: `/api/v1/campaigns/${b.conversationId}/start` },
    'POST /api/v1/campaigns/:id/pause': { url: `/api/v1/campaigns/${b.conversationId}/pause` },
    'POST /api/v1/campaigns/:id/cancel': { url: `/api/v1/campaigns/${b.conversationId}/cancel` },
    'GET /api/v1/surveys/settings': { url: '/api/v1/surveys/settings' },
    'PUT /api/v1/surveys/settings': {
      url: '/api/v1/surveys/settings',
      payload: {
        enabled: false,
        delayMinutes: 60,
        timeZone: 'Asia/Shanghai',
        quietHours: null,
        minDaysBetween: 30,
        linkTtlHours: 72,
      },
    },
    'GET /api/v1/surveys': { url: `/api/v1/surveys?customerId=${b.customerId}` },
    'GET /api/v1/surveys/summary': { url: '/api/v1/surveys/summary' },
    'GET /api/v1/complaints': { url: '/api/v1/complaints' },
    'GET /api/v1/complaints/kpi': { url: '/api/v1/complaints/kpi' },
    'POST /api/v1/complaints': {
      url: '/api/v1/complaints',
      payload: { conversationId: b.conversationId, note: 'taken over' },
    },
    // No complaint of B's exists: any id of B's must be refused alike.
    'POST /api/v1/complaints/:id/close': {
      url: `/api/v1/complaints/${b.conversationId}/close`,
      payload: { resolutionNote: 'taken over', customerConfirmed: true },
    },
    'GET /api/v1/jobs': { url: '/api/v1/jobs?status=failed' },
    'POST /api/v1/jobs/:id/retry': { url: `/api/v1/jobs/${b.conversationId}/retry` },
    'POST /api/v1/jobs/retry': { url: '/api/v1/jobs/retry', payload: { name: 'channel.deliver' } },
    'GET /api/v1/voice/do-not-call': { url: '/api/v1/voice/do-not-call' },
    'POST /api/v1/voice/do-not-call': {
      url: '/api/v1/voice/do-not-call',
      payload: { phone: '13800000000', reason: 'taken over' },
    },
    'DELETE /api/v1/voice/do-not-call/:id': { url: `/api/v1/voice/do-not-call/${b.conversationId}` },
    'GET /api/v1/sla/calendar': { url: '/api/v1/sla/calendar' },
    'GET /api/v1/tickets/:id/sla': { url: `/api/v1/tickets/${b.conversationId}/sla` },
    'PUT /api/v1/sla/calendar': {
      url: '/api/v1/sla/calendar',
      payload: { timeZone: 'Asia/Shanghai', periods: [], chinaHolidays: false, overrides: [] },
    },
    'GET /api/v1/sla/policies': { url: '/api/v1/sla/policies' },
    'POST /api/v1/sla/policies': {
      url: '/api/v1/sla/policies',
      payload: {
        name: 'taken over',
        conditions: { priority: null, category: null, customerTier: null },
        targets: { first_response: 1, next_response: null, resolution: null },
        businessHours: false,
        escalation: { notifySupervisors: false, raisePriority: false, reassignToUserId: null },
        enabled: true,
      },
    },
    // No policy of B's exists here: any id of B's must be refused alike.
    'PUT /api/v1/sla/policies/:id': {
      url: `/api/v1/sla/policies/${b.conversationId}`,
      payload: {
        name: 'taken over',
        conditions: { priority: null, category: null, customerTier: null },
        targets: { first_response: 1, next_response: null, resolution: null },
        businessHours: false,
        escalation: { notifySupervisors: false, raisePriority: false, reassignToUserId: null },
        enabled: true,
      },
    },
    'DELETE /api/v1/sla/policies/:id': { url: `/api/v1/sla/policies/${b.conversationId}` },
    'GET /api/v1/sla/report': {
      url: '/api/v1/sla/report?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z',
    },
    'GET /api/v1/outreach-segments': { url: '/api/v1/outreach-segments' },
    'POST /api/v1/outreach-segments': {
      url: '/api/v1/outreach-segments',
      payload: { name: 'taken over', rule: outreachRule },
    },
    'PUT /api/v1/outreach-segments/:id': {
      url: `/api/v1/outreach-segments/${b.conversationId}`,
      payload: { name: 'taken over', rule: outreachRule },
    },
    'POST /api/v1/outreach-segments/count': {
      url: '/api/v1/outreach-segments/count',
      payload: { rule: outreachRule },
    },
    'GET /api/v1/outreach-campaigns': { url: '/api/v1/outreach-campaigns' },
    'POST /api/v1/outreach-campaigns': {
      url: '/api/v1/outreach-campaigns',
      payload: {
        name: 'taken over',
        segmentId: b.conversationId,
        channel: 'sms',
        inboxId: b.inboxId,
        variants: [{ key: 'A', weight: 1, subject: null, text: 'taken over' }],
        holdoutPercent: 0,
        couponMode: 'none',
        couponPrefix: '',
        timeZone: 'Asia/Shanghai',
        quietHours: null,
        capCount: 1,
        capDays: 1,
        attributionDays: 1,
      },
    },
    'GET /api/v1/outreach-campaigns/:id': { url: `/api/v1/outreach-campaigns/${b.conversationId}` },
    'POST /api/v1/outreach-campaigns/:id/start': {
      url: `/api/v1/outreach-campaigns/${b.conversationId}/start`,
    },
    'POST /api/v1/outreach-campaigns/:id/pause': {
      url: `/api/v1/outreach-campaigns/${b.conversationId}/pause`,
    },
    'POST /api/v1/outreach-campaigns/:id/resume': {
      url: `/api/v1/outreach-campaigns/${b.conversationId}/resume`,
    },
    'POST /api/v1/outreach-campaigns/:id/cancel': {
      url: `/api/v1/outreach-campaigns/${b.conversationId}/cancel`,
    },
    'POST /api/v1/outreach-campaigns/:id/coupons': {
      url: `/api/v1/outreach-campaigns/${b.conversationId}/coupons`,
      payload: { codes: ['TAKEN'] },
    },
    'POST /api/v1/outreach-campaigns/:id/preview': {
      url: `/api/v1/outreach-campaigns/${b.conversationId}/preview`,
      payload: { customerId: b.customerId },
    },
    'GET /api/v1/outreach-campaigns/:id/report': {
      url: `/api/v1/outreach-campaigns/${b.conversationId}/report`,
    },
    'POST /api/v1/conversations/:id/handoff/refresh': {
      url: `/api/v1/conversations/${b.conversationId}/handoff/refresh`,
    },
    'GET /api/v1/customers/:id/identities': { url: `/api/v1/customers/${b.customerId}/identities` },
    'GET /api/v1/customer-merge-suggestions': {
      url: `/api/v1/customer-merge-suggestions?customerId=${b.customerId}`,
    },
    'POST /api/v1/customers/:id/merge': {
      url: `/api/v1/customers/${b.customerId}/merge`,
      payload: { absorbedCustomerId: b.customerId },
    },
    // No suggestion of B's exists: any id of B's must be refused alike.
    'POST /api/v1/customer-merge-suggestions/:id/dismiss': {
      url: `/api/v1/customer-merge-suggestions/${b.customerId}/dismiss`,
    },
    'GET /api/v1/inboxes/:id/identity-secret': { url: `/api/v1/inboxes/${b.inboxId}/identity-secret` },
    'POST /api/v1/inboxes/:id/identity-secret/rotate': {
      url: `/api/v1/inboxes/${b.inboxId}/identity-secret/rotate`,
    },
    'GET /api/v1/users': { url: '/api/v1/users' },
    'GET /api/v1/inboxes': { url: '/api/v1/inboxes' },
    'PATCH /api/v1/inboxes/:id': { url: `/api/v1/inboxes/${b.inboxId}`, payload: { name: 'taken over' } },
    'DELETE /api/v1/inboxes/:id': { url: `/api/v1/inboxes/${b.inboxId}` },
    'POST /api/v1/inboxes/:id/test-send': {
      url: `/api/v1/inboxes/${b.inboxId}/test-send`,
      payload: { to: '13911112222', text: 'probe' },
    },
    'GET /api/v1/channels/adapters': { url: '/api/v1/channels/adapters' },
    'POST /api/v1/inboxes': {
      url: '/api/v1/inboxes',
      payload: { name: 'probe', adapter: 'no-such-adapter', config: {} },
    },
    'GET /api/v1/orders': { url: '/api/v1/orders?number=ZKB0000777' },
    'POST /api/v1/orders': {
      url: '/api/v1/orders',
      payload: { number: 'ZKB0000777', status: 'taken over' },
    },
    'POST /api/v1/orders/import': {
      url: '/api/v1/orders/import',
      headers: { 'content-type': 'text/csv' },
      payload: 'number,status,carrier,tracking_number,phone,total\nZKB0000777,taken over,,,,',
    },
    'GET /api/v1/tickets': { url: '/api/v1/tickets' },
    'POST /api/v1/tickets': {
      url: '/api/v1/tickets',
      payload: { subject: 'probe', conversationId: b.conversationId },
    },
    'GET /api/v1/tickets/:id': { url: `/api/v1/tickets/${b.ticketId}` },
    'GET /api/v1/tickets/:id/solutions': { url: `/api/v1/tickets/${b.ticketId}/solutions` },
    'PATCH /api/v1/tickets/:id': { url: `/api/v1/tickets/${b.ticketId}`, payload: { priority: 'urgent' } },
    'POST /api/v1/tickets/:id/status': {
      url: `/api/v1/tickets/${b.ticketId}/status`,
      payload: { status: 'closed' },
    },
    'POST /api/v1/tickets/:id/assignment': {
      url: `/api/v1/tickets/${b.ticketId}/assignment`,
      payload: { assigneeId: b.userId },
    },
    'POST /api/v1/tickets/:id/merge': {
      url: `/api/v1/tickets/${b.ticketId}/merge`,
      payload: { intoId: b.conversationId, force: true },
    },
    'GET /api/v1/tickets/:id/watchers': { url: `/api/v1/tickets/${b.ticketId}/watchers` },
    'POST /api/v1/tickets/:id/watchers': {
      url: `/api/v1/tickets/${b.ticketId}/watchers`,
      payload: { userId: b.userId },
    },
    'DELETE /api/v1/tickets/:id/watchers/:userId': {
      url: `/api/v1/tickets/${b.ticketId}/watchers/${b.userId}`,
    },
    'GET /api/v1/me/mentions': { url: '/api/v1/me/mentions' },
    'POST /api/v1/tickets/:id/comments': {
      url: `/api/v1/tickets/${b.ticketId}/comments`,
      payload: { body: 'probe', visibility: 'internal' },
    },
    'GET /api/v1/ticket-settings': { url: '/api/v1/ticket-settings' },
    'PUT /api/v1/ticket-settings': {
      url: '/api/v1/ticket-settings',
      payload: { reopenDays: 1, notifyCustomer: false },
    },
    'GET /api/v1/ticket-fields': { url: '/api/v1/ticket-fields' },
    'POST /api/v1/ticket-fields': {
      url: '/api/v1/ticket-fields',
      payload: { key: 'b_field', label: 'taken over', kind: 'text' },
    },
    'PATCH /api/v1/ticket-fields/:id': {
      url: `/api/v1/ticket-fields/${bTickets.fieldId}`,
      payload: { label: 'taken over', archived: true },
    },
    'DELETE /api/v1/ticket-fields/:id': { url: `/api/v1/ticket-fields/${bTickets.fieldId}` },
    'GET /api/v1/ticket-assignment-rules': { url: '/api/v1/ticket-assignment-rules' },
    'POST /api/v1/ticket-assignment-rules': {
      url: '/api/v1/ticket-assignment-rules',
      payload: {
        name: 'probe',
        enabled: true,
        category: null,
        type: null,
        priority: null,
        queueId: null,
        userId: b.userId,
        skills: [],
      },
    },
    'PUT /api/v1/ticket-assignment-rules/:id': {
      url: `/api/v1/ticket-assignment-rules/${bTickets.ruleId}`,
      payload: {
        name: 'taken over',
        enabled: false,
        category: null,
        type: null,
        priority: null,
        queueId: null,
        userId: null,
        skills: ['x'],
      },
    },
    'DELETE /api/v1/ticket-assignment-rules/:id': {
      url: `/api/v1/ticket-assignment-rules/${bTickets.ruleId}`,
    },
    'GET /api/v1/connectors/order-lookup': { url: '/api/v1/connectors/order-lookup' },
    'PUT /api/v1/connectors/order-lookup': {
      url: '/api/v1/connectors/order-lookup',
      payload: {
        enabled: true,
        method: 'GET',
        // .invalid never resolves: the test run below fails fast without leaving the machine.
        urlTemplate: 'https://orders.a-shop.invalid/{{order_number}}',
        headers: [],
        bodyTemplate: null,
        mapping: {
          number: null,
          status: '$.status',
          carrier: null,
          trackingNumber: null,
          phone: null,
          items: null,
          total: null,
        },
        notFoundPath: null,
        timeoutMs: 1000,
        retries: 0,
        allowedHosts: [],
      },
    },
    'POST /api/v1/connectors/order-lookup/test': {
      url: '/api/v1/connectors/order-lookup/test',
      payload: { orderNumber: 'ZKB0000777' },
    },
    // Privacy (PIPL): B's customer must not be exported, erased or have consent recorded from A.
    'GET /api/v1/customers/:id/export': { url: `/api/v1/customers/${b.customerId}/export` },
    'POST /api/v1/customers/:id/erase': {
      url: `/api/v1/customers/${b.customerId}/erase`,
      payload: { confirm: 'ERASE' },
    },
    'GET /api/v1/customers/:id/consents': { url: `/api/v1/customers/${b.customerId}/consents` },
    'PUT /api/v1/customers/:id/consents': {
      url: `/api/v1/customers/${b.customerId}/consents`,
      payload: { purpose: 'marketing_sms', status: 'granted' },
    },
    'GET /api/v1/privacy/retention': { url: '/api/v1/privacy/retention' },
    'PUT /api/v1/privacy/retention': {
      url: '/api/v1/privacy/retention',
      payload: { transcriptsDays: null, recordingsDays: null, attachmentsDays: null },
    },
    'POST /api/v1/conversations/:id/attachments': {
      url: `/api/v1/conversations/${b.conversationId}/attachments`,
      headers: { 'content-type': 'image/png' },
      payload: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]),
    },
    'GET /api/v1/attachments/:id': { url: `/api/v1/attachments/${b.conversationId}` },
    'POST /api/v1/inbound': {
      url: '/api/v1/inbound',
      payload: { customer: { externalId: 'ext-b-secret' }, text: 'x', messageId: 'b-1' },
    },
    // Knowledge base: B's entries and articles are neither readable nor writable from A.
    'GET /api/v1/knowledge/faqs': { url: '/api/v1/knowledge/faqs?tag=b-tag' },
    'GET /api/v1/knowledge/faqs/:id': { url: `/api/v1/knowledge/faqs/${bKnowledge.faqId}` },
    'POST /api/v1/knowledge/faqs': {
      url: '/api/v1/knowledge/faqs',
      payload: { question: 'q', similarQuestions: [], answer: 'a', tags: [], enabled: true },
    },
    'PATCH /api/v1/knowledge/faqs/:id': {
      url: `/api/v1/knowledge/faqs/${bKnowledge.faqId}`,
      payload: { answer: 'taken over' },
    },
    'DELETE /api/v1/knowledge/faqs/:id': { url: `/api/v1/knowledge/faqs/${bKnowledge.faqId}` },
    'GET /api/v1/knowledge/articles': { url: '/api/v1/knowledge/articles?q=B' },
    'GET /api/v1/knowledge/articles/:id': { url: `/api/v1/knowledge/articles/${bKnowledge.articleId}` },
    'POST /api/v1/knowledge/articles': {
      url: '/api/v1/knowledge/articles',
      payload: { title: 't', body: 'b', tags: [], enabled: true },
    },
    'PATCH /api/v1/knowledge/articles/:id': {
      url: `/api/v1/knowledge/articles/${bKnowledge.articleId}`,
      payload: { body: 'taken over' },
    },
    'DELETE /api/v1/knowledge/articles/:id': { url: `/api/v1/knowledge/articles/${bKnowledge.articleId}` },
    'POST /api/v1/knowledge/try': { url: '/api/v1/knowledge/try', payload: { text: 'B only question' } },
    'POST /api/v1/knowledge/search': {
      url: '/api/v1/knowledge/search',
      payload: { text: 'B only question' },
    },
    'POST /api/v1/knowledge/import': {
      url: '/api/v1/knowledge/import',
      headers: { 'content-type': 'text/csv' },
      payload: 'question,answer\nB only question,taken over',
    },
  });

  it('covers every /api/v1 route', () => {
    const routes = t.app.zhike.routes
      .filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`);
    const covered = new Set([...Object.keys(requests()), ...Object.keys(exempt)]);
    expect(routes.filter((r) => !covered.has(r))).toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(requests()).length);
  });

  it("refuses B's ids and leaks none of B's data, as A's user and as A's API key", async () => {
    const entries = Object.entries(requests()).filter(([k]) => k !== 'POST /api/v1/auth/logout');
    for (const principal of ['session', 'apiKey'] as const) {
      for (const [route, req] of entries) {
        const method = route.split(' ')[0] as InjectOptions['method'];
        const headers = principal === 'session' ? a.headers : { authorization: `Bearer ${aKey}` };
        const res = await t.app.inject({ ...req, method, headers: { ...headers, ...req.headers } });
        const label = `${principal} ${route} → ${res.statusCode}`;
        expect(res.statusCode, label).toBeLessThan(500);
        if (route.includes(':id')) expect([401, 403, 404], label).toContain(res.statusCode);
        for (const secret of [...secrets, ...bIds()]) {
          expect(res.body.includes(secret), `${label} leaks ${secret}`).toBe(false);
        }
      }
    }
    // B's data is untouched.
    const bStore = t.app.zhike.db.forWorkspace(b.workspaceId);
    const bMessages = await bStore.messages.list(b.conversationId, { limit: 10 });
    expect(bMessages.filter((m) => m.author !== 'system').map((m) => m.text)).toEqual(['机密内容 B']);
    expect((await bStore.conversations.get(b.conversationId))?.status).toBe('open');
    expect((await bStore.inboxes.get(b.inboxId))?.name).toBe('API');
    expect(await bStore.apiKeys.list()).toHaveLength(1);
    expect(await bStore.orders.get('ZKB0000777')).toMatchObject({ status: 'shipped', phone: '13911112222' });
    expect(await bStore.tickets.list({ limit: 10 })).toMatchObject([{ status: 'new', priority: 'normal' }]);
    expect(await bStore.tickets.entries(b.ticketId)).toEqual([]);
    expect(await bStore.tickets.watchers.list(b.ticketId)).toEqual([]);
    expect(await bStore.tickets.fieldDefinitions.list()).toMatchObject([
      { id: bTickets.fieldId, label: '机密字段 B', archived: false },
    ]);
    expect(await bStore.tickets.assignmentRules.list()).toMatchObject([
      { id: bTickets.ruleId, name: '机密规则 B', enabled: true, userId: b.userId },
    ]);
    expect(await bStore.tickets.settings.get()).toMatchObject({ reopenDays: 7, notifyCustomer: true });
    expect(await bStore.customers.get(b.customerId)).not.toBeNull();
    expect(await bStore.privacy.consents(b.customerId)).toEqual([]);
    expect(await bStore.quality.results.get(bQuality.resultId)).toMatchObject({
      score: 40,
      adjustedScore: null,
    });
    expect(await bStore.quality.reviews.get(bQuality.reviewId)).toMatchObject({ status: 'pending' });
    expect(await bStore.quality.appeals.get(bQuality.appealId)).toMatchObject({ status: 'pending' });
    expect(await bStore.quality.rulesets.current()).toBeNull();
    // Every route twice (user and API key): on a busy shared machine this passes 30 s.
  }, 120_000);

  it('serves /metrics without any workspace’s ids or data, and only to the operator', async () => {
    expect(t.app.zhike.routes.map((r) => `${r.method} ${r.url}`)).toContain('GET /metrics');
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    for (const secret of [...secrets, ...bIds(), aConversationId, a.info.workspace.id])
      expect(res.body.includes(secret), `/metrics leaks ${secret}`).toBe(false);
    // A workspace's credentials open nothing here: from outside, the scrape is refused all the same.
    for (const headers of [a.headers, { authorization: `Bearer ${aKey}` }]) {
      const outside = await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9', headers });
      expect(outside.statusCode).toBe(403);
    }
  });

  it("refuses to assign A's conversation to B's user", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${aConversationId}/assign`,
      headers: a.headers,
      payload: { assigneeId: b.userId },
    });
    expect(res.statusCode).toBe(400);
  });

  it("B's session cannot use A's", async () => {
    const bSession = await t.login('owner-b@other.test', 'password-b-123');
    const res = await t.app.inject({
      url: `/api/v1/conversations/${aConversationId}`,
      headers: { cookie: bSession.cookie },
    });
    expect(res.statusCode).toBe(404);
    const list = await t.app.inject({ url: '/api/v1/conversations', headers: { cookie: bSession.cookie } });
    expect(list.json().conversations.map((c: { id: string }) => c.id)).toEqual([b.conversationId]);
  });
});
