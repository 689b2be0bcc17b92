// Cost metering (issue 12): the billable units a workspace uses and what they cost at its unit prices,
// and the monthly budget whose hard cap turns the paid extras off (the LLM first: the built-in NLU keeps
// answering). Amounts are integer micro-yuan (0.000001 元), so sums stay exact.

export const COST_UNITS = [
  'bot_interaction',
  'llm_token',
  'translation_character',
  'call_minute',
  'sms_segment',
  'email',
] as const;
export type CostUnit = (typeof COST_UNITS)[number];

/**
 * Default unit prices in yuan, in the range the brief's seed gives (0.03–0.08 元 per bot interaction,
 * 0.06 元 per call minute) and public list prices for the rest: DeepSeek-class LLMs at about 4 元 per
 * million tokens, cloud machine translation at about 50 元 per million characters, SMS at 0.045 元 a
 * segment. A workspace overrides any of them.
 */
export const DEFAULT_PRICES: Readonly<Record<CostUnit, number>> = {
  bot_interaction: 0.05,
  llm_token: 0.000004,
  translation_character: 0.00005,
  call_minute: 0.06,
  sms_segment: 0.045,
  email: 0.001,
};

/** Alert thresholds, percent of the monthly budget. */
export const BUDGET_THRESHOLDS = [50, 80, 100] as const;

export interface BudgetSettings {
  /** The month's budget in yuan; null: no budget (nothing is capped or alerted). */
  monthlyYuan: number | null;
  /** At 100 %: LLM calls stop (the built-in NLU answers) and outbound campaigns wait for next month. */
  hardCap: boolean;
  /** Unit prices in yuan overriding DEFAULT_PRICES. */
  prices: Partial<Record<CostUnit, number>>;
}

export const DEFAULT_BUDGET: BudgetSettings = { monthlyYuan: null, hardCap: false, prices: {} };

export interface CostUsageDay {
  day: string;
  unit: CostUnit;
  quantity: number;
  costMicro: number;
}

export interface StoredBudget {
  settings: BudgetSettings;
  updatedAt: string | null;
}

export interface CostsRepository {
  /** Adds to the day's row of the unit (created on first use). */
  add(entry: CostUsageDay): Promise<void>;
  /** Days from `from` to `to` inclusive (YYYY-MM-DD), oldest first. */
  list(from: string, to: string): Promise<CostUsageDay[]>;
  /** Micro-yuan spent from `from` to `to` inclusive. */
  spent(from: string, to: string): Promise<number>;
  budget(): Promise<StoredBudget>;
  saveBudget(settings: BudgetSettings, at: string): Promise<void>;
  /**
   * Records that `thresholds` were reached in `month` and returns the ones not recorded before, so each
   * alert goes out once even when two processes meter at the same moment.
   */
  claimAlerts(month: string, thresholds: readonly number[]): Promise<number[]>;
}

export function priceOf(unit: CostUnit, settings: BudgetSettings): number {
  const price = settings.prices[unit];
  return typeof price === 'number' && Number.isFinite(price) && price >= 0 ? price : DEFAULT_PRICES[unit];
}

/** What `quantity` units cost, in micro-yuan (rounded to the nearest). */
export function costMicro(unit: CostUnit, quantity: number, settings: BudgetSettings): number {
  return Math.round(priceOf(unit, settings) * quantity * 1_000_000);
}

/** Thresholds (percent) at or under what was spent; none without a budget. */
export function thresholdsReached(spentMicro: number, settings: BudgetSettings): number[] {
  if (settings.monthlyYuan === null || settings.monthlyYuan <= 0) return [];
  const percent = (spentMicro / (settings.monthlyYuan * 1_000_000)) * 100;
  return BUDGET_THRESHOLDS.filter((t) => percent >= t);
}

/** Whether the hard cap holds now: a budget, the cap switched on, and the month's spend at or over it. */
export function capReached(spentMicro: number, settings: BudgetSettings): boolean {
  return settings.hardCap && thresholdsReached(spentMicro, settings).includes(100);
}

/** YYYY-MM-DD days of the month of `day` (a YYYY-MM-DD), first and last. */
export function monthRange(day: string): { month: string; from: string; to: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const month = `${y}-${String(m).padStart(2, '0')}`;
  return { month, from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}
