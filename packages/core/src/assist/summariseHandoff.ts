// The extractive hand-off summary: without a language model, the agent still gets 2–3 sentences — what
// the customer said that matters most (their key sentences, compressed), what they already gave the bot
// (the slots) and why the bot handed over. Deterministic: the same conversation always gives the same text.

export type SummaryLanguage = 'zh' | 'en';

export interface SummaryInput {
  language: SummaryLanguage;
  /** The customer's messages, oldest first. */
  customerMessages: readonly string[];
  /** Slot name → value as the agent may see it (personal values already masked). */
  slots: Readonly<Record<string, string>>;
  /** What the bot understood, e.g. the intent's or FAQ's name. */
  intentLabel: string | null;
  reason: string | null;
}

const HAN = /[\u3400-\u9fff]/;
const SENTENCE_END = /(?<=[。！？!?；;])|(?<=\.)\s+|\n+/u;
/** Mainland mobile numbers and e-mail addresses said in passing: masked like the panel masks them. */
const PHONE_IN_TEXT = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const EMAIL_IN_TEXT = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/** Openers and requests for a person carry nothing the agent needs. */
const FILLER: Record<SummaryLanguage, RegExp[]> = {
  zh: [/^(你好|您好|在吗|在不在|喂|哈喽|嗨|请问|麻烦(你|您)?|那个|嗯+)[，,。！!？?\s]*/u],
  en: [/^(hi|hello|hey|good (morning|afternoon|evening)|excuse me|please|um+|so)\b[\s,.!]*/i],
};
const NO_CONTENT: Record<SummaryLanguage, RegExp> = {
  zh: /^(转人工|人工|人工客服|找人工|真人|客服|谢谢|好的?|嗯|是的?|对|确认|跳过|不是|没有|ok)[。！!？?～~]*$/iu,
  en: /^(agent|human|a human|real person|operator|representative|thanks?|thank you|ok(ay)?|yes|no|yep|nope|skip|confirm)[.!?]*$/i,
};
const EN_STOP = new Set(
  'a an the and or but if to of in on at for with is are was were be been am i me my you your it its this that there do does did have has had can could would will should not no yes please just so we our they them he she his her what when where how why which who'.split(
    ' ',
  ),
);
/** Words that mark what a customer wants or what went wrong: a sentence with them says more. */
const SIGNAL: Record<SummaryLanguage, RegExp> = {
  zh: /退|换|坏|破|错|没收到|未收到|投诉|差|慢|延迟|丢|少|漏|怎么|为什么|多久|什么时候|能不能|可以|要求|希望|想要?/gu,
  en: /\b(refund|return|exchange|broken|damaged|wrong|missing|never|late|delay|complain\w*|want|need|why|when|how|can|could)\b/gi,
};

const SLOT_LABELS: Record<SummaryLanguage, Record<string, string>> = {
  zh: {
    order_number: '订单号',
    phone: '手机号',
    email: '邮箱',
    reason: '原因',
    name: '姓名',
    address: '地址',
    photos: '照片',
  },
  en: {
    order_number: 'order number',
    phone: 'phone',
    email: 'email',
    reason: 'reason',
    name: 'name',
    address: 'address',
    photos: 'photos',
  },
};

const REASONS: Record<SummaryLanguage, Record<string, string>> = {
  zh: {
    customer_request: '顾客要求人工服务',
    complaint: '顾客投诉',
    fallback: '机器人多次未能理解',
    no_answer: '机器人无法回答',
    routing: '路由规则直接转人工',
    order_lookup_unavailable: '订单系统暂时无法查询',
  },
  en: {
    customer_request: 'the customer asked for a person',
    complaint: 'the customer complained',
    fallback: 'the bot repeatedly did not understand',
    no_answer: 'the bot had no answer',
    routing: 'a routing rule sent it straight to people',
    order_lookup_unavailable: 'the order system could not be reached',
  },
};

/** The NLU's urgency signals (reason `urgency:<signal>`) in the agent's words. */
const URGENCY: Record<SummaryLanguage, Record<string, string>> = {
  zh: {
    safety: '涉及人身安全',
    regulator_threat: '顾客扬言向监管部门投诉',
    media_threat: '顾客扬言曝光',
    legal_threat: '顾客扬言起诉',
    emergency_repair: '紧急维修',
    complaint: '顾客投诉',
    refund_dispute: '退款纠纷',
    repeat_contact: '顾客多次来询',
  },
  en: {
    safety: 'a safety issue',
    regulator_threat: 'the customer threatened to go to the regulator',
    media_threat: 'the customer threatened to go public',
    legal_threat: 'the customer threatened legal action',
    emergency_repair: 'an emergency repair',
    complaint: 'the customer complained',
    refund_dispute: 'a refund dispute',
    repeat_contact: 'the customer came back about it again',
  },
};

const MAX_SENTENCE_CHARS: Record<SummaryLanguage, number> = { zh: 40, en: 140 };
const KEY_SENTENCES = 2;

export const maskInText = (text: string): string =>
  text.replace(PHONE_IN_TEXT, '$1****$2').replace(EMAIL_IN_TEXT, '$1***@$2');

function terms(sentence: string, language: SummaryLanguage): string[] {
  if (language === 'zh') {
    const han = [...sentence].filter((c) => HAN.test(c));
    const grams: string[] = [];
    for (let i = 0; i + 1 < han.length; i++) grams.push(`${han[i]}${han[i + 1]}`);
    const words = sentence.toLowerCase().match(/[a-z0-9]{2,}/g) ?? [];
    return [...grams, ...words];
  }
  return (sentence.toLowerCase().match(/[a-z0-9']+/g) ?? []).filter((w) => w.length > 1 && !EN_STOP.has(w));
}

function stripFiller(sentence: string, language: SummaryLanguage): string {
  let s = sentence.trim();
  for (const filler of FILLER[language]) s = s.replace(filler, '').trim();
  return s;
}

function compress(sentence: string, language: SummaryLanguage): string {
  const s = sentence.replace(/\s+/g, ' ').replace(/[。！？!?；;.,，、\s]+$/u, '');
  const max = MAX_SENTENCE_CHARS[language];
  const chars = [...s];
  if (chars.length <= max) return s;
  if (language === 'zh') return `${chars.slice(0, max).join('')}…`;
  const cut = s.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

interface Candidate {
  text: string;
  position: number;
  score: number;
}

/** The customer's sentences that carry the most of what the conversation is about, in the order said. */
export function keySentences(input: SummaryInput, count = KEY_SENTENCES): string[] {
  const { language } = input;
  const sentences: { text: string; position: number }[] = [];
  for (const message of input.customerMessages)
    for (const raw of message.split(SENTENCE_END)) {
      const text = stripFiller(raw ?? '', language);
      if (text.length === 0 || NO_CONTENT[language].test(text)) continue;
      sentences.push({ text, position: sentences.length });
    }
  if (sentences.length === 0) return [];
  const frequency = new Map<string, number>();
  for (const s of sentences)
    for (const t of new Set(terms(s.text, language))) frequency.set(t, (frequency.get(t) ?? 0) + 1);
  const slotValues = Object.values(input.slots)
    .map((v) => v.toLowerCase())
    .filter((v) => v.length >= 2);
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const s of sentences) {
    const key = s.text.toLowerCase();
    if (seen.has(key)) continue; // a repeated message says nothing new
    seen.add(key);
    const own = terms(s.text, language);
    const distinct = new Set(own);
    let weight = 0;
    for (const t of distinct) weight += frequency.get(t) ?? 0;
    const signals = s.text.match(SIGNAL[language])?.length ?? 0;
    const carriesSlot = slotValues.some((v) => key.includes(v)) ? 1 : 0;
    // Longer sentences collect more terms; the square root keeps one rambling message from winning alone.
    const score = weight / Math.sqrt(Math.max(own.length, 1)) + 1.5 * signals + carriesSlot;
    candidates.push({ text: s.text, position: s.position, score });
  }
  return candidates
    .sort((a, b) => b.score - a.score || a.position - b.position)
    .slice(0, count)
    .sort((a, b) => a.position - b.position)
    .map((c) => compress(maskInText(c.text), language));
}

export const slotLabel = (name: string, language: SummaryLanguage): string =>
  SLOT_LABELS[language][name] ?? name.replace(/_/g, ' ');

export const reasonText = (reason: string, language: SummaryLanguage): string => {
  const known = REASONS[language][reason];
  if (known) return known;
  if (reason.startsWith('urgency:')) {
    const signal = reason.slice('urgency:'.length);
    const known = URGENCY[language][signal];
    if (language === 'zh') return `紧急：${known ?? signal}`;
    return `it is urgent (${known ?? signal.replace(/_/g, ' ')})`;
  }
  return reason.replace(/_/g, ' ');
};

/** 2–3 sentences: the customer's key sentences, the slots they gave, and why the bot handed over. */
export function summariseHandoff(input: SummaryInput): string {
  const { language } = input;
  const key = keySentences(input);
  const slots = Object.entries(input.slots)
    .filter(([, v]) => v.trim() !== '')
    .sort(([a], [b]) => (a === 'order_number' ? -1 : b === 'order_number' ? 1 : a.localeCompare(b)));
  const out: string[] = [];
  if (language === 'zh') {
    const about = input.intentLabel ? `顾客咨询「${input.intentLabel}」` : '顾客';
    out.push(key.length > 0 ? `${about}：${key.join('；')}。` : `${about}，未留下具体描述。`);
    if (slots.length > 0)
      out.push(`已提供${slots.map(([k, v]) => `${slotLabel(k, language)} ${maskInText(v)}`).join('，')}。`);
    if (input.reason) out.push(`转人工原因：${reasonText(input.reason, language)}。`);
    return out.join('');
  }
  const about = input.intentLabel ? `The customer asked about "${input.intentLabel}"` : 'The customer wrote';
  out.push(
    key.length > 0 ? `${about}: ${key.map((k) => `"${k}"`).join('; ')}.` : `${about} without giving details.`,
  );
  if (slots.length > 0)
    out.push(`They gave ${slots.map(([k, v]) => `${slotLabel(k, language)} ${maskInText(v)}`).join(', ')}.`);
  if (input.reason) {
    const why = reasonText(input.reason, language);
    out.push(`Handed off because ${why}.`);
  }
  return out.join(' ');
}
