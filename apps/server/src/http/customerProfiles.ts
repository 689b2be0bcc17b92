// What a customer is worth to the shop (issue 6): their profile (member level, lifetime spend in fen, order
// count, tags) and the tier it gives, set one at a time, in bulk by an integrator keyed on external id,
// phone or email, from a CSV file (preview, then commit), or computed from the orders table.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BulkProfilesBody,
  CustomerProfileBody,
  CustomerProfile as CustomerProfileView,
  IdParams,
  PROFILE_CSV_HEADER,
  ProfileImportQuery,
  ProfileImportResult,
  ProfilesApplied,
} from '@zhike/contracts';
import {
  type Customer,
  type CustomerProfile,
  customerTier,
  type IdentityKind,
  normaliseIdentity,
  profilesFromOrders,
  type StoredCustomerProfile,
  setCustomerProfile,
  type WorkspaceRepositories,
} from '@zhike/core';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { parseProfileCsv } from './profileCsv.ts';
import { problems } from './schemas.ts';

/** Orders read when computing profiles from the orders table (a small shop's whole history). */
const MAX_ORDERS = 200_000;

const view = (customerId: string, p: StoredCustomerProfile) => ({
  customerId,
  memberLevel: p.memberLevel,
  lifetimeSpendFen: p.lifetimeSpendFen,
  orderCount: p.orderCount,
  tags: p.tags,
  tier: p.tier,
  updatedAt: p.updatedAt,
});

async function customerBy(
  store: Pick<WorkspaceRepositories, 'customers'>,
  key: { kind: IdentityKind; value: string },
): Promise<Customer | null> {
  let value: string;
  try {
    value = normaliseIdentity(key.kind, key.value);
  } catch {
    return null; // not a phone or email at all: nobody has it
  }
  return store.customers.findByIdentity(key.kind, value);
}

export const customerProfileRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const storeOf = (workspaceId: string) => ctx.db.forWorkspace(workspaceId);
    const now = () => ctx.clock.now().toISOString();
    // Profile files arrive as CSV text (the limit is the app's body limit).
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    app.get(
      '/api/v1/customers/:id/profile',
      {
        config: { auth: 'sessionOrApiKey', permission: 'customers.read' },
        schema: {
          tags: ['customers'],
          summary: "A customer's value profile and tier",
          params: IdParams,
          response: { 200: CustomerProfileView, ...problems },
        },
      },
      async (request) => {
        const profile = await storeOf(principalOf(request).workspaceId).customerProfiles.get(
          request.params.id,
        );
        if (!profile) throw new HttpProblem('not_found', 'No such customer');
        return view(request.params.id, profile);
      },
    );

    app.put(
      '/api/v1/customers/:id/profile',
      {
        config: { auth: 'sessionOrApiKey', permission: 'customers.profile_write' },
        schema: {
          tags: ['customers'],
          summary: "Set a customer's member level, lifetime spend (fen), order count and tags",
          params: IdParams,
          body: CustomerProfileBody,
          response: { 200: CustomerProfileView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = storeOf(principal.workspaceId);
        const { tiers } = await store.routing.settings();
        const saved = await setCustomerProfile(store, {
          customerId: request.params.id,
          profile: request.body,
          tiers,
          at: now(),
        });
        if (!saved) throw new HttpProblem('not_found', 'No such customer');
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'settings.changed',
          target: { type: 'customer', id: request.params.id },
          details: { setting: 'customer_profile', tier: saved.tier },
        });
        return view(request.params.id, saved);
      },
    );

    app.post(
      '/api/v1/customers/profiles',
      {
        config: { auth: 'sessionOrApiKey', permission: 'customers.profile_write' },
        schema: {
          tags: ['customers'],
          summary: 'Set many customers’ profiles, each named by external id, phone or email',
          description:
            'Entries whose customer is not known here are listed in `unmatched`; the rest are saved.',
          body: BulkProfilesBody,
          response: { 200: ProfilesApplied, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const at = now();
        const result = await storeOf(principal.workspaceId).transaction(async (tx) => {
          const { tiers } = await tx.routing.settings();
          let updated = 0;
          const unmatched: { line: number; reason: string }[] = [];
          for (const [index, entry] of request.body.profiles.entries()) {
            const key = entry.externalId
              ? { kind: 'external' as const, value: entry.externalId }
              : entry.phone
                ? { kind: 'phone' as const, value: entry.phone }
                : entry.email
                  ? { kind: 'email' as const, value: entry.email }
                  : null;
            if (!key) {
              unmatched.push({ line: index + 1, reason: 'name the customer by externalId, phone or email' });
              continue;
            }
            const customer = await customerBy(tx, key);
            if (!customer) {
              unmatched.push({ line: index + 1, reason: `no customer with this ${key.kind}` });
              continue;
            }
            const profile: CustomerProfile = {
              memberLevel: entry.memberLevel,
              lifetimeSpendFen: entry.lifetimeSpendFen,
              orderCount: entry.orderCount,
              tags: entry.tags,
            };
            if (await setCustomerProfile(tx, { customerId: customer.id, profile, tiers, at })) updated++;
          }
          return { updated, unmatched };
        });
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'settings.changed',
          target: { type: 'workspace', id: principal.workspaceId },
          details: { setting: 'customer_profiles', updated: result.updated },
        });
        return result;
      },
    );

    app.post(
      '/api/v1/customers/profiles/import',
      {
        config: { auth: 'sessionOrApiKey', permission: 'customers.profile_write' },
        schema: {
          tags: ['customers'],
          summary: `Import customer profiles from CSV (text/csv; header ${PROFILE_CSV_HEADER})`,
          description:
            'Without commit=true only previews: rows, matched customers and the tiers they would get. A malformed line fails the import with every problem listed in `errors` (path `line N`).',
          consumes: ['text/csv'],
          querystring: ProfileImportQuery,
          body: Type.String({ description: 'CSV text' }),
          response: { 200: ProfileImportResult, ...problems },
        },
      },
      async (request) => {
        if (request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== 'text/csv')
          throw new HttpProblem('unsupported_media_type', 'Send the file as text/csv');
        const parsed = parseProfileCsv(request.body);
        if ('errors' in parsed)
          throw new HttpProblem(
            'validation_failed',
            'The CSV file has errors; nothing was imported',
            parsed.errors.map((e) => ({ path: `line ${e.line}`, message: e.message })),
          );
        const principal = principalOf(request);
        const commit = request.query.commit === true;
        const at = now();
        const result = await storeOf(principal.workspaceId).transaction(async (tx) => {
          const { tiers } = await tx.routing.settings();
          const counts = { vip: 0, regular: 0, new: 0 };
          const issues: { line: number; message: string }[] = [];
          let matched = 0;
          for (const row of parsed.rows) {
            const customer = await customerBy(tx, row.key);
            if (!customer) {
              issues.push({ line: row.line, message: `no customer with this ${row.key.kind}` });
              continue;
            }
            matched++;
            counts[customerTier(row.profile, tiers)]++;
            if (commit)
              await setCustomerProfile(tx, { customerId: customer.id, profile: row.profile, tiers, at });
          }
          return { committed: commit, rows: parsed.rows.length, matched, tiers: counts, problems: issues };
        });
        if (commit)
          await recordAudit(ctx, {
            workspaceId: principal.workspaceId,
            actor: actorOf(principal),
            action: 'settings.changed',
            target: { type: 'workspace', id: principal.workspaceId },
            details: { setting: 'customer_profiles', imported: result.matched },
          });
        return result;
      },
    );

    app.post(
      '/api/v1/customers/profiles/from-orders',
      {
        config: { auth: 'session', permission: 'customers.profile_write' },
        schema: {
          tags: ['customers'],
          summary:
            "Compute customers' lifetime spend and order count from the orders table (matched by phone)",
          response: {
            200: Type.Object({
              orders: Type.Integer(),
              matchedOrders: Type.Integer(),
              customers: Type.Integer(),
            }),
            ...problems,
          },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const at = now();
        const result = await storeOf(principal.workspaceId).transaction((tx) =>
          profilesFromOrders({ store: tx, at }, { maxOrders: MAX_ORDERS }),
        );
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'settings.changed',
          target: { type: 'workspace', id: principal.workspaceId },
          details: { setting: 'customer_profiles', fromOrders: result.customers },
        });
        return result;
      },
    );
  };
