// Placeholder filling and the bot's own phrases (everything it says that is not template text).
import type { CustomerTicket } from './types.ts';

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
  /** A ticket's status in the customer's words. */
  ticketStatus(ticket: Pick<CustomerTicket, 'status' | 'pendingReason'>): string;
  /** One line of the ticket list; `due` is the deadline already told in local time. */
  ticketLine(ticket: CustomerTicket, status: string, due: string | null): string;
  /** A due time in the shop's time zone (month, day, 24-hour time). */
  dueTime(parts: { month: number; day: number; time: string }): string;
  moreTickets(count: number): string;
  noTickets: string;
  anythingElse: string;
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
  ticketStatus: ({ status, pendingReason }) =>
    ({
      new: '已受理，等待处理',
      open: '处理中',
      pending: pendingReason === 'customer' ? '等待您补充信息' : '等待第三方处理',
      solved: '已解决',
      closed: '已关闭',
    })[status],
  ticketLine: (t, status, due) =>
    `• ${t.number}「${t.subject}」：${status}${t.assigneeName ? `，由${t.assigneeName}负责` : ''}${
      due ? `，预计 ${due} 前${t.due?.metric === 'resolution' ? '处理完成' : '回复您'}` : ''
    }。`,
  dueTime: ({ month, day, time }) => `${month}月${day}日 ${time}`,
  moreTickets: (n) => `另有 ${n} 张工单未列出，需要的话可以转人工为您查询。`,
  noTickets: '没有查到您名下的工单。如果您是通过电话或其他账号反馈的，我可以为您转人工客服查询，需要吗？',
  anythingElse: '好的，还有其他可以帮您的吗？',
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
  ticketStatus: ({ status, pendingReason }) =>
    ({
      new: 'received, waiting to be picked up',
      open: 'in progress',
      pending: pendingReason === 'customer' ? 'waiting for information from you' : 'waiting on a third party',
      solved: 'solved',
      closed: 'closed',
    })[status],
  ticketLine: (t, status, due) =>
    `• ${t.number} "${t.subject}": ${status}${t.assigneeName ? `, handled by ${t.assigneeName}` : ''}${
      due ? (t.due?.metric === 'resolution' ? `, to be resolved by ${due}` : `, we'll reply by ${due}`) : ''
    }.`,
  dueTime: ({ month, day, time }) => `${MONTHS[month - 1] ?? month} ${day}, ${time}`,
  moreTickets: (n) =>
    `${n} more ${n === 1 ? 'ticket is' : 'tickets are'} not listed; a person can look them up for you.`,
  noTickets:
    "I couldn't find any tickets under your name. If you reported it by phone or from another account, I can connect you to a person to check. Would you like that?",
  anythingElse: 'OK. Anything else I can help with?',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

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

/** Taking up an offer ("需要吗？" → 需要, 要的, 麻烦了), besides a plain yes. */
const TAKE =
  /^(?:要|要的|需要|需要的|麻烦(?:你|您)?了?|好的?(?:谢谢|麻烦了)|please|yes please)[!.。！~～]*$/i;
/** Turning one down ("不需要", "没事了"), besides a plain no. */
const DECLINE = /^(?:不需要|不需要了|不用了|没事|没事了|没关系|no thanks|no need)[!.。！~～]*$/i;

export function acceptsOffer(text: string): boolean {
  return isYes(text) || TAKE.test(text.trim());
}

export function declinesOffer(text: string): boolean {
  return isNo(text) || DECLINE.test(text.trim());
}

/** People at the shop a customer may ask for (人工 not followed by 费: labour cost is no person). */
const STAFF =
  '(?:人工(?![费成智])(?:客服|服务|坐席)?|真人(?:客服)?|活人|专属客服|客服(?:人员|专员|同事|小姐姐|小哥哥|姐姐|哥哥|妹妹|主管)|工作人员|店员|店长|值班经理|经理|主管|负责人|专人|同事|坐席|小二|老师)';
/** Short filler a request may put between its verb and the person ("找个懂行的人", "转接一下售后同事"). */
const GAP = '[^\\s,.!?;，。！？；]{0,5}?';

/**
 * Explicit requests for a human; these always hand off, whatever the classifier thinks. Read as the
 * shape of a request rather than a list of phrasings: a verb of fetching or transferring before a
 * person at the shop (找你们店长, 转给值班经理, 叫个人来), asking whether a person is there (有人工吗,
 * 真人在吗), wanting to talk with one (跟你们工作人员说), being called or added by one (让店员给我回个
 * 电话), refusing the bot (别让机器人回), and the English equivalents.
 */
const HUMAN_REQUEST = new RegExp(
  [
    `(?:转接?|转给|转到|接|找|要|叫|换|请(?!问)|安排|派|让)(?:一?个|一位|一下|下)?(?:你们)?${GAP}${STAFF}`,
    '(?:转接?|转给|转到)(?:一下|下)?客服',
    `(?:转给|转到|转接给)${GAP}的?人|给我(?:找|转|派|安排)?(?:一?个)?(?:真人|人工|人)(?![家民员的])|(?:想|需要|申请)人工(?![费成智])`,
    // A bare 人 needs a measure word (找个人, 换个人来), so 让人失望 or 找人代购 are no requests.
    `(?:找|叫|换|来)(?:一?个|一位)${GAP}(?:真人|人)(?![信资隐家民])`,
    `(?:跟|和|与)(?:你们)?${GAP}(?:${STAFF}|客服|的人)(?:直接)?(?:说|聊|沟通|谈|对接|通话)`,
    `${STAFF}${GAP}(?:跟|和)我(?:聊|说|谈|沟通|对接)`,
    `(?:客服|工作人员|专人|同事|店员|店长|人工|真人)${GAP}(?:联系我|打给我|回我|加我|回个?电话|打个?电话|回电|语音|视频)`,
    '^人工(?![费成智])|一对一|1对1',
    '(?:不要|不想|不用|别)(?:跟|和|让)?(?:机器人|机器|ai|bot|智能客服|自动回复|自动回覆)|(?:跟|和|与)真?人(?:直接)?(?:说|聊|沟通|谈|对接)',
    '\\bhumans?\\b|\\breal person\\b|\\blive agent\\b|\\bnot (?:a|the) bot\\b|\\bcall me back\\b',
    '\\b(?:talk|speak|chat) (?:to|with) (?:an? )?(?:agent|person|someone|somebody)\\b',
    '\\b(?:connect|transfer|put) me (?:to|through|with)\\b|\\b(?:get|need|want) (?:me )?(?:an? )?(?:agent|person|human)\\b',
    '\\b(?:staff member|representative|operator)\\b|\\bsomeone from (?:your|the) team\\b|\\b(?:ping|contact) me\\b',
  ].join('|'),
  'i',
);
/** Asking whether a person is there (有人工吗, 真人在吗) — unless it asks when (晚上有人工客服吗: the hours FAQ). */
const HUMAN_PRESENT = new RegExp(
  `(?:有没有|有)(?:活人|真人|人工(?![费成智])|值班的?客服)|有(?:没有)?人(?:能|可以|来)?(?:接|回复|理)一?下|(?:人工|真人|活人)(?:客服)?(?:在吗|在不在|在么|在不|呢|吗)|${STAFF}在(?:吗|不在|么)|哪位(?:客服|同事|工作人员|店员)(?:在|能)`,
);
const WHEN = /晚上|夜里|半夜|周末|节假日|假期|过年|几点|什么时[间候]|\b(?:weekends?|hours|tonight)\b/i;

/**
 * Asking for the shop's number or address is the contact FAQ, not a request to be put through
 * (人工客服电话多少 wants a number); unless the customer also asks to be called.
 */
const CONTACT_QUESTION =
  /(?:电话|号码|热线|邮箱|联系方式|微信号)(?:是|号)?(?:多少|什么|啥|几|在哪|哪里)|\bwhat(?:'s| is) (?:your|the) (?:phone|number|email|hotline)/i;
const CALL_ME = /(?:打给我|回个?电话|打个?电话给我|给我打|联系我|回电)|\bcall me\b/i;

export function asksForHuman(normalisedText: string): boolean {
  if (CONTACT_QUESTION.test(normalisedText)) return CALL_ME.test(normalisedText);
  if (HUMAN_REQUEST.test(normalisedText)) return true;
  return HUMAN_PRESENT.test(normalisedText) && !WHEN.test(normalisedText);
}
