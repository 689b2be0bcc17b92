// The source catalogue: every UI string lives here first; en-US must mirror every key.
// Placeholders are written {name} and filled by `translate`.
import { agentMetricsMessages } from '../agentMetrics/messages.ts';
import { assistMessages } from '../assist/messages.ts';
import { botAnalyticsMessages } from '../botAnalytics/messages.ts';
import { callMessages } from '../calls/messages.ts';
import { campaignMessages } from '../campaigns/messages.ts';
import { complaintMessages } from '../complaints/messages.ts';
import { llmMessages } from '../conversation/llmMessages.ts';
import { costMessages } from '../costs/messages.ts';
import { customer360Messages } from '../customer360/messages.ts';
import { dialogueMessages } from '../dialogue/messages.ts';
import { handoffMessages } from '../handoff/messages.ts';
import { identityMessages } from '../identity/messages.ts';
import { integrationsMessages } from '../integrations/messages.ts';
import { jobMessages } from '../jobs/messages.ts';
import { knowledgeMessages } from '../knowledge/messages.ts';
import { kpiMessages } from '../kpis/messages.ts';
import { outreachMessages } from '../outreach/messages.ts';
import { privacyMessages } from '../privacy/messages.ts';
import { qualityMessages } from '../quality/messages.ts';
import { queueMessages } from '../queues/messages.ts';
import { replyMessages } from '../replies/messages.ts';
import { reviewMessages } from '../reviews/messages.ts';
import { routingMessages } from '../routingRules/messages.ts';
import { securityMessages } from '../security/messages.ts';
import { channelInboxMessages } from '../settings/channelMessages.ts';
import { setupMessages } from '../setup/messages.ts';
import { slaMessages } from '../sla/messages.ts';
import { softphoneMessages } from '../softphone/messages.ts';
import { ticketMessages } from '../tickets/messages.ts';
import { ticketSettingsMessages } from '../tickets/settings/messages.ts';
import { topicsMessages } from '../topics/messages.ts';
import { translationMessages } from '../translation/messages.ts';
import { wallboardMessages } from '../wallboard/messages.ts';
import { workspaceMessages } from '../workspace/messages.ts';

const core = {
  'app.name': '智客',
  'app.tagline': 'AI 智能客服工作台',

  'nav.inbox': '会话',
  'nav.settings': '设置',
  'nav.channels': '渠道接入',
  'nav.apiKeys': 'API 密钥',

  'header.live': '实时连接',
  'header.reconnecting': '正在重连…',
  'header.switchLanguage': 'English',
  'header.role': '角色：{role}',
  'header.logout': '退出登录',

  'role.owner': '所有者',
  'role.admin': '管理员',
  'role.supervisor': '主管',
  'role.agent': '客服',

  'login.title': '登录智客',
  'login.subtitle': '为小店打造的开源 AI 客服平台',
  'login.email': '邮箱',
  'login.emailRequired': '请输入邮箱',
  'login.password': '密码',
  'login.passwordRequired': '请输入密码',
  'login.submit': '登录',
  'login.restoring': '正在恢复会话…',

  'inbox.title': '会话',
  'inbox.filter.mine': '我的',
  'inbox.filter.unassigned': '未分配',
  'inbox.filter.all': '全部',
  'inbox.loadMore': '加载更多',
  'inbox.empty': '暂无会话',
  'inbox.selectConversation': '选择左侧的一个会话开始处理',
  'inbox.visitor': '访客 {id}',
  'inbox.noMessages': '还没有消息',
  'inbox.unassigned': '未分配',
  'inbox.handedOff': '机器人转人工',

  'status.open': '进行中',
  'status.pending': '待处理',
  'status.resolved': '已解决',

  'priority.low': '低',
  'priority.normal': '普通',
  'priority.high': '高',
  'priority.urgent': '紧急',

  'channel.widget': '网页挂件',
  'channel.api': 'API',
  'channel.sms': '短信',
  'channel.email': '邮件',
  'channel.wechat': '微信公众号',
  'channel.voice': '电话',

  'author.customer': '客户',
  'author.bot': '机器人',
  'author.agent': '客服',
  'author.system': '系统',
  'author.you': '我',

  'conversation.back': '返回列表',
  'conversation.assignMe': '分配给我',
  'conversation.assignTo': '分配给…',
  'conversation.unassign': '取消分配',
  'conversation.assignedTo': '负责人：{name}',
  'conversation.resolve': '标记已解决',
  'conversation.reopen': '重新打开',
  'conversation.customerPanel': '客户资料',
  'conversation.loadEarlier': '加载更早的消息',
  'conversation.noMessages': '这个会话还没有消息',
  'conversation.notFound': '会话不存在或已无权访问',
  'conversation.assigned': '已分配给 {name}',
  'conversation.unassigned': '已取消分配',
  'conversation.resolved': '会话已解决',
  'conversation.reopened': '会话已重新打开',

  'reply.placeholder': '输入回复，Enter 发送，Shift+Enter 换行',
  'reply.send': '发送',
  'reply.resolvedHint': '会话已解决，发送回复会通知客户',
  'reply.tooLong': '消息不能超过 {max} 个字符',

  'customer.title': '客户资料',
  'customer.name': '姓名',
  'customer.email': '邮箱',
  'customer.phone': '电话',
  'customer.identities': '渠道身份',
  'customer.firstSeen': '首次访问',
  'customer.none': '未填写',
  'customer.loadFailed': '无法加载客户资料',

  'settings.title': '设置',

  'channels.title': '渠道接入',
  'channels.intro': '每个渠道都是一个收件箱。网页挂件嵌入你的网站，API 渠道接入你自己的系统。',
  'channels.empty': '还没有收件箱',
  'channels.widget.snippetTitle': '安装代码',
  'channels.widget.snippetHelp': '把下面这行代码粘贴到网站每个页面的 </body> 之前。',
  'channels.widget.demo': '打开演示页面',
  'channels.widget.allowedOrigins': '允许的网站来源',
  'channels.widget.allowedOriginsHelp': '例如 https://shop.example.com；留空表示允许任何来源。',
  'channels.widget.allowedOriginsPlaceholder': '输入来源后按 Enter',
  'channels.widget.invalidOrigin': '来源格式不正确：{origin}（应为 https://域名，不带路径）',
  'channels.widget.greeting': '欢迎语',
  'channels.widget.greetingPlaceholder': '您好！有什么可以帮您？',
  'channels.api.webhookUrl': 'Webhook 地址',
  'channels.api.webhookUrlHelp': '机器人和客服的回复会以 POST 请求推送到这个地址。',
  'channels.api.webhookUrlInvalid': '地址必须以 http:// 或 https:// 开头',
  'channels.api.webhookSecret': 'Webhook 签名密钥',
  'channels.api.webhookSecretHelp': '用它校验请求头 {header} 中的 HMAC-SHA256 签名。',
  'channels.api.noSecret': '仅所有者和管理员可见',
  'channels.api.howToTitle': '如何发送客户消息',
  'channels.api.howTo': '用 API 密钥调用 POST /api/v1/inbound。相同的 messageId 重试不会重复入库。',
  'channels.api.createKey': '创建 API 密钥',
  'channels.save': '保存',
  'channels.saved': '已保存',
  'channels.copy': '复制',
  'channels.copied': '已复制',
  'channels.copyFailed': '复制失败，请手动选择复制',
  'channels.show': '显示',
  'channels.hide': '隐藏',
  'channels.notSet': '未设置',

  'apiKeys.title': 'API 密钥',
  'apiKeys.intro': 'API 密钥用于调用开放接口（例如 POST /api/v1/inbound）。请妥善保管。',
  'apiKeys.create': '创建密钥',
  'apiKeys.name': '名称',
  'apiKeys.namePlaceholder': '例如：订单系统',
  'apiKeys.nameRequired': '请输入名称',
  'apiKeys.prefix': '前缀',
  'apiKeys.createdAt': '创建时间',
  'apiKeys.lastUsedAt': '最近使用',
  'apiKeys.never': '从未使用',
  'apiKeys.actions': '操作',
  'apiKeys.revoke': '吊销',
  'apiKeys.revokeConfirm': '吊销后使用此密钥的系统将立即无法访问，确定吗？',
  'apiKeys.revoked': '密钥已吊销',
  'apiKeys.empty': '还没有 API 密钥',
  'apiKeys.createdTitle': '密钥已创建',
  'apiKeys.createdWarning': '这是唯一一次显示完整密钥，请立即复制并保存到安全的地方。',
  'apiKeys.done': '我已保存',

  'common.cancel': '取消',
  'common.confirm': '确定',
  'common.retry': '重试',
  'common.loading': '加载中…',

  'error.network': '网络错误，请检查连接后重试',
  'error.sessionExpired': '登录已过期，请重新登录',
  'error.unknown': '出错了（{status}）',
} as const;

// Feature catalogues (see defineMessages.ts): one spread per feature, in the same order as en-US.ts.
export const zhCN = {
  ...core,
  ...setupMessages.zhCN,
  ...integrationsMessages.zhCN,
  ...botAnalyticsMessages.zhCN,
  ...agentMetricsMessages.zhCN,
  ...topicsMessages.zhCN,
  ...callMessages.zhCN,
  ...campaignMessages.zhCN,
  ...slaMessages.zhCN,
  ...complaintMessages.zhCN,
  ...ticketMessages.zhCN,
  ...ticketSettingsMessages.zhCN,
  ...translationMessages.zhCN,
  ...costMessages.zhCN,
  ...kpiMessages.zhCN,
  ...reviewMessages.zhCN,
  ...wallboardMessages.zhCN,
  ...qualityMessages.zhCN,
  ...jobMessages.zhCN,
  ...outreachMessages.zhCN,
  ...workspaceMessages.zhCN,
  ...assistMessages.zhCN,
  ...softphoneMessages.zhCN,
  ...customer360Messages.zhCN,
  ...handoffMessages.zhCN,
  ...knowledgeMessages.zhCN,
  ...dialogueMessages.zhCN,
  ...channelInboxMessages.zhCN,
  ...llmMessages.zhCN,
  ...privacyMessages.zhCN,
  ...routingMessages.zhCN,
  ...replyMessages.zhCN,
  ...securityMessages.zhCN,
  ...identityMessages.zhCN,
  ...queueMessages.zhCN,
} as const;
