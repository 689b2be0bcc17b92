// The new-campaign form as plain data: its defaults, the pasted phone list parsed, and the mapping to
// the API's CampaignBody. Kept free of React so the rules are tested on their own.
import type { CampaignBody } from '@zhike/contracts';

export const SCRIPT_MAX = 500;
export const PHONES_MAX = 5000;

export interface CampaignFormValues {
  name: string;
  kind: CampaignBody['kind'];
  purpose: CampaignBody['purpose'];
  inboxId: string;
  script: string;
  language: CampaignBody['language'];
  timeZone: string;
  quietHoursOn: boolean;
  quietStart: string;
  quietEnd: string;
  callsPerMinute: number;
  maxConcurrent: number;
  maxAttempts: number;
  retryDelayMinutes: number;
  /** Picked customers, each with the conversation they were picked from (the survey rates it). */
  customers: { customerId: string; conversationId: string | null }[];
  phonesText: string;
}

/** The browser's IANA zone when it reports a usable one, else the shop's usual zone. */
export function defaultTimeZone(resolved: string | undefined = safeResolvedZone()): string {
  return resolved && resolved !== 'UTC' && resolved.includes('/') ? resolved : 'Asia/Shanghai';
}

function safeResolvedZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export function defaultFormValues(language: CampaignBody['language']): CampaignFormValues {
  return {
    name: '',
    kind: 'survey',
    purpose: 'service',
    inboxId: '',
    script: '',
    language,
    timeZone: defaultTimeZone(),
    quietHoursOn: true,
    quietStart: '21:00',
    quietEnd: '09:00',
    callsPerMinute: 10,
    maxConcurrent: 2,
    maxAttempts: 2,
    retryDelayMinutes: 60,
    customers: [],
    phonesText: '',
  };
}

const DIGITS = /\d/g;
// A cell is taken as a number when it holds at least 3 digits and only phone punctuation besides.
const PHONE_CELL = /^\+?[\d\s().-]+$/;

/**
 * Numbers typed one per line, or pasted from a CSV/spreadsheet: in each line the first cell that looks
 * like a phone number is kept (a name column or a header line is skipped). Duplicates are dropped in
 * order; the server still judges whether each one is dialable and reports the rest as invalidPhones.
 */
export function parsePhoneList(text: string): { phones: string[]; skippedLines: number } {
  const phones: string[] = [];
  const seen = new Set<string>();
  let skippedLines = 0;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line) continue;
    const cells = line.split(/[,;\t]/).map((c) =>
      c
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim(),
    );
    const cell = cells.find((c) => PHONE_CELL.test(c) && (c.match(DIGITS)?.length ?? 0) >= 3);
    if (!cell) {
      skippedLines++;
      continue;
    }
    const phone = cell.replace(/[\s().-]/g, '');
    if (phone.length > 32) {
      skippedLines++;
      continue;
    }
    if (seen.has(phone)) continue;
    seen.add(phone);
    phones.push(phone);
  }
  return { phones, skippedLines };
}

export function toCampaignBody(values: CampaignFormValues): CampaignBody {
  return {
    name: values.name.trim(),
    kind: values.kind,
    purpose: values.purpose,
    inboxId: values.inboxId,
    script: values.script.trim(),
    language: values.language,
    timeZone: values.timeZone.trim(),
    quietHours: values.quietHoursOn ? { start: values.quietStart, end: values.quietEnd } : null,
    callsPerMinute: values.callsPerMinute,
    maxConcurrent: values.maxConcurrent,
    maxAttempts: values.maxAttempts,
    retryDelayMinutes: values.retryDelayMinutes,
    customers: values.customers.map((c) =>
      c.conversationId
        ? { customerId: c.customerId, conversationId: c.conversationId }
        : { customerId: c.customerId },
    ),
    phones: parsePhoneList(values.phonesText).phones,
  };
}

/** Which form field a server problem's path (`/body/script`, `body/quietHours/start`) belongs to. */
export function fieldOfProblemPath(path: string): keyof CampaignFormValues | null {
  const parts = path.replace(/^\//, '').split('/');
  const head = parts[0] === 'body' ? parts[1] : parts[0];
  if (!head) return null;
  if (head === 'quietHours') return parts.includes('end') ? 'quietEnd' : 'quietStart';
  if (head === 'phones') return 'phonesText';
  const known: (keyof CampaignFormValues)[] = [
    'name',
    'kind',
    'purpose',
    'inboxId',
    'script',
    'language',
    'timeZone',
    'callsPerMinute',
    'maxConcurrent',
    'maxAttempts',
    'retryDelayMinutes',
    'customers',
  ];
  return known.find((k) => k === head) ?? null;
}

/** The core names the field first in its validation detail (`timeZone is not an IANA time zone`). */
export function fieldOfProblemDetail(detail: string): keyof CampaignFormValues | null {
  if (/inbox/i.test(detail)) return 'inboxId';
  const head = detail.split(/\s/)[0] ?? '';
  return head ? fieldOfProblemPath(head) : null;
}

export interface CustomerChoice {
  customerId: string;
  name: string | null;
  conversationId: string;
}

/**
 * The customers of recent conversations (the console's customer list), one entry per customer with
 * their newest conversation, which a survey's low score rates and reopens.
 */
export function customerChoices(
  conversations: readonly { id: string; updatedAt: string; customer: { id: string; name: string | null } }[],
): CustomerChoice[] {
  const newest = new Map<string, { conversationId: string; updatedAt: string; name: string | null }>();
  for (const c of conversations) {
    const seen = newest.get(c.customer.id);
    if (!seen || c.updatedAt > seen.updatedAt)
      newest.set(c.customer.id, { conversationId: c.id, updatedAt: c.updatedAt, name: c.customer.name });
  }
  return [...newest.entries()]
    .sort((a, b) => (a[1].updatedAt < b[1].updatedAt ? 1 : -1))
    .map(([customerId, v]) => ({ customerId, name: v.name, conversationId: v.conversationId }));
}
