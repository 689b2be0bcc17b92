// Two fully populated workspaces for the cross-tenant matrix: each with users of every role signed in,
// an API key, a widget and an API inbox, customers with distinctive personal data, conversations with
// customer, bot and agent messages, orders, tickets and call-backs. Everything a route can reach goes in
// through the real API and channels (HTTP, the widget socket, the bot's job); only what has no API of its
// own (the workspace, extra users, tickets and call-backs the bot would open) is written through the
// workspace's store. Every value a tenant owns is listed in `markers`, so a leak is a string search.
import { SESSION_COOKIE, type WidgetServerFrame } from '@zhike/contracts';
import type { Role } from '@zhike/core';
import { maskEmail, maskName, maskPhone } from '@zhike/security';
import { hashPassword, sha256 } from '../../../apps/server/src/auth/secrets.ts';
import { demoBotSettings } from '../../../apps/server/src/seed.ts';
import type { TestApp, TestSession } from '../../../apps/server/src/testing.ts';
import { FrameSocket } from '../clients.ts';
import { PNG } from './requests.ts';

export const roles = ['owner', 'admin', 'supervisor', 'agent'] as const satisfies readonly Role[];

/** What differs between the two tenants: every string is unique to its tenant. */
export interface TenantProfile {
  letter: 'a' | 'b';
  slug: string;
  siteOrigin: string;
  userNames: Record<Role, string>;
  customer: { externalId: string; name: string; email: string; phone: string };
  visitorName: string;
  texts: { customer: string; agent: string; visitor: string; ticket: string; callback: string };
  orderNumbers: { api: string; csv: string };
  itemName: string;
  callbackPhone: string;
}

export const profiles: Record<'a' | 'b', TenantProfile> = {
  a: {
    letter: 'a',
    slug: 'tenant-a',
    siteOrigin: 'https://shop-a.example',
    userNames: { owner: '甲店主欧阳', admin: '甲管理员上官', supervisor: '甲组长司徒', agent: '甲客服东方' },
    customer: {
      externalId: 'ext-a-7d1f9c',
      name: '诸葛甲客户',
      email: 'kongming.alpha@tenant-a.test',
      phone: '13712345678',
    },
    visitorName: '司马甲访客',
    texts: {
      customer: '甲的机密咨询：发票抬头 alpha-7731',
      agent: '甲客服回复：退款已受理 alpha-4410',
      visitor: '甲访客留言：地址改到秘密路 alpha-9902',
      ticket: '甲工单原因：尺码不合 alpha-5521',
      callback: '甲回电备注：下午三点后 alpha-6630',
    },
    orderNumbers: { api: 'ZKA88000000001', csv: 'ZKA88000000002' },
    itemName: '甲秘制茶叶礼盒 alpha',
    callbackPhone: '13611112233',
  },
  b: {
    letter: 'b',
    slug: 'tenant-b',
    siteOrigin: 'https://shop-b.example',
    userNames: { owner: '乙店主慕容', admin: '乙管理员独孤', supervisor: '乙组长令狐', agent: '乙客服公孙' },
    customer: {
      externalId: 'ext-b-3e8a2b',
      name: '周瑜乙客户',
      email: 'gongjin.bravo@tenant-b.test',
      phone: '15987654321',
    },
    visitorName: '鲁肃乙访客',
    texts: {
      customer: '乙的机密咨询：发票抬头 bravo-1187',
      agent: '乙客服回复：退款已受理 bravo-2290',
      visitor: '乙访客留言：地址改到秘密路 bravo-3376',
      ticket: '乙工单原因：尺码不合 bravo-4465',
      callback: '乙回电备注：下午三点后 bravo-5554',
    },
    orderNumbers: { api: 'ZKB99000000001', csv: 'ZKB99000000002' },
    itemName: '乙秘制茶叶礼盒 bravo',
    callbackPhone: '18822223344',
  },
};

/** What kind of workspace-owned thing a path parameter or an id-like field names. */
export type Kind =
  | 'workspace'
  | 'user'
  | 'session'
  | 'apiKey'
  | 'inbox'
  | 'customer'
  | 'conversation'
  | 'message'
  | 'order'
  | 'ticket'
  | 'callback'
  | 'attachment'
  | 'faq'
  | 'article'
  | 'botTurn'
  | 'dialogueVersion'
  | 'routingRule'
  | 'channelHook'
  | 'mergeSuggestion'
  /** A second customer of the tenant that a merge into `customer` can absorb. */
  | 'mergeCandidate'
  | 'queue'
  | 'offer'
  | 'replyTemplate'
  | 'note'
  | 'call'
  | 'campaign'
  | 'doNotCall'
  | 'slaPolicy'
  | 'complaint'
  | 'job'
  | 'outreachSegment'
  | 'outreachCampaign'
  | 'ticketField'
  | 'ticketAssignmentRule'
  /** A second ticket of the tenant's customer, that the first can be merged into. */
  | 'duplicateTicket'
  | 'qualityResult'
  | 'qualityReview'
  | 'qualityAppeal';

export interface Tenant {
  profile: TenantProfile;
  workspaceId: string;
  password: string;
  users: Record<Role, { id: string; email: string }>;
  sessions: Record<Role, TestSession>;
  apiKey: { id: string; prefix: string; secret: string };
  widgetInbox: { id: string; token: string };
  apiInbox: { id: string; webhookSecret: string };
  visitor: { id: string; token: string; customerId: string; conversationId: string; clientMessageId: string };
  /** The API-channel customer's conversation and the client id of its first message. */
  conversationId: string;
  customerId: string;
  inboundMessageId: string;
  messageIds: string[];
  /** The question of the tenant's own FAQ entry, when the knowledge base routes exist. */
  faqQuestion?: string;
  /** The API conversation's messages, oldest first. */
  apiMessageIds: string[];
  ticketId: string;
  callbackId: string;
  /** The tenant's channel inbox (the fake provider's), when the channel routes exist. */
  channel?: { inboxId: string; hookId: string; signingSecret: string; publicUrl: string };
  /**
   * One real id (or order number) of each kind, for path parameters and id-like fields. Kinds whose
   * routes have not landed in this checkout stay unset; a route that needs one then fails loudly.
   */
  ids: Partial<Record<Kind, string>>;
  /** Every string that belongs to this tenant alone: ids, personal data (clear and masked), texts. */
  markers: string[];
}

/** Runs every due job (bot turns, webhooks) until none is left, so the database is quiet. */
export async function drainJobs(t: TestApp): Promise<void> {
  for (let round = 0; round < 50; round++) {
    if ((await t.app.zhike.worker.runDue()) === 0) return;
  }
  throw new Error('jobs kept coming after 50 rounds');
}

/** A request the tenant makes to set itself up: anything but a 2xx stops the test with the answer. */
async function succeed(
  t: TestApp,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
  contentType?: string,
): Promise<Record<string, unknown>> {
  const res = await t.app.inject({
    method,
    url,
    headers: contentType ? { ...headers, 'content-type': contentType } : headers,
    ...(payload === undefined ? {} : { payload: payload as string }),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as Record<string, unknown>;
}

export async function populateTenant(t: TestApp, profile: TenantProfile, wsBase: string): Promise<Tenant> {
  const { db, newId } = t.app.zhike;
  const now = new Date().toISOString();
  const workspaceId = newId();
  const password = `pw-${profile.letter}-${newId()}`;
  const passwordHash = await hashPassword(password);
  const userIds = Object.fromEntries(roles.map((role) => [role, newId()])) as Record<Role, string>;
  // Unique per run: sign-in lockout counters may live in a Redis that outlasts the test.
  const run = newId().slice(-12);
  const email = (role: Role) => `${role}.${profile.letter}.${run}@${profile.slug}.test`;
  const widgetInbox = { id: newId(), token: `wt_${profile.letter}_${newId()}` };
  const apiInbox = { id: newId(), webhookSecret: `whsec_${profile.letter}_${newId()}` };
  const seeded = await db.directory.seedWorkspace({
    workspace: {
      id: workspaceId,
      slug: profile.slug,
      name: `${profile.slug} shop`,
      locale: 'zh-CN',
      createdAt: now,
    },
    owner: {
      id: userIds.owner,
      workspaceId,
      email: email('owner'),
      name: profile.userNames.owner,
      role: 'owner',
      createdAt: now,
      passwordHash,
    },
    inboxes: [
      {
        id: widgetInbox.id,
        workspaceId,
        name: 'Web chat',
        channel: 'widget',
        widgetToken: widgetInbox.token,
        allowedOrigins: [profile.siteOrigin],
        webhookUrl: null,
        webhookSecret: null,
        greeting: null,
        createdAt: now,
      },
      {
        id: apiInbox.id,
        workspaceId,
        name: 'API',
        channel: 'api',
        widgetToken: null,
        allowedOrigins: [],
        webhookUrl: null,
        webhookSecret: apiInbox.webhookSecret,
        greeting: null,
        createdAt: now,
      },
    ],
    faqs: [],
  });
  if (!seeded) throw new Error(`workspace ${profile.slug} exists already`);
  const store = db.forWorkspace(workspaceId);
  await store.botSettings.save(demoBotSettings, now);
  for (const role of roles.filter((r) => r !== 'owner')) {
    await db.directory.addUser({
      id: userIds[role],
      workspaceId,
      email: email(role),
      name: profile.userNames[role],
      role,
      createdAt: now,
      passwordHash,
    });
  }
  const sessions = {} as Record<Role, TestSession>;
  for (const role of roles) sessions[role] = await t.login(email(role), password);

  const call = (
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string>,
    payload?: unknown,
    contentType?: string,
  ) => succeed(t, method, url, headers, payload, contentType);

  const created = (await call('POST', '/api/v1/api-keys', sessions.owner.headers, {
    name: `${profile.slug} integration`,
  })) as { apiKey: { id: string; prefix: string }; secret: string };
  const apiKey = { id: created.apiKey.id, prefix: created.apiKey.prefix, secret: created.secret };
  const bearer = { authorization: `Bearer ${apiKey.secret}` };

  // The API channel: a customer with full personal data, answered by the bot, assigned and replied to.
  const inboundMessageId = `${profile.letter}-inbound-1`;
  const inbound = (await call('POST', '/api/v1/inbound', bearer, {
    customer: profile.customer,
    text: profile.texts.customer,
    messageId: inboundMessageId,
  })) as { conversationId: string };
  await drainJobs(t);
  const conversationId = inbound.conversationId;
  await call('POST', `/api/v1/conversations/${conversationId}/assign`, sessions.supervisor.headers, {
    assigneeId: userIds.agent,
  });
  await call('POST', `/api/v1/conversations/${conversationId}/messages`, sessions.agent.headers, {
    text: profile.texts.agent,
  });
  const customerId = (
    (await call('GET', `/api/v1/conversations/${conversationId}`, bearer)) as { customer: { id: string } }
  ).customer.id;

  await call('POST', '/api/v1/orders', bearer, {
    number: profile.orderNumbers.api,
    status: '已发货',
    carrier: '顺丰速运',
    trackingNumber: `SF${profile.letter.toUpperCase()}77001`,
    phone: profile.customer.phone,
    items: [{ name: profile.itemName, quantity: 1 }],
    total: '88.00',
  });
  await call(
    'POST',
    '/api/v1/orders/import',
    sessions.admin.headers,
    `number,status,carrier,tracking_number,phone,total\n${profile.orderNumbers.csv},待发货,,,${profile.customer.phone},12.50\n`,
    'text/csv',
  );

  // The widget channel: a named visitor who writes over the socket, the way the embedded widget does.
  const origin = { origin: profile.siteOrigin };
  const session = (await call('POST', '/api/v1/widget/sessions', origin, {
    inbox: widgetInbox.token,
    name: profile.visitorName,
  })) as { visitorId: string; visitorToken: string };
  const socket = await FrameSocket.open(
    `${wsBase}/api/v1/widget/ws?inbox=${encodeURIComponent(widgetInbox.token)}&visitorToken=${encodeURIComponent(session.visitorToken)}`,
    origin,
  );
  const clientMessageId = `${profile.letter}-widget-1`;
  socket.send({ type: 'send', clientMessageId, text: profile.texts.visitor });
  const ack = await socket.waitFor<Extract<WidgetServerFrame, { type: 'ack' }>>((f) => f.type === 'ack');
  socket.close();
  await drainJobs(t);
  const visitorConversation = (await call('GET', `/api/v1/conversations/${ack.conversationId}`, bearer)) as {
    customer: { id: string };
  };

  // The bot opens these in its forms; they have no API of their own to create them.
  const ticket = await store.tickets.create({
    type: 'refund',
    fields: { order_number: profile.orderNumbers.api, reason: profile.texts.ticket },
    conversationId,
    customerId,
    sourceKey: `tenancy:${profile.letter}`,
    createdAt: new Date().toISOString(),
  });
  // The agent watches the ticket, so its watcher list names one of the tenant's users.
  await store.tickets.watchers.add(ticket.id, userIds.agent, new Date().toISOString());
  const duplicateTicket = await store.tickets.create({
    type: 'refund',
    fields: { order_number: profile.orderNumbers.api, reason: profile.texts.ticket },
    conversationId,
    customerId,
    sourceKey: `tenancy:${profile.letter}:duplicate`,
    createdAt: new Date().toISOString(),
  });
  const callback = await store.callbacks.create({
    phone: profile.callbackPhone,
    note: profile.texts.callback,
    conversationId: ack.conversationId,
    customerId: visitorConversation.customer.id,
    sourceKey: `tenancy:${profile.letter}`,
    createdAt: new Date().toISOString(),
  });

  const messagesOf = async (id: string) =>
    (
      (await call('GET', `/api/v1/conversations/${id}/messages?limit=200`, bearer)) as {
        messages: { id: string }[];
      }
    ).messages.map((m) => m.id);
  const apiMessageIds = await messagesOf(conversationId);
  const messageIds = [...apiMessageIds, ...(await messagesOf(ack.conversationId))];

  const sessionId = async (s: TestSession) => {
    const token = decodeURIComponent(s.cookie.slice(`${SESSION_COOKIE}=`.length));
    const record = await db.directory.sessionByTokenHash(sha256(token));
    if (!record) throw new Error('signed-in session not found');
    return record.id;
  };

  const users = Object.fromEntries(
    roles.map((role) => [role, { id: userIds[role], email: email(role) }]),
  ) as Record<Role, { id: string; email: string }>;
  const ids: Partial<Record<Kind, string>> = {
    workspace: workspaceId,
    user: userIds.agent,
    session: await sessionId(sessions.owner),
    apiKey: apiKey.id,
    inbox: apiInbox.id,
    customer: customerId,
    conversation: conversationId,
    message: messageIds[0],
    order: profile.orderNumbers.api,
    ticket: ticket.id,
    duplicateTicket: duplicateTicket.id,
    callback: callback.id,
  };
  const personal = [
    profile.customer.name,
    profile.customer.email,
    profile.customer.phone,
    profile.visitorName,
    profile.callbackPhone,
    ...roles.map((r) => profile.userNames[r]),
    ...roles.map((r) => email(r)),
  ];
  const extras = await populateExtras(t, profile, {
    owner: sessions.owner.headers,
    admin: sessions.admin.headers,
    agent: sessions.agent.headers,
    conversationId,
    customerId,
    widgetToken: widgetInbox.token,
    widgetInboxId: widgetInbox.id,
    visitorToken: session.visitorToken,
    bearer,
    workspaceId,
    ownerId: userIds.owner,
    agentId: userIds.agent,
    visitorConversationId: ack.conversationId,
    visitorCustomerId: visitorConversation.customer.id,
  });
  Object.assign(ids, extras.ids);
  const markers = new Set<string>([
    ...Object.values(ids).filter((id): id is string => id !== undefined),
    ...extras.markers,
    workspaceId,
    ...roles.map((r) => userIds[r]),
    widgetInbox.id,
    widgetInbox.token,
    apiInbox.webhookSecret,
    apiKey.prefix,
    apiKey.secret,
    // Credentials: a response must never carry another tenant's session token, CSRF token or visitor token.
    ...roles.flatMap((r) => [sessions[r].csrf, sessions[r].cookie.slice(`${SESSION_COOKIE}=`.length)]),
    session.visitorToken,
    ack.conversationId,
    visitorConversation.customer.id,
    session.visitorId,
    ...messageIds,
    profile.customer.externalId,
    ...Object.values(profile.texts),
    ...Object.values(profile.orderNumbers),
    profile.itemName,
    ...personal,
    maskName(profile.customer.name),
    maskName(profile.visitorName),
    maskEmail(profile.customer.email),
    maskPhone(profile.customer.phone),
    maskPhone(profile.callbackPhone),
    ...roles.map((r) => maskEmail(email(r))),
  ]);
  return {
    profile,
    workspaceId,
    password,
    users,
    sessions,
    apiKey,
    widgetInbox,
    apiInbox,
    visitor: {
      id: session.visitorId,
      token: session.visitorToken,
      customerId: visitorConversation.customer.id,
      conversationId: ack.conversationId,
      clientMessageId,
    },
    conversationId,
    customerId,
    inboundMessageId,
    messageIds,
    apiMessageIds,
    faqQuestion: extras.faqQuestion,
    ...(extras.channel ? { channel: extras.channel } : {}),
    ticketId: ticket.id,
    callbackId: callback.id,
    ids,
    markers: [...markers].filter((m) => m.length >= 5),
  };
}

interface ExtrasInput {
  owner: Record<string, string>;
  admin: Record<string, string>;
  agent: Record<string, string>;
  conversationId: string;
  customerId: string;
  widgetToken: string;
  widgetInboxId: string;
  visitorToken: string;
  bearer: Record<string, string>;
  workspaceId: string;
  ownerId: string;
  agentId: string;
  /** The widget visitor's conversation: unassigned, so an offer of it can be accepted. */
  visitorConversationId: string;
  visitorCustomerId: string;
}

/**
 * What the newer contexts hold (attachments, consents, the order-lookup connector, knowledge entries, bot
 * analytics, revealed data in the audit log), each created through its own route when this checkout
 * registers that route, so the matrix keeps running while those routes land.
 */
async function populateExtras(
  t: TestApp,
  profile: TenantProfile,
  input: ExtrasInput,
): Promise<{
  ids: Partial<Record<Kind, string>>;
  markers: string[];
  faqQuestion?: string;
  channel?: Tenant['channel'];
}> {
  const has = (method: string, url: string) =>
    t.app.zhike.routes.some((r) => r.method === method && r.url === url);
  const ids: Partial<Record<Kind, string>> = {};
  const markers: string[] = [];
  const send = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    headers: Record<string, string>,
    payload?: unknown,
    contentType?: string,
  ) => succeed(t, method, url, headers, payload, contentType);
  const { letter } = profile;
  const tag = letter === 'a' ? 'alpha' : 'bravo';

  if (has('POST', '/api/v1/conversations/:id/attachments')) {
    const name = `${letter}-agent-scan-${tag}.png`;
    const up = (await send(
      'POST',
      `/api/v1/conversations/${input.conversationId}/attachments?name=${encodeURIComponent(name)}`,
      input.agent,
      PNG,
      'image/png',
    )) as { attachment: { id: string } };
    ids.attachment = up.attachment.id;
    markers.push(name);
  }
  if (has('POST', '/api/v1/widget/attachments')) {
    const name = `${letter}-visitor-photo-${tag}.png`;
    const query = new URLSearchParams({ inbox: input.widgetToken, visitorToken: input.visitorToken, name });
    const up = (await send('POST', `/api/v1/widget/attachments?${query}`, {}, PNG, 'image/png')) as {
      attachment: { id: string };
    };
    // The visitor's own file: what the widget's download route would serve.
    ids.attachment = up.attachment.id;
    markers.push(name);
  }
  if (has('PUT', '/api/v1/customers/:id/consents')) {
    await send('PUT', `/api/v1/customers/${input.customerId}/consents`, input.owner, {
      purpose: 'marketing_sms',
      status: 'granted',
      source: `import_${tag}`,
    });
    markers.push(`import_${tag}`);
  }
  if (has('PUT', '/api/v1/connectors/order-lookup')) {
    const secret = `sk-${tag}-erp-7f3a9c1d`;
    const host = `erp.tenant-${letter}.test`;
    await send('PUT', '/api/v1/connectors/order-lookup', input.admin, {
      enabled: true,
      method: 'GET',
      urlTemplate: `https://${host}/orders/{{order_number}}`,
      bodyTemplate: null,
      mapping: {
        number: '$.number',
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
      headers: [
        { name: 'X-Shop', secret: false, value: `shop-${tag}-visible` },
        { name: 'Authorization', secret: true, value: secret },
      ],
    });
    markers.push(secret, host, `shop-${tag}-visible`);
  }
  let faqQuestion: string | undefined;
  if (has('POST', '/api/v1/knowledge/faqs')) {
    faqQuestion = `${letter === 'a' ? '甲' : '乙'}店会员积分怎么兑换 ${tag}-faq`;
    const faq = (await send('POST', '/api/v1/knowledge/faqs', input.owner, {
      question: faqQuestion,
      similarQuestions: [`积分兑换规则 ${tag}-similar`],
      answer: `积分在会员页兑换 ${tag}-answer`,
      tags: [`${tag}-tag`],
      enabled: true,
    })) as { id?: string; faq?: { id: string } };
    ids.faq = faq.faq?.id ?? faq.id;
    markers.push(`${tag}-faq`, `${tag}-similar`, `${tag}-answer`, `${tag}-tag`);
  }
  if (has('POST', '/api/v1/knowledge/articles')) {
    const article = (await send('POST', '/api/v1/knowledge/articles', input.owner, {
      title: `${letter === 'a' ? '甲' : '乙'}店售后政策 ${tag}-article`,
      body: `## 退货\n七天内可退 ${tag}-article-body`,
      tags: [`${tag}-policy`],
      enabled: true,
    })) as { id?: string; article?: { id: string } };
    ids.article = article.article?.id ?? article.id;
    markers.push(`${tag}-article`, `${tag}-article-body`, `${tag}-policy`);
  }
  if (has('GET', '/api/v1/bot/unanswered')) {
    const list = (await send('GET', '/api/v1/bot/unanswered', input.owner)) as {
      clusters?: { turnIds: string[] }[];
    };
    ids.botTurn = list.clusters?.flatMap((c) => c.turnIds)[0];
  }
  if (has('PUT', '/api/v1/bot/dialogue')) {
    // Two versions, so the restore route has an older one to aim at.
    for (const baseVersion of [0, 1])
      await send('PUT', '/api/v1/bot/dialogue', input.owner, {
        baseVersion,
        overrides: {
          customIntents: [
            {
              name: `${tag}_members_day`,
              examples: [`${tag}-dialogue-one 会员日`, `${tag}-dialogue-two 会员日`, `${tag}-dialogue-three`],
              handler: { type: 'reply', text: `${tag}-dialogue-reply` },
            },
          ],
        },
      });
    const { versions } = (await send('GET', '/api/v1/bot/dialogue/versions', input.owner)) as {
      versions: { id: string; version: number }[];
    };
    ids.dialogueVersion = versions.find((v) => v.version === 1)?.id;
    markers.push(`${tag}_members_day`, `${tag}-dialogue-one`, `${tag}-dialogue-reply`);
  }
  if (has('POST', '/api/v1/routing/rules')) {
    const { rule } = (await send('POST', '/api/v1/routing/rules', input.owner, {
      name: `${tag}-routing-rule`,
      enabled: true,
      conditions: [{ field: 'customer_tag', values: [`${tag}-routing-tag`] }],
      actions: { target: { kind: 'bot' }, priority: 'high', tags: [`${tag}-routing-tag`], notify: null },
    })) as { rule: { id: string } };
    ids.routingRule = rule.id;
    markers.push(`${tag}-routing-rule`, `${tag}-routing-tag`);
  }
  if (has('POST', '/api/v1/reply-templates')) {
    const { template } = (await send('POST', '/api/v1/reply-templates', input.owner, {
      shortcut: `${tag}-reply`,
      title: `${tag}-reply-title`,
      body: `${tag}-reply-body {{customer.name}}`,
      intents: [],
      compliance: false,
      locale: 'zh-CN',
    })) as { template: { id: string } };
    ids.replyTemplate = template.id;
    markers.push(`${tag}-reply-title`, `${tag}-reply-body`);
  }
  if (has('PUT', '/api/v1/customers/:id/profile')) {
    await send('PUT', `/api/v1/customers/${input.customerId}/profile`, input.owner, {
      memberLevel: `${tag}-member-level`,
      lifetimeSpendFen: 1234,
      orderCount: 2,
      tags: [`${tag}-profile-tag`],
    });
    markers.push(`${tag}-member-level`, `${tag}-profile-tag`);
  }
  let channel: Tenant['channel'];
  if (has('POST', '/api/v1/inboxes') && t.app.zhike.channels.get('fake-channel')) {
    // A channel inbox on the fake provider; its API address is refused by the SSRF guard, so sends fail.
    const signingSecret = `sign-${tag}-5e1d7a90`;
    const inbox = (await send('POST', '/api/v1/inboxes', input.admin, {
      name: `${tag} SMS`,
      adapter: 'fake-channel',
      config: {
        apiUrl: `http://127.0.0.1:9/${tag}`,
        signingSecret,
        apiToken: `token-${tag}-88c2f1`,
        sender: `${tag}sms`,
      },
    })) as { id: string; hookUrl: string };
    const hookId = new URL(inbox.hookUrl).pathname.split('/').at(-1) ?? '';
    channel = { inboxId: inbox.id, hookId, signingSecret, publicUrl: t.config.publicUrl };
    // PATCH, DELETE and the test send aim at this inbox: the built-in ones cannot be disabled.
    ids.inbox = inbox.id;
    ids.channelHook = hookId;
    markers.push(signingSecret, `token-${tag}-88c2f1`, `${tag}sms`);
  }
  if (has('GET', '/api/v1/customer-merge-suggestions')) {
    // A second API customer giving the first one's phone, unvouched for: a suggestion for an agent.
    await send('POST', '/api/v1/inbound', input.bearer, {
      customer: { externalId: `${letter}-twin-${tag}`, phone: profile.customer.phone },
      text: `${tag}-twin-question`,
      messageId: `${letter}-twin-1`,
    });
    const { suggestions } = (await send('GET', '/api/v1/customer-merge-suggestions', input.owner)) as {
      suggestions: { id: string }[];
    };
    ids.mergeSuggestion = suggestions[0]?.id;
    // Another customer with nothing in common, for the merge route to absorb (the suggestion stays open).
    const other = (await send('POST', '/api/v1/inbound', input.bearer, {
      customer: { externalId: `${letter}-other-${tag}` },
      text: `${tag}-other-question`,
      messageId: `${letter}-other-1`,
    })) as { conversationId: string };
    const conversation = (await send(
      'GET',
      `/api/v1/conversations/${other.conversationId}`,
      input.owner,
    )) as {
      customer: { id: string };
    };
    ids.mergeCandidate = conversation.customer.id;
    // The bot answers both messages: let it finish, so A's rows stand still while the matrix compares them.
    await drainJobs(t);
    markers.push(
      `${letter}-twin-${tag}`,
      `${tag}-twin-question`,
      `${letter}-other-${tag}`,
      `${tag}-other-question`,
    );
  }
  if (has('GET', '/api/v1/inboxes/:id/identity-secret')) {
    // The secret shops sign widget identities with: another tenant must never see it.
    const { secret } = (await send(
      'GET',
      `/api/v1/inboxes/${input.widgetInboxId}/identity-secret`,
      input.owner,
    )) as {
      secret: string;
    };
    markers.push(secret);
  }
  if (has('POST', '/api/v1/queues')) {
    const queue = (await send('POST', '/api/v1/queues', input.owner, {
      key: `${tag}-returns`,
      name: `${tag}-queue-name`,
      requiredSkills: [`${tag}-skill`],
    })) as { id: string };
    ids.queue = queue.id;
    // An outstanding offer to the tenant's owner (the dispatcher makes these; no route creates one).
    const offer = {
      id: t.app.zhike.newId(),
      conversationId: input.visitorConversationId,
      customerId: input.visitorCustomerId,
      queueId: queue.id,
      userId: input.ownerId,
      status: 'pending' as const,
      offeredAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      respondedAt: null,
    };
    await t.app.zhike.db.forWorkspace(input.workspaceId).offers.create(offer);
    ids.offer = offer.id;
    markers.push(`${tag}-returns`, `${tag}-queue-name`, `${tag}-skill`);
  }
  if (has('POST', '/api/v1/customers/:id/notes')) {
    const note = (await send('POST', `/api/v1/customers/${input.customerId}/notes`, input.agent, {
      body: `${tag}-note-body`,
    })) as { id: string };
    ids.note = note.id;
    markers.push(`${tag}-note-body`);
  }
  if (has('POST', '/api/v1/conversations/:id/handoff/refresh')) {
    // A stored hand-off card, so reading it is a real read (the conversation need not be handed off).
    await send('POST', `/api/v1/conversations/${input.conversationId}/handoff/refresh`, input.agent);
  }
  if (has('GET', '/api/v1/calls/:id')) {
    // An ended call of the tenant's customer with a transcript line and a recording (no route makes one:
    // calls come in over SIP or WebRTC). The recording's bytes carry a marker, so a leak of it shows.
    const store = t.app.zhike.db.forWorkspace(input.workspaceId);
    const id = t.app.zhike.newId();
    await store.voice.calls.create({
      id,
      inboxId: input.widgetInboxId,
      conversationId: input.conversationId,
      customerId: input.customerId,
      direction: 'inbound',
      transport: 'webrtc',
      fromUri: `${tag}-caller-uri`,
      toUri: 'zhike',
      state: 'bot',
      startedAt: new Date().toISOString(),
      answeredAt: new Date().toISOString(),
    });
    await store.voice.transcript.add([
      {
        callId: id,
        seq: 0,
        speaker: 'caller',
        startMs: 0,
        endMs: 900,
        text: `${tag}-call-line`,
        language: 'zh-CN',
      },
    ]);
    const wav = Buffer.from(`RIFF----WAVEfmt ${tag}-recording-bytes`, 'latin1');
    const saved = await t.app.zhike.voice.recordings.save(input.workspaceId, id, wav);
    await store.voice.calls.update(id, {
      state: 'ended',
      endedAt: new Date().toISOString(),
      endReason: 'caller-hangup',
      recording: { fileId: id, fileKey: saved.fileKey, durationMs: 900, size: saved.size },
    });
    ids.call = id;
    markers.push(`${tag}-call-line`, `${tag}-recording-bytes`, `${tag}-caller-uri`);
  }
  if (has('POST', '/api/v1/campaigns')) {
    // A voice line and a draft survey campaign calling a number of the tenant's (never started: no SIP).
    const line = (await send('POST', '/api/v1/inboxes', input.owner, {
      name: `${tag}-voice-line`,
      adapter: 'sip-voice',
      config: { mode: 'trunk', allowedSources: '127.0.0.1', numbers: '4008001234' },
    })) as { id: string };
    const { campaign } = (await send('POST', '/api/v1/campaigns', input.owner, {
      name: `${tag}-campaign`,
      kind: 'survey',
      purpose: 'service',
      inboxId: line.id,
      script: `${tag}-campaign-script`,
      language: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      quietHours: null,
      callsPerMinute: 1,
      maxConcurrent: 1,
      maxAttempts: 1,
      retryDelayMinutes: 1,
      customers: [],
      phones: ['13800001234'],
    })) as { campaign: { id: string } };
    ids.campaign = campaign.id;
    // One target already answered (no route dials in this test): its answer is the tenant's marker.
    const campaigns = t.app.zhike.db.forWorkspace(input.workspaceId).campaigns;
    const [target] = await campaigns.targets(campaign.id, { limit: 1 });
    if (!target) throw new Error('the campaign has no target');
    const at = new Date().toISOString();
    await campaigns.claimForDial(target.id, at, at);
    await campaigns.finishAttempt(target.id, {
      status: 'reached',
      nextAttemptAt: null,
      outcome: 'answered',
      result: { score: 4, answer: `${tag}-survey-answer` },
      callId: null,
      at,
    });
    markers.push(`${tag}-campaign`, `${tag}-campaign-script`, `${tag}-survey-answer`);
    const { entry } = (await send('POST', '/api/v1/voice/do-not-call', input.owner, {
      phone: '13800005678',
      reason: `${tag}-dnc-reason`,
    })) as { entry: { id: string } };
    ids.doNotCall = entry.id;
    markers.push(`${tag}-dnc-reason`);
  }
  if (has('POST', '/api/v1/sla/policies')) {
    // An SLA policy and a dated calendar edit, each named after the tenant.
    const { policy } = (await send('POST', '/api/v1/sla/policies', input.owner, {
      name: `${tag}-sla-policy`,
      conditions: { priority: null, category: `${tag}-sla-category`, customerTier: null },
      targets: { first_response: 60, next_response: null, resolution: 480 },
      businessHours: true,
      escalation: { notifySupervisors: true, raisePriority: false, reassignToUserId: null },
      enabled: true,
    })) as { policy: { id: string } };
    ids.slaPolicy = policy.id;
    await send('PUT', '/api/v1/sla/calendar', input.owner, {
      timeZone: 'Asia/Shanghai',
      periods: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00' }],
      chinaHolidays: true,
      overrides: [{ date: '2026-12-24', kind: 'holiday', name: `${tag}-sla-day` }],
    });
    markers.push(`${tag}-sla-policy`, `${tag}-sla-category`, `${tag}-sla-day`);
  }
  if (has('POST', '/api/v1/ticket-fields')) {
    // A custom ticket field and an assignment rule, each named after the tenant.
    const { field } = (await send('POST', '/api/v1/ticket-fields', input.owner, {
      key: `${tag}_field`.toLowerCase().replace(/[^a-z0-9_]/g, '_'),
      label: `${tag}-ticket-field`,
      kind: 'select',
      options: [`${tag}-field-option`],
    })) as { field: { id: string } };
    ids.ticketField = field.id;
    const { rule } = (await send('POST', '/api/v1/ticket-assignment-rules', input.owner, {
      name: `${tag}-ticket-rule`,
      enabled: true,
      category: `${tag}-rule-category`,
      type: null,
      priority: null,
      queueId: null,
      userId: null,
      skills: [`${tag}-rule-skill`],
    })) as { rule: { id: string } };
    ids.ticketAssignmentRule = rule.id;
    markers.push(`${tag}-ticket-field`, `${tag}-field-option`, `${tag}-ticket-rule`, `${tag}-rule-category`);
  }
  if (has('POST', '/api/v1/outreach-segments')) {
    // A re-engagement segment, and a draft offer campaign on the channel inbox (never started).
    const { segment } = (await send('POST', '/api/v1/outreach-segments', input.owner, {
      name: `${tag}-segment`,
      rule: {
        noOrderForDays: 30,
        includeNeverOrdered: true,
        noContactForDays: null,
        rfmMin: null,
        rfmMax: null,
        tags: [`${tag}-segment-tag`],
        tiers: [],
      },
    })) as { segment: { id: string } };
    ids.outreachSegment = segment.id;
    markers.push(`${tag}-segment`, `${tag}-segment-tag`);
    if (!channel) throw new Error('re-engagement campaigns need the channel inbox');
    const { campaign } = (await send('POST', '/api/v1/outreach-campaigns', input.owner, {
      name: `${tag}-offer`,
      segmentId: segment.id,
      channel: 'sms',
      inboxId: channel.inboxId,
      variants: [{ key: 'A', weight: 1, subject: null, text: `${tag}-offer-text {coupon}` }],
      holdoutPercent: 10,
      couponMode: 'imported',
      couponPrefix: '',
      timeZone: 'Asia/Shanghai',
      quietHours: { start: '21:00', end: '09:00' },
      capCount: 1,
      capDays: 7,
      attributionDays: 14,
    })) as { campaign: { id: string } };
    ids.outreachCampaign = campaign.id;
    await send('POST', `/api/v1/outreach-campaigns/${campaign.id}/coupons`, input.owner, {
      codes: [`${tag}COUPON`.replace(/[^A-Za-z0-9]/g, '').toUpperCase()],
    });
    markers.push(`${tag}-offer`, `${tag}-offer-text`);
  }
  if (has('POST', '/api/v1/complaints')) {
    // An agent's complaint flag on the tenant's conversation, its note the tenant's marker.
    const { complaint } = (await send('POST', '/api/v1/complaints', input.agent, {
      conversationId: input.conversationId,
      note: `${tag}-complaint-note`,
    })) as { complaint: { id: string } };
    ids.complaint = complaint.id;
    markers.push(`${tag}-complaint-note`);
  }
  if (has('GET', '/api/v1/quality/results/:id')) {
    // Quality results of the tenant's: its conversation, counting for the owner (who may appeal it in
    // the positive control) and queued for review; a call counting for its agent, who appealed it (the
    // reason the tenant's marker).
    const quality = t.app.zhike.db.forWorkspace(input.workspaceId).quality;
    const at = new Date().toISOString();
    const result = (subject: 'conversation' | 'call', subjectId: string, agentId: string) =>
      quality.results.upsert({
        subject,
        subjectId,
        conversationId: input.conversationId,
        customerId: input.customerId,
        agentId,
        channel: 'api',
        score: 45,
        violations: [{ ruleId: `${tag}-rule`, kind: 'forbidden_phrase', deducted: 55, hits: 1 }],
        hits: [],
        rulesetVersion: 0,
        endedAt: at,
        scoredAt: at,
      });
    const owners = await result('conversation', input.conversationId, input.ownerId);
    const agents = await result('call', t.app.zhike.newId(), input.agentId);
    ids.qualityResult = owners.id;
    ids.qualityReview = t.app.zhike.newId();
    await quality.reviews.enqueue({
      id: ids.qualityReview,
      resultId: owners.id,
      reason: 'low_score',
      createdAt: at,
    });
    const appeal = await quality.appeals.create({
      id: t.app.zhike.newId(),
      resultId: agents.id,
      agentId: input.agentId,
      reason: `${tag}-appeal-reason`,
      createdAt: at,
    });
    ids.qualityAppeal = appeal.id;
    markers.push(`${tag}-rule`, `${tag}-appeal-reason`);
  }
  if (has('POST', '/api/v1/jobs/:id/retry')) {
    // A failed job of the tenant's: a delivery of a message that does not exist fails for good at once.
    const store = t.app.zhike.db.forWorkspace(input.workspaceId);
    await store.jobs.enqueue({
      name: 'channel.deliver',
      payload: { workspaceId: input.workspaceId, messageId: `${tag}-missing-message` },
      runAt: new Date().toISOString(),
      idempotencyKey: `${tag}-failing-job`,
    });
    await drainJobs(t);
    const [failed] = await store.jobs.list({ status: 'failed', limit: 1 });
    if (!failed) throw new Error('the failing job did not fail');
    ids.job = failed.id;
  }
  if (has('POST', '/api/v1/customers/:id/reveal')) {
    // Puts a reveal entry (a read of personal data) into the audit log the matrix then reads.
    await send('POST', `/api/v1/customers/${input.customerId}/reveal`, input.owner, { fields: ['phone'] });
  }
  return { ids, markers, faqQuestion, channel };
}

/**
 * The forms a value B sent may come back in: as sent, and masked as the console shows personal data to
 * roles without the reveal permission (B's own order under A's phone comes back as 137****5678).
 */
export function formsOf(value: string): string[] {
  return [value, maskPhone(value), maskEmail(value), maskName(value)];
}

/** The tenant's markers found in a text (a response body, headers, a socket frame). */
export function markersIn(text: string, markers: readonly string[]): string[] {
  return markers.filter((m) => text.includes(m));
}
