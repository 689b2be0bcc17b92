// The order-lookup connector over REST: read and save its settings (secret header values write-only),
// and run it once against an order number so the admin can check the mapping before customers rely on it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  type OrderLookupConnector as ConnectorDto,
  ConnectorTestBody,
  type ConnectorTestResult,
  OrderLookupConnectorBody,
  OrderLookupConnectorResult,
  ConnectorTestResult as TestResultSchema,
} from '@zhike/contracts';
import { CONNECTOR_LIMITS, type OrderLookupConnector, validateConnectorSettings } from '@zhike/core';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import { callOrderApi } from '../connectors/callOrderApi.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const connectorDto = (c: OrderLookupConnector): ConnectorDto => ({
  ...c,
  headers: c.headers.map((h) => ({
    name: h.name,
    secret: h.secret,
    value: h.secret ? null : h.value,
    set: h.value !== '',
  })),
});

const hostOf = (template: string): string | null => {
  try {
    return new URL(template.replace(/\{\{[^}]*\}\}/g, 'x')).host;
  } catch {
    return null;
  }
};

export const connectorRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const store = (request: Parameters<typeof principalOf>[0]) =>
      ctx.db.forWorkspace(principalOf(request).workspaceId);
    const route = '/api/v1/connectors/order-lookup';
    const config = { auth: 'session', permission: 'connectors.manage' } as const;

    app.get(
      route,
      {
        config,
        schema: {
          tags: ['connectors'],
          summary: 'The order-lookup connector (secret header values are never returned)',
          response: { 200: OrderLookupConnectorResult, ...problems },
        },
      },
      async (request) => {
        const connector = await store(request).connectors.getOrderLookup();
        return { connector: connector ? connectorDto(connector) : null };
      },
    );

    app.put(
      route,
      {
        config,
        schema: {
          tags: ['connectors'],
          summary: "Save the order-lookup connector to the shop's own order system",
          description:
            'A secret header sent without a value keeps its saved value. Placeholders: {{order_number}}, {{phone}}.',
          body: OrderLookupConnectorBody,
          response: { 200: OrderLookupConnectorResult, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const b = request.body;
        const headers = b.headers.map((h) => ({ name: h.name, secret: h.secret, value: h.value ?? null }));
        const settings = {
          ...b,
          timeoutMs: b.timeoutMs ?? CONNECTOR_LIMITS.defaultTimeoutMs,
          retries: b.retries ?? CONNECTOR_LIMITS.defaultRetries,
          allowedHosts: [...new Set(b.allowedHosts.map((h) => h.toLowerCase()))],
        };
        const invalid = validateConnectorSettings({
          ...settings,
          headers: headers.map((h) => ({ ...h, value: h.value ?? '' })),
        }).map((p) => ({ path: `body/${p.path}`, message: p.message }));
        if (invalid.length > 0)
          throw new HttpProblem('validation_failed', 'The connector settings are invalid', invalid);
        const connectors = store(request).connectors;
        const previous = await connectors.getOrderLookup();
        const saved = await connectors.saveOrderLookup(
          { ...settings, headers },
          ctx.clock.now().toISOString(),
        );
        // Which secrets changed, by name only: the audit log must never hold their values.
        const before = new Map(
          (previous?.headers ?? []).filter((h) => h.secret).map((h) => [h.name.toLowerCase(), h.value]),
        );
        const changedSecrets = saved.headers
          .filter((h) => h.secret && before.get(h.name.toLowerCase()) !== h.value)
          .map((h) => h.name);
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'settings.changed',
          target: { type: 'connector', id: saved.id },
          details: {
            setting: 'connector.order_lookup',
            enabled: saved.enabled,
            method: saved.method,
            host: hostOf(saved.urlTemplate),
            headers: saved.headers.map((h) => h.name).join(','),
            secretsChanged: changedSecrets.join(','),
            allowedHosts: saved.allowedHosts.join(','),
            timeoutMs: saved.timeoutMs,
            retries: saved.retries,
            version: saved.version,
          },
        });
        return { connector: connectorDto(saved) };
      },
    );

    app.post(
      `${route}/test`,
      {
        config,
        schema: {
          tags: ['connectors'],
          summary: 'Run the saved connector for one order number and show the mapped order',
          description: 'Runs even while the connector is disabled. Secret header values are shown as ••••.',
          body: ConnectorTestBody,
          response: { 200: TestResultSchema, ...problems },
        },
      },
      async (request): Promise<ConnectorTestResult> => {
        const connector = await store(request).connectors.getOrderLookup();
        if (!connector) throw new HttpProblem('not_found', 'Save the connector before testing it');
        const call = await callOrderApi(connector, {
          orderNumber: request.body.orderNumber,
          phone: request.body.phone ?? '',
        });
        const { outcome } = call;
        return {
          outcome: !outcome.ok ? 'failed' : outcome.result.found ? 'found' : 'not_found',
          order: outcome.ok && outcome.result.found ? outcome.result.order : null,
          failure: outcome.ok ? null : { kind: outcome.kind, message: outcome.message },
          request: call.request,
          status: call.status,
          totalMs: call.totalMs,
          attempts: call.attempts,
          bodyExcerpt: call.bodyExcerpt,
        };
      },
    );
  };
