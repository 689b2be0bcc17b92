// Every string the widget shows, in both supported locales; the catalogue test keeps their keys equal.
import type { Locale } from '@zhike/contracts';

const zhCN = {
  openChat: '打开在线客服',
  closeChat: '关闭对话',
  chatTitle: '在线客服',
  subtitle: '通常几分钟内回复',
  inputPlaceholder: '输入消息，Enter 发送，Shift+Enter 换行',
  inputLabel: '消息内容',
  send: '发送',
  messages: '对话消息',
  unread: '{n} 条未读消息',
  queue: '排队中：第 {n} 位',
  queueWait: '排队中：第 {n} 位，预计 {m} 分钟',
  you: '我',
  bot: '智能助手',
  agent: '客服',
  system: '系统消息',
  connecting: '正在连接…',
  offline: '网络已断开，正在重新连接…',
  sending: '发送中…',
  failed: '发送失败',
  rejected: '消息无法发送',
  retry: '重试',
  unavailable: '客服暂时无法连接，请稍后再试',
  blocked: '本网站暂未开通在线客服',
  poweredBy: '由智客提供支持',
  attach: '发送图片',
  uploading: '图片上传中…',
  uploadFailed: '图片发送失败（支持 JPG、PNG、GIF、WebP，最大 10 MB）',
  attachment: '附件',
  call: '语音通话',
  hangUp: '挂断',
  callConnecting: '正在接通…',
  callWithBot: '通话中：智能助手',
  callWaiting: '通话中：正在为您转接人工客服…',
  callWithAgent: '通话中：人工客服',
  callEnded: '通话已结束',
  callFailed: '通话未能接通，请稍后再试',
  callNoMic: '无法使用麦克风，请在浏览器中允许访问麦克风',
} as const;

type Catalogue = { readonly [K in keyof typeof zhCN]: string };

const enUS: Catalogue = {
  openChat: 'Open chat',
  closeChat: 'Close chat',
  chatTitle: 'Chat with us',
  subtitle: 'We usually reply within minutes',
  inputPlaceholder: 'Type a message — Enter to send, Shift+Enter for a new line',
  inputLabel: 'Message',
  send: 'Send',
  messages: 'Conversation messages',
  unread: '{n} unread messages',
  queue: 'In line: number {n}',
  queueWait: 'In line: number {n}, about {m} min',
  you: 'You',
  bot: 'Assistant',
  agent: 'Support',
  system: 'System',
  connecting: 'Connecting…',
  offline: 'Connection lost, reconnecting…',
  sending: 'Sending…',
  failed: 'Not sent',
  rejected: 'This message cannot be sent',
  retry: 'Retry',
  unavailable: 'Chat is unavailable right now, please try again later',
  blocked: 'Chat is not enabled for this site',
  poweredBy: 'Powered by Zhike',
  attach: 'Send a photo',
  uploading: 'Uploading the photo…',
  uploadFailed: 'The photo could not be sent (JPG, PNG, GIF or WebP, up to 10 MB)',
  attachment: 'Attachment',
  call: 'Voice call',
  hangUp: 'Hang up',
  callConnecting: 'Connecting the call…',
  callWithBot: 'In a call with the assistant',
  callWaiting: 'In a call: transferring you to a person…',
  callWithAgent: 'In a call with support',
  callEnded: 'Call ended',
  callFailed: 'The call could not be connected, please try again later',
  callNoMic: 'The microphone is not available; allow it in your browser',
};

// Traditional Chinese with Taiwan wording (訊息, 傳送, 線上), for visitors whose browser asks for zh-TW,
// zh-HK or zh-Hant; written from the zh-CN strings with OpenCC's phrase tables and read over by hand.
const zhTW: Catalogue = {
  openChat: '開啟線上客服',
  closeChat: '關閉對話',
  chatTitle: '線上客服',
  subtitle: '通常幾分鐘內回覆',
  inputPlaceholder: '輸入訊息，Enter 傳送，Shift+Enter 換行',
  inputLabel: '訊息內容',
  send: '傳送',
  messages: '對話訊息',
  unread: '{n} 則未讀訊息',
  queue: '排隊中：第 {n} 位',
  queueWait: '排隊中：第 {n} 位，預計 {m} 分鐘',
  you: '我',
  bot: '智慧助手',
  agent: '客服',
  system: '系統訊息',
  connecting: '正在連線…',
  offline: '網路已斷開，正在重新連線…',
  sending: '傳送中…',
  failed: '傳送失敗',
  rejected: '訊息無法傳送',
  retry: '重試',
  unavailable: '客服暫時無法連線，請稍後再試',
  blocked: '本網站暫未開通線上客服',
  poweredBy: '由智客提供支援',
  attach: '傳送圖片',
  uploading: '圖片上傳中…',
  uploadFailed: '圖片傳送失敗（支援 JPG、PNG、GIF、WebP，最大 10 MB）',
  attachment: '附件',
  call: '語音通話',
  hangUp: '結束通話',
  callConnecting: '正在接通…',
  callWithBot: '通話中：智慧助手',
  callWaiting: '通話中：正在為您轉接人工客服…',
  callWithAgent: '通話中：人工客服',
  callEnded: '通話已結束',
  callFailed: '通話未能接通，請稍後再試',
  callNoMic: '無法使用麥克風，請在瀏覽器中允許訪問麥克風',
};

/** The widget's own UI languages: the workspace locales plus traditional Chinese. */
export type WidgetLocale = Locale | 'zh-TW';

export const catalogues: Record<WidgetLocale, Catalogue> = { 'zh-CN': zhCN, 'en-US': enUS, 'zh-TW': zhTW };
export type MessageKey = keyof Catalogue;
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function createTranslator(locale: WidgetLocale): Translate {
  const catalogue = catalogues[locale];
  return (key, params) =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      params && name in params ? String(params[name]) : whole,
    );
}

/** data-locale wins, then the browser's language, then the inbox's own locale. */
export function pickLocale(
  override: string | null | undefined,
  browser: string | undefined,
  fallback: Locale,
): WidgetLocale {
  for (const candidate of [override, browser]) {
    const lower = candidate?.toLowerCase() ?? '';
    if (/^zh-(tw|hk|mo|hant)\b/.test(lower)) return 'zh-TW';
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en-US';
  }
  return fallback;
}
