// Strings of the knowledge sources shown to agents under bot answers (never shown to customers).
import { defineMessages } from '../i18n/defineMessages.ts';

export const llmMessages = defineMessages(
  {
    'sources.label': '来源：',
    'sources.faq': '问答',
    'sources.article': '文章',
    'sources.generated': 'AI 依据知识库撰写',
    'sources.generatedHint': '这条回复由大模型根据以下知识库内容生成，已通过数字与事实检查',
  },
  {
    'sources.label': 'Sources: ',
    'sources.faq': 'FAQ',
    'sources.article': 'Article',
    'sources.generated': 'Written by AI from the knowledge base',
    'sources.generatedHint':
      'An LLM wrote this reply from the knowledge-base entries below; it passed the number and fact checks',
  },
);
