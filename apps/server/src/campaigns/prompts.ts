// What a campaign call says around the shop's own script (survey question, thanks, re-asks), in the
// campaign's language. The server-side catalog of outbound calls (zh-CN, en-US).
export type CampaignLocale = 'zh-CN' | 'en-US';

export interface CampaignPrompts {
  /** Said after the survey script: how to answer. */
  surveyHowTo: string;
  surveyAgain: string;
  surveyThanks: (score: number) => string;
  surveyNoAnswer: string;
  /** Said after a notification: how to hear it again. */
  notificationRepeat: string;
  goodbye: string;
}

const catalog: Record<CampaignLocale, CampaignPrompts> = {
  'zh-CN': {
    surveyHowTo: '请按键或直接说出一到五分，五分表示非常满意。',
    surveyAgain: '抱歉，没有听清。请按一到五之间的数字键打分。',
    surveyThanks: (score) =>
      score <= 2 ? '感谢您的反馈，我们会尽快安排专人联系您。再见。' : '感谢您的评价，祝您生活愉快，再见。',
    surveyNoAnswer: '感谢您的接听，再见。',
    notificationRepeat: '如需重听，请按一。',
    goodbye: '感谢您的接听，再见。',
  },
  'en-US': {
    surveyHowTo: 'Please press or say a number from one to five; five means very satisfied.',
    surveyAgain: 'Sorry, I did not catch that. Please press a key from one to five.',
    surveyThanks: (score) =>
      score <= 2
        ? 'Thank you for your feedback. Someone from our team will contact you shortly. Goodbye.'
        : 'Thank you for your rating. Have a nice day. Goodbye.',
    surveyNoAnswer: 'Thank you for taking our call. Goodbye.',
    notificationRepeat: 'To hear this again, press one.',
    goodbye: 'Thank you for taking our call. Goodbye.',
  },
};

export const campaignPrompts = (language: string): CampaignPrompts =>
  catalog[language.toLowerCase().startsWith('en') ? 'en-US' : 'zh-CN'];
