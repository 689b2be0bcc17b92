// zhike demo seed [--months 3] [--days N] [--per-day 40] [--workspace demo] [--seed N]: a realistic
// history on every channel — conversations, calls with transcripts, tickets, surveys, complaints — for
// demos, screenshots and benchmarks, driven through the real bot, commands, channels and worker on a
// simulated clock that ends now (see apps/server/src/demo/history.ts).
import { parseArgs } from 'node:util';
import { createApp, generateHistory, simulatedClock } from '@zhike/server';
import { configOrExit, type Io } from '../main.ts';

export const demoUsage =
  'Usage: zhike demo seed [--months 3] [--days N] [--per-day 40] [--workspace demo] [--seed N]\n';

const positive = (value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : Number.NaN;
};

export async function demoSeed(args: string[], io: Io): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        months: { type: 'string' },
        days: { type: 'string' },
        'per-day': { type: 'string' },
        workspace: { type: 'string' },
        seed: { type: 'string' },
      },
    }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${demoUsage}`);
    return 2;
  }
  const days = values.days !== undefined ? positive(values.days, 0) : positive(values.months, 3) * 30;
  const perDay = positive(values['per-day'], 40);
  const seed = positive(values.seed, 20261125);
  if (![days, perDay, seed].every(Number.isFinite) || days > 3660 || perDay > 5000) {
    io.stderr.write(demoUsage);
    return 2;
  }
  const config = configOrExit(io);
  if (!config) return 1;
  const end = new Date();
  const clock = simulatedClock(end.getTime() - days * 86_400_000);
  const app = await createApp({ ...config, logLevel: 'error' }, { startWorker: false, clock });
  try {
    const slug = values.workspace ?? 'demo';
    const workspace = await app.zhike.db.directory.workspaceBySlug(slug);
    if (!workspace) {
      io.stderr.write(`No workspace with slug "${slug}"\n`);
      return 1;
    }
    io.stdout.write(
      `Simulating ${days} days of about ${perDay} conversations a day for ${workspace.slug}…\n`,
    );
    const started = Date.now();
    const summary = await generateHistory(app.zhike, clock, {
      workspaceId: workspace.id,
      days,
      perDay,
      end,
      seed,
      onDay: (day, count) => {
        if (day.endsWith('-01') || day.endsWith('-15')) io.stdout.write(`  ${day}: ${count} conversations\n`);
      },
    });
    const c = summary.byChannel;
    io.stdout.write(
      `Done in ${((Date.now() - started) / 1000).toFixed(0)} s: ${summary.conversations} conversations ` +
        `(web chat ${c.widget}, WeChat ${c.wechat}, API ${c.api}, phone ${c.voice}, SMS ${c.sms}, ` +
        `e-mail ${c.email}), ${summary.messages} customer and agent messages, ${summary.resolved} resolved; ` +
        `${summary.calls} calls (${summary.callsWithAgent} answered by an agent); ${summary.tickets} tickets ` +
        `(${summary.ticketsSolved} solved); ${summary.surveysAnswered} of ${summary.surveysSent} surveys ` +
        `answered, ${summary.rated} rated in the API chat; ${summary.complaints} complaints ` +
        `(${summary.complaintsClosed} closed); ${summary.agents} agents and a supervisor.\n`,
    );
    return 0;
  } finally {
    await app.close();
  }
}
