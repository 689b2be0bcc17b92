// What the voice bot says on its own (not the text bot's answers): the recording notice, re-prompts,
// the hold prompt, in the workspace's locale. The server-side catalog of the voice channel (zh-CN, en-US).

export type VoiceLocale = 'zh-CN' | 'en-US';

export interface VoicePrompts {
  recordingNotice: string;
  greeting: (shop: string) => string;
  silence: string;
  noMatch: string;
  /** After too many silences or misunderstandings the call goes to people. */
  giveUp: string;
  hold: string;
  queuePosition: (position: number) => string;
  noAgents: string;
  goodbye: string;
  /** The hand-off phrase a keypad 0 stands for: the bot's own NLU reads it as a request for a person. */
  handoffRequest: string;
  failed: string;
}

const catalog: Record<VoiceLocale, VoicePrompts> = {
  'zh-CN': {
    recordingNotice: '为了提升服务质量，本次通话将被录音。',
    greeting: (shop) => `您好，欢迎致电${shop}，我是智能客服，请问有什么可以帮您？`,
    silence: '您还在吗？请直接说出您的问题，或按零转人工。',
    noMatch: '抱歉，我没有听清，请再说一遍。',
    giveUp: '我为您转接人工客服，请稍候。',
    hold: '正在为您转接人工客服，请不要挂机。',
    queuePosition: (n) => `您前面还有${n}位客户在等待。`,
    noAgents: '抱歉，现在没有客服可以接听，我们会尽快回电给您。再见。',
    goodbye: '感谢您的来电，再见。',
    handoffRequest: '转人工',
    failed: '抱歉，系统出了点问题，我为您转接人工客服。',
  },
  'en-US': {
    recordingNotice: 'This call is recorded to improve our service.',
    greeting: (shop) =>
      `Hello, thank you for calling ${shop}. I am the virtual assistant. How can I help you?`,
    silence: 'Are you still there? Please tell me your question, or press zero for an agent.',
    noMatch: "Sorry, I didn't catch that. Could you say it again?",
    giveUp: 'Let me put you through to an agent. Please hold.',
    hold: 'Connecting you to an agent. Please stay on the line.',
    queuePosition: (n) => `There ${n === 1 ? 'is one caller' : `are ${n} callers`} ahead of you.`,
    noAgents: 'Sorry, no agent can take your call right now. We will call you back soon. Goodbye.',
    goodbye: 'Thank you for calling. Goodbye.',
    handoffRequest: 'I want to talk to a human agent',
    failed: 'Sorry, something went wrong on our side. Let me put you through to an agent.',
  },
};

export const voiceLocaleOf = (locale: string): VoiceLocale => (locale.startsWith('en') ? 'en-US' : 'zh-CN');

export const promptsFor = (locale: string): VoicePrompts => catalog[voiceLocaleOf(locale)];
