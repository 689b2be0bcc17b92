// The survey page's words, zh-CN and en-US (the workspace's language decides).
import type { Locale } from '@zhike/core';

export interface SurveyPageMessages {
  title: string;
  question: (shop: string) => string;
  scores: [string, string, string, string, string];
  scoreLegend: string;
  comment: string;
  commentPlaceholder: string;
  submit: string;
  thanks: string;
  thanksBody: string;
  sorry: string;
  yourScore: (score: number) => string;
  expired: string;
  expiredBody: string;
  notFound: string;
  pickScore: string;
}

export const surveyPageMessages: Record<Locale, SurveyPageMessages> = {
  'zh-CN': {
    title: '服务评价',
    question: (shop) => `您对${shop}本次的服务满意吗？`,
    scores: ['非常不满意', '不满意', '一般', '满意', '非常满意'],
    scoreLegend: '请选择 1–5 分',
    comment: '还有什么想告诉我们的吗？（选填）',
    commentPlaceholder: '您的意见和建议',
    submit: '提交评价',
    thanks: '感谢您的评价！',
    thanksBody: '您的反馈会帮助我们做得更好。',
    sorry: '很抱歉给您带来不好的体验，我们的客服会尽快与您联系。',
    yourScore: (score) => `您的评分：${score} 分`,
    expired: '链接已过期',
    expiredBody: '这份回访问卷已经结束，感谢您的关注。',
    notFound: '找不到这份问卷',
    pickScore: '请先选择分数',
  },
  'en-US': {
    title: 'Rate our service',
    question: (shop) => `How satisfied are you with ${shop}'s service?`,
    scores: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
    scoreLegend: 'Pick a score from 1 to 5',
    comment: 'Anything else you would like to tell us? (optional)',
    commentPlaceholder: 'Your comments',
    submit: 'Send',
    thanks: 'Thank you for your feedback!',
    thanksBody: 'It helps us do better.',
    sorry: 'We are sorry about your experience; one of our team will contact you shortly.',
    yourScore: (score) => `Your score: ${score}`,
    expired: 'This link has expired',
    expiredBody: 'This survey is closed. Thank you all the same.',
    notFound: 'Survey not found',
    pickScore: 'Please pick a score first',
  },
};
