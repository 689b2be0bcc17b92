// Cost metering (issue 12): the billable units a workspace uses and what they cost at its unit prices,
// and the monthly budget whose hard cap turns the paid extras off (the LLM first: the built-in NLU keeps
// answering). Amounts are integer micro-yuan (0.000001 元), so sums stay exact.

export const COST_UNITS = [
  'bot_interaction',
  'llm_token',
  'translation_character',
  'call_minute',
  'asr_second',
  'tts_character',
  'sms_segment',
  'email',
] as const;
export type CostUnit = (typeof COST_UNITS)[number];

/**
 * Default unit prices in yuan, in the range the brief's seed gives (0.03–0.08 元 per bot interaction,
 * 0.06 元 per call minute) and public list prices for the rest: DeepSeek-class LLMs at about 4 元 per
 * million tokens, cloud machine translation at about 50 元 per million characters, cloud speech
 * recognition at about 3.2 元 an hour, cloud speech synthesis at about 2 元 per 10,000 characters, SMS at
 * 0.045 元 a segment. A workspace overrides any of them. The embedded engines (built-in NLU, sherpa-onnx,
 * espeak-ng) are not metered: they cost nothing per use.
 */
export const DEFAULT_PRICES: Readonly<Record<CostUnit, number>> = {
  bot_interaction: 0.05,
  llm_token: 0.000004,
  translation_character: 0.00005,
  call_minute: 0.06,
  asr_second: 0.00089,
  tts_character: 0.0002,
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
  /**
   * What one conversation costs when a person handles it (wages and overheads over conversations handled),
   * for the estimated savings of the ones the bot resolved alone.
   */
  agentCostPerConversationYuan: number;
}

/**
 * 5 元: a support agent in a small shop costs about 6,000 元 a month and handles about 1,200 conversations
 * (60 a day over 20 days); each shop sets its own.
 */
export const DEFAULT_AGENT_COST_PER_CONVERSATION = 5;

export const DEFAULT_BUDGET: BudgetSettings = {
  monthlyYuan: null,
  hardCap: false,
  prices: {},
  agentCostPerConversationYuan: DEFAULT_AGENT_COST_PER_CONVERSATION,
};

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
  /**
   * Conversations resolved from `from` to `to` (ISO instants, end exclusive), and how many of them no
   * person took part in.
   */
  resolutions(from: string, to: string): Promise<{ resolved: number; botResolved: number }>;
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

/**
 * SMS segments a text is billed as: one message carries 70 UCS-2 characters (160 in the GSM 7-bit
 * alphabet); a longer one is sent concatenated, 67 (153) characters a segment, as Chinese carriers and
 * Twilio bill it.
 */
export function smsSegments(text: string): number {
  const chars = [...text];
  if (chars.length === 0) return 0;
  const gsm = chars.every((c) => GSM7.has(c));
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  return chars.length <= single ? 1 : Math.ceil(chars.length / multi);
}

const GSM7 = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

export interface CostEfficiency {
  /** Conversations resolved in the month (by the bot or people). */
  resolved: number;
  /** Of those, the ones that ended with no person involved. */
  botResolved: number;
  /** Spend over resolved conversations, in yuan; null when nothing was resolved. */
  costPerResolutionYuan: number | null;
  /**
   * What the bot-only resolutions would have cost handled by people, less the month's whole spend: the
   * money the platform saved (negative when it cost more than it saved).
   */
  estimatedSavingsYuan: number;
}

export function costEfficiency(
  spentMicro: number,
  resolved: number,
  botResolved: number,
  settings: BudgetSettings,
): CostEfficiency {
  const spent = spentMicro / 1_000_000;
  return {
    resolved,
    botResolved,
    costPerResolutionYuan: resolved > 0 ? round2(spent / resolved) : null,
    estimatedSavingsYuan: round2(botResolved * settings.agentCostPerConversationYuan - spent),
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * What sending `text` as one message on `channel` bills: SMS by segment, e-mail by message; WeChat's
 * customer-service messages and the web chat cost nothing per message.
 */
export function sendingCost(channel: string, text: string): { unit: CostUnit; quantity: number } | null {
  if (channel === 'sms') return { unit: 'sms_segment', quantity: Math.max(1, smsSegments(text)) };
  if (channel === 'email') return { unit: 'email', quantity: 1 };
  return null;
}

/** Speech engines that run on the shop's own machine: nothing to pay per second or character. */
const EMBEDDED_SPEECH = new Set(['none', 'sherpa-onnx', 'espeak-ng']);

/**
 * What a finished call bills: the telephone line by started minute (a SIP trunk; a browser call over
 * WebRTC uses no carrier), and the cloud speech engines by second heard and character spoken.
 */
export function callCosts(call: {
  transport: 'sip' | 'webrtc';
  talkSeconds: number;
  asrSeconds: number;
  ttsCharacters: number;
  recognizerId: string;
  synthesizerId: string;
}): { unit: CostUnit; quantity: number }[] {
  const out: { unit: CostUnit; quantity: number }[] = [];
  if (call.transport === 'sip' && call.talkSeconds > 0)
    out.push({ unit: 'call_minute', quantity: Math.ceil(call.talkSeconds / 60) });
  if (!EMBEDDED_SPEECH.has(call.recognizerId) && call.asrSeconds > 0)
    out.push({ unit: 'asr_second', quantity: Math.ceil(call.asrSeconds) });
  if (!EMBEDDED_SPEECH.has(call.synthesizerId) && call.ttsCharacters > 0)
    out.push({ unit: 'tts_character', quantity: call.ttsCharacters });
  return out;
}
