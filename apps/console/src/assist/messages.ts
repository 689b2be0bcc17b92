// Strings of the reply suggestions panel. zh-CN is the source.
import { defineMessages } from '../i18n/defineMessages.ts';

export const assistMessages = defineMessages(
  {
    'suggestions.title': '推荐回复',
    'suggestions.empty': '顾客发来新消息后，这里会推荐回复',
    'suggestions.none': '这条消息暂时没有合适的推荐',
    'suggestions.insert': '插入',
    'suggestions.inserted': '已插入回复框，可修改后发送',
    'suggestions.keyHint': 'Alt+{n}',
    'suggestions.source.knowledge': '知识库',
    'suggestions.source.template': '话术模板',
    'suggestions.source.history': '历史回复',
    'suggestions.compliance': '合规',
    'suggestions.missing': '待补充：{names}',
    'suggestions.help': '点击插入或按 Alt+1/2/3，修改后再发送；采用情况会用来改进推荐。',
  },
  {
    'suggestions.title': 'Suggested replies',
    'suggestions.empty': 'Replies are suggested here when the customer writes',
    'suggestions.none': 'No good suggestion for this message',
    'suggestions.insert': 'Insert',
    'suggestions.inserted': 'Inserted into the reply box — edit it, then send',
    'suggestions.keyHint': 'Alt+{n}',
    'suggestions.source.knowledge': 'Knowledge base',
    'suggestions.source.template': 'Reply template',
    'suggestions.source.history': 'Past reply',
    'suggestions.compliance': 'Compliance',
    'suggestions.missing': 'To complete: {names}',
    'suggestions.help':
      'Click Insert or press Alt+1/2/3, edit, then send; what you use improves the suggestions.',
  },
);
