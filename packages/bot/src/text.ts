// Placeholder filling and the bot's own phrases (everything it says that is not template text).

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

/** Replaces `{{key}}` with `values[key]`; unknown keys are kept as written unless `missing` is given. */
export function fillPlaceholders(
  text: string,
  values: Readonly<Record<string, string | undefined>>,
  missing?: string,
): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => values[key] ?? missing ?? whole);
}

export interface Phrases {
  clarify(options: readonly string[]): string;
  rephrase: string;
  handoff: string;
  handoffUrgent: string;
  askOrderNumber: string;
  orderNotFound(number: string): string;
  orderLookupUnavailable: string;
  askPhoneLast4: string;
  verifyFailed: string;
  notAvailable: string;
  invalidSlot(prompt: string): string;
  formCancelled: string;
  confirmYesNo: string;
  outOfHours: string;
  askCallbackPhone: string;
  askCallbackQuestion: string;
  callbackCreated(number: string): string;
  skipWords: readonly string[];
}

const zh: Phrases = {
  clarify: (options) =>
    `您是想问以下哪一个？\n${options.map((o, i) => `${i + 1}. ${o}`).join('\n')}\n请回复序号，或换个说法告诉我。`,
  rephrase: '抱歉，我没有理解您的意思，能换个说法吗？',
  handoff: '好的，正在为您转接人工客服，请稍候。',
  handoffUrgent: '非常抱歉给您带来不好的体验，已为您优先转接人工客服，请稍候。',
  askOrderNumber: '请提供您的订单号。',
  orderNotFound: (n) => `没有找到订单 ${n}，请核对订单号后再发给我。`,
  orderLookupUnavailable: '抱歉，订单系统暂时无法查询。',
  askPhoneLast4: '为了保护您的隐私，请提供下单手机号的后 4 位。',
  verifyFailed: '手机号后 4 位与订单不一致，请再核对一下。',
  notAvailable: '暂无',
  invalidSlot: (prompt) => `没有识别到有效的信息。${prompt}`,
  formCancelled: '好的，已取消。还有其他可以帮您的吗？',
  confirmYesNo: '请回复「确认」或「取消」。',
  outOfHours: '现在是非工作时间，人工客服暂时不在线。我先帮您登记，客服上班后会尽快回电。',
  askCallbackPhone: '请留下方便联系您的手机号。',
  askCallbackQuestion: '请简单描述您要咨询的问题。',
  callbackCreated: (n) => `已为您登记回电，编号 ${n}。客服上班后会尽快联系您。`,
  skipWords: ['跳过', '没有', '不用', '无', '不需要', '算了', '没'],
};

const en: Phrases = {
  clarify: (options) =>
    `Did you mean one of these?\n${options.map((o, i) => `${i + 1}. ${o}`).join('\n')}\nReply with a number, or put it another way.`,
  rephrase: "Sorry, I didn't understand. Could you put it another way?",
  handoff: 'Sure, connecting you to a human agent now. Please hold on.',
  handoffUrgent: "I'm very sorry about this. I'm connecting you to a human agent with priority.",
  askOrderNumber: 'Please send me your order number.',
  orderNotFound: (n) => `I couldn't find order ${n}. Please check the number and send it again.`,
  orderLookupUnavailable: "Sorry, I can't look up orders right now.",
  askPhoneLast4: 'To protect your privacy, please send the last 4 digits of the phone number on the order.',
  verifyFailed: "Those digits don't match the order. Please check and try again.",
  notAvailable: 'n/a',
  invalidSlot: (prompt) => `I couldn't find that in your message. ${prompt}`,
  formCancelled: 'OK, cancelled. Anything else I can help with?',
  confirmYesNo: 'Please reply "yes" to confirm or "no" to cancel.',
  outOfHours:
    "We're outside business hours and no agent is online. Let me take your details so we can call you back.",
  askCallbackPhone: 'Please leave a phone number we can call you on.',
  askCallbackQuestion: 'Please briefly describe your question.',
  callbackCreated: (n) =>
    `Your callback request is registered (no. ${n}). We'll call you during business hours.`,
  skipWords: ['skip', 'no', 'none', 'nope', 'no thanks', 'n/a'],
};

export function phrasesFor(locale: string): Phrases {
  return locale.toLowerCase().startsWith('zh') ? zh : en;
}

const YES =
  /^(?:是|是的|对|对的|确认|确定|好|好的|好滴|可以|行|嗯|嗯嗯|没问题|提交|y|yes|yep|yeah|ok|okay|sure|confirm)[!.。！~～]*$/i;
const NO = /^(?:不|不是|不用|不要|否|取消|算了|不了|先不|no|nope|cancel|n)[!.。！~～]*$/i;

export function isYes(text: string): boolean {
  return YES.test(text.trim());
}

export function isNo(text: string): boolean {
  return NO.test(text.trim());
}

/**
 * Explicit requests for a human; these always hand off, whatever the classifier thinks. Besides asking
 * for an agent by name: refusing the bot ("别让机器人回"), asking to be called or contacted by staff.
 */
const HUMAN_REQUEST =
  /转人工|人工客服|人工服务|接人工|找人工|要人工|真人客服|找真人|^人工$|(?:不要|不想|别)(?:跟|和|让)?(?:机器人|机器|ai|智能客服|自动回复)|(?:客服|工作人员|专人|同事)(?:联系|打给|回电|打电话给)我|(?:安排|叫|派)(?:个|一个|一位)?(?:客服|工作人员|专人|真人)|\bhuman\b|\breal person\b|\b(?:talk|speak) to (?:an? )?(?:agent|person|someone)\b|\blive agent\b|\b(?:connect|transfer|put) me (?:to|through|with)\b|\b(?:get|need|want) (?:me )?(?:an? )?(?:agent|person|human)\b|\bnot (?:a|the) bot\b/i;

export function asksForHuman(normalisedText: string): boolean {
  return HUMAN_REQUEST.test(normalisedText);
}
