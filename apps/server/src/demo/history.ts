// A realistic history for demos, screenshots and benchmarks (`zhike demo seed --months 3`): days of
// customer service on every channel the shop has, driven through the real commands, bot, channels and job
// worker on a simulated clock, so every table, event, rollup, KPI, ticket clock, survey and quality result
// is what the product would have recorded. Customers ask the retail template's questions (its FAQ
// paraphrases and intent examples — training text, never a test split) on the web chat (45 %), WeChat
// (20 %), the API (10 %), the phone line (10 %), SMS (8 %) and e-mail (7 %); some complain, some fill in
// the bot's refund form, some come back, a third are signed in on the shop's site and reach it by SMS and
// phone as the same customer. Deterministic for a seed. The pieces: simulation.ts (clock, agenda, working
// hours), demoShop.ts (inboxes, staff, settings), cast.ts (customers and the channels' entry points),
// chats.ts, calls.ts and followUps.ts (tickets, surveys, complaints).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelType } from '@zhike/core';
import type { AppContext } from '../context.ts';
import { phoneCall } from './calls.ts';
import { channelsOf, customerNumbered } from './cast.ts';
import { chatContact, emailContact } from './chats.ts';
import { prepareDemoShop } from './demoShop.ts';
import { followUpsOf } from './followUps.ts';
import { emptySummary, type HistorySummary, type Run } from './run.ts';
import { createSimulation, type SimulatedClock } from './simulation.ts';

export type { HistorySummary } from './run.ts';
export { type SimulatedClock, simulatedClock } from './simulation.ts';

export interface HistoryOptions {
  workspaceId: string;
  /** The first simulated day starts this many days before `end`. */
  days: number;
  /** Conversations per day on average (weekends have fewer, Mondays more). */
  perDay: number;
  /** When the history ends (usually now). */
  end: Date;
  seed?: number;
  /** Called after each simulated day. */
  onDay?: (day: string, conversations: number) => void;
}

/** The channel mix of a small online shop's customer service. */
export const CHANNEL_MIX: Readonly<Record<ChannelType, number>> = {
  widget: 45,
  wechat: 20,
  api: 10,
  voice: 10,
  sms: 8,
  email: 7,
};

interface Template {
  faqs: { question: string; similar: string[] }[];
  intents: { name: string; examples: string[] }[];
  outOfScope: string[];
}

// From the app's root, not this file's place: the bundled command (apps/server/dist) sits elsewhere.
const template = (repoRoot: string): Template =>
  JSON.parse(readFileSync(join(repoRoot, 'templates/retail/zh-CN.json'), 'utf8'));

const DAY = 86_400_000;
const HOUR = 3_600_000;

export async function generateHistory(
  ctx: AppContext,
  clock: SimulatedClock,
  options: HistoryOptions,
): Promise<HistorySummary> {
  const end = options.end.getTime();
  // Whole days in Shanghai, the last one ending at the midnight before `end`; `end` itself may be later.
  const lastMidnight = Math.floor((end + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
  const first = lastMidnight - options.days * DAY;
  const sim = createSimulation(ctx, clock, {
    workspaceId: options.workspaceId,
    start: first,
    end,
    seed: options.seed ?? 20261125,
  });
  const shop = await prepareDemoShop(ctx, options.workspaceId, sim.iso());
  const t = template(ctx.repoRoot);
  const han = (q: string) => /\p{Script=Han}/u.test(q);
  const run: Run = {
    sim,
    shop,
    channels: channelsOf(sim, shop),
    summary: emptySummary(shop.agents.length),
    questions: [
      ...t.faqs.flatMap((f) => [f.question, ...f.similar.filter(han)]),
      ...t.intents
        // Complaints come from the demo's own angry lines, at their own rate (chats.ts).
        .filter((i) => !['greeting', 'thanks', 'goodbye', 'complaint'].includes(i.name))
        .flatMap((i) => i.examples.filter(han)),
    ],
    outOfScope: t.outOfScope,
    seen: new Set(),
    rated: new Set(),
  };
  const followUps = followUpsOf(run);
  const { rand } = sim;
  const mix: Record<ChannelType, number> = { ...CHANNEL_MIX };
  // A shop whose API inbox posts to its own webhook: simulated customers stay off it.
  if (!shop.api) {
    mix.widget += mix.api;
    mix.api = 0;
  }
  const customers = Math.max(10, Math.round((options.days * options.perDay) / 2.5));

  // The worker runs every hour even when nobody writes (SLA deadlines, surveys due in the morning).
  const tick = (at: number) =>
    sim.later(at, async () => {
      tick(at + HOUR);
    });
  tick(first + HOUR);

  for (let d = options.days; d > 0; d--) {
    const dayStart = lastMidnight - d * DAY;
    const weekday = new Date(dayStart + 8 * HOUR).getUTCDay();
    const load = weekday === 0 || weekday === 6 ? 0.6 : weekday === 1 ? 1.3 : 1;
    const count = Math.max(1, Math.round(options.perDay * load * rand.between(0.8, 1.2)));
    // Opening hours 09:00–22:00 in Shanghai.
    const starts = Array.from({ length: count }, () => Math.floor(dayStart + HOUR * (9 + 13 * rand()))).sort(
      (a, b) => a - b,
    );
    for (const start of starts) {
      await sim.runAgenda(start);
      sim.jumpTo(Math.max(sim.now() + 1000, start));
      await sim.drain();
      const channel = rand.weighted(mix);
      let n = Math.floor(rand() * customers);
      // Customers signed in on the shop's site (every third) are the ones who also text and call.
      if ((channel === 'sms' || channel === 'voice') && rand.odds(0.4)) n -= n % 3;
      const who = customerNumbered(n);
      if (channel === 'voice') await phoneCall(run, followUps, who);
      else if (channel === 'email') await emailContact(run, followUps, who, start);
      else await chatContact(run, followUps, channel, who, start);
      await sim.drain();
    }
    options.onDay?.(new Date(dayStart + 8 * HOUR).toISOString().slice(0, 10), count);
  }
  // What is still due before the end, and the worker once more just before it.
  await sim.runAgenda(end - 1);
  sim.jumpTo(end - 1);
  await sim.drain();
  return { ...run.summary, ...(await settled(run, first, end)) };
}

/** What the product recorded of surveys and complaints over the period (their numbers are its own). */
async function settled(run: Run, from: number, to: number): Promise<Partial<HistorySummary>> {
  const { store } = run.sim;
  const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  const surveys = await store.surveys.summary(range);
  const complaints = await store.complaints.kpi(range, range.to);
  return {
    surveysSent: surveys.sent,
    surveysAnswered: surveys.answered,
    complaints: complaints.opened,
    complaintsClosed: complaints.closed,
  };
}
