// Strings of the weekly review page (#/review). zh-CN is the source.
import { defineMessages } from '../i18n/defineMessages.ts';

export const reviewMessages = defineMessages(
  {
    'review.nav': '每周复盘',
    'review.title': '每周复盘',
    'review.intro':
      '一周（周一至周日）的核心指标与目标、高频问题、客户情绪、质检结果、机器人未能回答的问题和建议行动，可下载 PDF 分享。',
    'review.week': '周',
    'review.lastWeek': '上一个完整周',
    'review.pdf': '下载 PDF',
    'review.open': '在新窗口打开',
    'review.frame': '每周复盘内容',
  },
  {
    'review.nav': 'Weekly review',
    'review.title': 'Weekly review',
    'review.intro':
      'One week (Monday to Sunday): KPIs against targets, high-frequency problems, customer emotion, QA results, questions the bot could not answer and suggested actions; download it as a PDF to share.',
    'review.week': 'Week',
    'review.lastWeek': 'Last full week',
    'review.pdf': 'Download PDF',
    'review.open': 'Open in a new window',
    'review.frame': 'Weekly review content',
  },
);
