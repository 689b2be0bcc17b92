// The owner configures the bot: industry template, their values, business hours, order numbers, on/off.
// Every save is a new settings version, so the compiled bot is rebuilt for it.
import type { BotSettings, BusinessHours } from '../model.ts';
import type { UseCaseDeps } from '../ports.ts';
import type { WorkspaceSetup } from './setupStatus.ts';

export interface ConfigureBotInput {
  templateId: string;
  /** The keys the chosen template declares; nothing else may be set. */
  declaredKeys: ReadonlySet<string>;
  variables: Readonly<Record<string, string>>;
  businessHours: BusinessHours | null;
  orderNumberPattern: string | null;
  botEnabled: boolean;
}

export interface SettingsProblem {
  path: string;
  message: string;
}

export type ConfigureBotResult =
  | { ok: true; settings: BotSettings; setup: WorkspaceSetup; previous: BotSettings | null }
  | { ok: false; problems: SettingsProblem[] };

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with the input, by JSON path; empty when it can be saved. */
export function botSettingsProblems(input: ConfigureBotInput): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  for (const [key, value] of Object.entries(input.variables)) {
    if (!input.declaredKeys.has(key))
      problems.push({
        path: `/variables/${key}`,
        message: `template ${input.templateId} has no variable ${key}`,
      });
    else if (value.trim() === '') problems.push({ path: `/variables/${key}`, message: 'must not be blank' });
  }
  const hours = input.businessHours;
  if (hours) {
    const zone = hours.timeZone ?? 'Asia/Shanghai';
    if (!validTimeZone(zone))
      problems.push({ path: '/businessHours/timeZone', message: `unknown time zone ${zone}` });
    hours.periods.forEach((p, i) => {
      const at = `/businessHours/periods/${i}`;
      if (!CLOCK.test(p.open) || p.open === '24:00')
        problems.push({ path: `${at}/open`, message: 'must be HH:MM' });
      if (!CLOCK.test(p.close)) problems.push({ path: `${at}/close`, message: 'must be HH:MM or 24:00' });
      if (p.open === p.close) problems.push({ path: `${at}/close`, message: 'must differ from open' });
      if (p.days.length === 0 || p.days.some((d) => !Number.isInteger(d) || d < 0 || d > 6))
        problems.push({ path: `${at}/days`, message: 'days are 0 (Sunday) … 6 (Saturday)' });
    });
  }
  if (input.orderNumberPattern !== null) {
    try {
      // An order number is never empty: a pattern matching "" would find one in every message.
      if (new RegExp(`^(?:${input.orderNumberPattern})$`).test(''))
        problems.push({ path: '/orderNumberPattern', message: 'must not match an empty string' });
    } catch {
      problems.push({ path: '/orderNumberPattern', message: 'is not a valid regular expression' });
    }
  }
  return problems;
}

export async function configureBot(deps: UseCaseDeps, input: ConfigureBotInput): Promise<ConfigureBotResult> {
  const problems = botSettingsProblems(input);
  if (problems.length > 0) return { ok: false, problems };
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const previous = await tx.botSettings.get();
    const previousSetup = await tx.setup.get();
    const settings = await tx.botSettings.save(
      {
        templateId: input.templateId,
        variables: { ...input.variables },
        businessHours: input.businessHours,
        orderNumberPattern: input.orderNumberPattern,
      },
      at,
    );
    // A workspace configured before the wizard existed stays set up; a new one finishes the wizard later.
    const completedAt = previousSetup ? previousSetup.completedAt : (previous?.updatedAt ?? null);
    const setup = await tx.setup.save({ botEnabled: input.botEnabled, completedAt }, at);
    return { ok: true, settings, setup, previous };
  });
}

/** The owner finished the wizard; the first completion time is kept. */
export async function completeSetup(deps: UseCaseDeps): Promise<WorkspaceSetup | null> {
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    if (!(await tx.botSettings.get())) return null;
    const setup = await tx.setup.get();
    if (setup?.completedAt) return setup;
    return tx.setup.save({ botEnabled: setup?.botEnabled ?? true, completedAt: at }, at);
  });
}
