// Routing rules (issue 6): the workspace's ordered rules (list, create, edit, delete, reorder) with
// problems that point at the field, the simulator owners test their rules with, and the tier thresholds.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ReorderRulesBody,
  RoutingRuleBody,
  RoutingRuleList,
  RoutingRule as RoutingRuleView,
  RuleIdParams,
  SimulatedRouting,
  SimulateRoutingBody,
  TierSettings as TierSettingsView,
} from '@zhike/contracts';
import {
  changeTierSettings,
  decideRouting,
  type RoutingRuleInput,
  routingFacts,
  ruleMatches,
  type StoredCustomerProfile,
  saveRoutingRule,
  type TierSettings,
} from '@zhike/core';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext, Principal } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

export const routingRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const storeOf = (workspaceId: string) => ctx.db.forWorkspace(workspaceId);
    const now = () => ctx.clock.now().toISOString();

    const audit = (principal: Principal, change: string, target: { type: string; id: string }) =>
      recordAudit(ctx, {
        workspaceId: principal.workspaceId,
        actor: actorOf(principal),
        action: 'settings.changed',
        target,
        details: { setting: 'routing', change },
      });

    const save = async (workspaceId: string, id: string | null, rule: RoutingRuleInput) => {
      const store = storeOf(workspaceId);
      const result = await saveRoutingRule({ store, newId: ctx.newId, at: now() }, { id, rule });
      if (result.ok) return result.rule;
      if ('notFound' in result) throw new HttpProblem('not_found', 'No such routing rule');
      throw new HttpProblem(
        'validation_failed',
        'The rule has problems',
        result.problems.map((p) => ({ path: `body/${p.path}`, message: p.message })),
      );
    };

    app.get(
      '/api/v1/routing/rules',
      {
        config: { auth: 'session', permission: 'routing.read' },
        schema: {
          tags: ['routing'],
          summary: "The workspace's routing rules in evaluation order",
          response: { 200: RoutingRuleList, ...problems },
        },
      },
      async (request) => ({ rules: await storeOf(principalOf(request).workspaceId).routing.listRules() }),
    );

    app.post(
      '/api/v1/routing/rules',
      {
        config: { auth: 'session', permission: 'routing.manage' },
        schema: {
          tags: ['routing'],
          summary: 'Add a routing rule at the end of the order',
          body: RoutingRuleBody,
          response: { 201: Type.Object({ rule: RoutingRuleView }), ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const rule = await save(principal.workspaceId, null, request.body);
        await audit(principal, 'rule_created', { type: 'routing_rule', id: rule.id });
        return reply.code(201).send({ rule });
      },
    );

    app.put(
      '/api/v1/routing/rules/:ruleId',
      {
        config: { auth: 'session', permission: 'routing.manage' },
        schema: {
          tags: ['routing'],
          summary: 'Edit a routing rule (a template rule becomes the owner’s and survives a template switch)',
          params: RuleIdParams,
          body: RoutingRuleBody,
          response: { 200: Type.Object({ rule: RoutingRuleView }), ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const rule = await save(principal.workspaceId, request.params.ruleId, request.body);
        await audit(principal, 'rule_updated', { type: 'routing_rule', id: rule.id });
        return { rule };
      },
    );

    app.delete(
      '/api/v1/routing/rules/:ruleId',
      {
        config: { auth: 'session', permission: 'routing.manage' },
        schema: {
          tags: ['routing'],
          summary: 'Delete a routing rule',
          params: RuleIdParams,
          response: { 204: Type.Null(), ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (!(await storeOf(principal.workspaceId).routing.deleteRule(request.params.ruleId)))
          throw new HttpProblem('not_found', 'No such routing rule');
        await audit(principal, 'rule_deleted', { type: 'routing_rule', id: request.params.ruleId });
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/api/v1/routing/rule-order',
      {
        config: { auth: 'session', permission: 'routing.manage' },
        schema: {
          tags: ['routing'],
          summary: 'Set the evaluation order: every rule id exactly once',
          body: ReorderRulesBody,
          response: { 200: RoutingRuleList, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = storeOf(principal.workspaceId);
        if (!(await store.routing.reorder(request.body.ids, now())))
          throw new HttpProblem('validation_failed', 'List every rule exactly once', [
            { path: 'body/ids', message: 'must name every rule of the workspace exactly once' },
          ]);
        await audit(principal, 'rules_reordered', { type: 'workspace', id: principal.workspaceId });
        return { rules: await store.routing.listRules() };
      },
    );

    app.post(
      '/api/v1/routing/simulate',
      {
        config: { auth: 'session', permission: 'routing.read' },
        schema: {
          tags: ['routing'],
          summary: 'Where a first message would go and why (nothing is stored or sent)',
          body: SimulateRoutingBody,
          response: { 200: SimulatedRouting, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = storeOf(principal.workspaceId);
        const body = request.body;
        const workspace = await store.workspace.get();
        const at = ctx.clock.now();
        const decision = await ctx.bot.previewDecision(
          principal.workspaceId,
          workspace.locale,
          body.text,
          at,
        );
        if (!decision) throw new HttpProblem('conflict', 'Set up the bot first: routing reads its analysis');
        const [rules, settings] = await Promise.all([store.routing.listRules(), store.routing.settings()]);
        let profile: StoredCustomerProfile | null = null;
        if (body.customerId) {
          profile = await store.customerProfiles.get(body.customerId);
          if (!profile) throw new HttpProblem('not_found', 'No such customer');
        } else if (body.tier || body.tags)
          profile = {
            memberLevel: null,
            lifetimeSpendFen: 0,
            orderCount: body.tier === 'regular' ? 1 : 0,
            tags: body.tags ?? [],
            tier: body.tier ?? 'new',
            updatedAt: null,
          };
        const facts = routingFacts(decision, {
          channel: body.channel ?? 'widget',
          profile,
          tiers: settings.tiers,
        });
        const { record } = decideRouting({ rules, defaultQueueId: null }, facts, at.toISOString());
        return {
          decision: record,
          botReplies: record.target === 'bot' ? decision.replies : [],
          matched: rules
            .filter((r) => r.enabled)
            .map((r) => ({ ruleId: r.id, name: r.name, matched: ruleMatches(r, facts) })),
        };
      },
    );

    app.get(
      '/api/v1/routing/tiers',
      {
        config: { auth: 'session', permission: 'routing.read' },
        schema: {
          tags: ['routing'],
          summary: 'What makes a customer VIP or regular',
          response: { 200: TierSettingsView, ...problems },
        },
      },
      async (request) => (await storeOf(principalOf(request).workspaceId).routing.settings()).tiers,
    );

    app.put(
      '/api/v1/routing/tiers',
      {
        config: { auth: 'session', permission: 'routing.manage' },
        schema: {
          tags: ['routing'],
          summary: "Change the tier thresholds; every customer's tier is recomputed",
          body: TierSettingsView,
          response: { 200: TierSettingsView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const at = now();
        const tiers: TierSettings = request.body;
        const saved = await storeOf(principal.workspaceId).transaction((tx) =>
          changeTierSettings(tx, { tiers, at }),
        );
        await audit(principal, 'tiers_updated', { type: 'workspace', id: principal.workspaceId });
        return saved;
      },
    );
  };
