// What the demo's people say, written for the demo history (never taken from the templates' test splits):
// agents' replies by topic, angry complaints the NLU flags as urgent, e-mails with their subjects, phone
// scripts, survey comments and ticket notes. Most agents follow the shop's quality rules (a greeting, a
// closing, the refund time limit); a few lines do not, so quality inspection has something to find.

/** What a conversation is about, as the demo's agents and callers talk about it. */
export type Topic = 'order' | 'aftersale' | 'complaint' | 'general';

export const topicOfIntent = (intent: string | null): Topic => {
  if (intent === 'order_status' || intent === 'ticket_status') return 'order';
  if (intent === 'refund_request' || intent === 'return_request' || intent === 'exchange_request')
    return 'aftersale';
  if (intent === 'complaint') return 'complaint';
  return 'general';
};

export const AGENT_OPENINGS: Record<Topic, readonly string[]> = {
  order: [
    '您好，我是人工客服，这就帮您查一下订单的物流。',
    '您好，已经看到您的订单了，我联系仓库核实一下，请稍等。',
    '您好，抱歉让您久等了，我来帮您跟进这个包裹。',
  ],
  aftersale: [
    '您好，我是售后客服，退换货的事情由我来帮您处理。',
    '您好，已经看到您的售后申请了，我帮您核实一下订单。',
    '您好，抱歉商品给您添麻烦了，我马上帮您处理。',
  ],
  complaint: [
    '您好，我是客服主管，非常抱歉给您带来这么不好的体验，这件事由我亲自跟进。',
    '您好，真的很抱歉让您生气了，您反映的问题我已经记下，马上为您处理。',
    '您好，非常理解您的心情，给您添麻烦了，我现在就帮您解决。',
  ],
  general: [
    '您好，我是人工客服，这就帮您查一下。',
    '您好，已经看到您的问题了，请稍等，我马上处理。',
    '您好，抱歉让您久等了，我来帮您跟进。',
  ],
};

/** A few agents skip the greeting (the quality rule 开场问候 flags it). */
export const AGENT_OPENINGS_CURT: readonly string[] = ['看到了，我查一下。', '稍等，在查。'];

export const AGENT_ANSWERS: Record<Topic, readonly string[]> = {
  order: [
    '查到了，包裹昨天已经从仓库发出，预计明后天送达，物流单号稍后短信发给您。',
    '快递在中转站滞留了，我已经催促快递公司优先派送，今天会有更新。',
    '仓库这边确认明天上午补发，发出后会通知您。',
  ],
  aftersale: [
    '退款申请已经通过，款项会在1-3个工作日内原路退回到您的支付账户。',
    '退货已经为您登记，快递员明天上门取件，收到商品后退款会原路退回。',
    '换货已经安排好了，新商品会在我们收到退回商品后24小时内发出。',
  ],
  complaint: [
    '已经为您登记了投诉，并安排补发新商品，另外给您补偿一张20元无门槛优惠券，实在抱歉。',
    '我们已经核实是仓库发错了货，今天就为您重新发出，运费由我们承担。',
    '快递员的问题我们已经反馈给快递公司处理，包裹也安排了重新派送，再次向您道歉。',
  ],
  general: [
    '这个问题已经为您登记处理了，请留意短信通知。',
    '已经帮您备注好了，发货时会按您的要求处理。',
    '发票已经开好，会发送到您留的邮箱。',
  ],
};

/** Refund answers that leave out the time limit (the quality rule 退款时效告知 flags them). */
export const AGENT_ANSWERS_WITHOUT_TIME_LIMIT: readonly string[] = ['退款已经给您申请了，等通知就行。'];

export const AGENT_CLOSINGS: readonly string[] = [
  '已经为您处理好了，还有其他可以帮您的吗？',
  '问题已登记并处理，请留意短信通知，祝您购物愉快！',
  '感谢您的耐心等待，还有别的需要随时联系我们。',
];

export const CUSTOMER_FOLLOW_UPS: readonly string[] = [
  '好的谢谢',
  '那运费怎么算',
  '可以开发票吗',
  '谢谢，没有别的问题了',
];

export const CUSTOMER_WHILE_WAITING: readonly string[] = [
  '好的，麻烦快一点',
  '嗯嗯，我等着',
  '大概要多久？',
  '订单号是 ZK20261125002',
];

export const CUSTOMER_THANKS: readonly string[] = ['好的，谢谢', '收到，谢谢你', '行，那我等消息', '好的'];

/** Angry customers: complaints and threats (12315, the platform, the police) the NLU flags as urgent. */
export const COMPLAINTS: readonly string[] = [
  '买的耳机一个星期就坏了，客服一直不回消息，我要投诉你们！',
  '等了十天还没发货，再不给说法我就去消协投诉',
  '东西跟图片完全不一样，这不是欺骗消费者吗？我要去12315举报',
  '第三次联系你们了，问题还是没解决，太失望了，我要投诉',
  '快递员态度恶劣还把包裹扔在门口，我要投诉',
  '收到的保温杯是坏的，你们必须给我退款，否则我就给差评并投诉到平台',
  '你们是骗子吧，付了钱一直不发货，我已经准备报警了',
  '发错货了还让我自己出运费寄回去？太过分了，我要投诉到12315',
];

export const COMPLAINT_REPLIES_FROM_CUSTOMER: readonly string[] = [
  '你们最好今天给我解决',
  '行吧，这次先这样，再有问题我直接投诉',
  '希望说到做到',
];

/** The refund form as a customer fills it in: the order, a reason, no photo, yes. */
export const REFUND_OPENINGS: readonly string[] = ['我要退款', '这个订单我想退货', '申请退款'];
export const REFUND_REASONS: readonly string[] = ['尺码不合适', '买重复了', '颜色和图片差别太大', '不想要了'];
export const SKIP_PHOTO = '跳过';
export const CONFIRM = '确认';

export interface EmailLetter {
  subject: string;
  body: string;
  topic: Topic;
}

/** First mails to the support address (`{order}` becomes an order number). */
export const EMAILS: readonly EmailLetter[] = [
  {
    subject: '订单{order}一直没有物流更新',
    body: '你好，\n\n我在上周下的订单{order}，到现在物流信息还停在揽收，请帮忙查一下包裹到哪里了。\n\n谢谢',
    topic: 'order',
  },
  {
    subject: '申请开具增值税专用发票',
    body: '您好，\n\n我们公司采购了一批保温杯（订单{order}），需要开具增值税专用发票，开票信息见下：\n单位名称：某某科技有限公司\n税号：91310000MA1FL0000X\n\n麻烦尽快处理，谢谢！',
    topic: 'general',
  },
  {
    subject: '收到的商品有破损',
    body: '客服你好：\n\n今天收到订单{order}的包裹，外箱完好但里面的杯子有裂痕，照片稍后补发。请问怎么处理？能换一个新的吗？',
    topic: 'aftersale',
  },
  {
    subject: '关于退款进度',
    body: '你好，我上周申请的退款（订单{order}）到现在还没到账，麻烦帮忙看一下是什么情况。',
    topic: 'aftersale',
  },
  {
    subject: '企业批量采购咨询',
    body: '您好，\n\n我们想为员工采购 200 件纯棉短袖T恤，请问有没有批量价格，最快多久可以发货？\n\n期待回复',
    topic: 'general',
  },
  {
    subject: '投诉：发错货而且客服不理人',
    body: '订单{order}发错了颜色，在线客服两天都没人回复。再不处理我就去12315投诉！',
    topic: 'complaint',
  },
];

export const EMAIL_FOLLOW_UPS: readonly string[] = [
  '收到，谢谢你们的处理。另外想确认一下，大概什么时候能到？',
  '好的，照片已经拍好了，请问发到哪个邮箱？',
  '谢谢回复，我再等两天看看。',
];

export const EMAIL_ACKNOWLEDGEMENTS: readonly string[] = [
  '您好，您的邮件已收到，我们正在核实处理，有结果会第一时间回复您。',
  '您好，感谢来信，您反映的问题已转给相关同事处理，请耐心等待回复。',
];

export const EMAIL_AGENT_REPLIES: Record<Topic, readonly string[]> = {
  order: ['您好，已经为您联系快递公司核实，包裹今天已恢复派送，预计明天送达。如有问题请随时联系我们。'],
  aftersale: [
    '您好，非常抱歉商品出现问题，已为您安排换新，新商品将在 24 小时内寄出，破损商品无需寄回。',
    '您好，退款已经处理，款项将在1-3个工作日内原路退回，请留意账户变动。',
  ],
  complaint: ['您好，非常抱歉给您带来不好的体验，已为您重新发出正确颜色的商品，并补偿20元优惠券。'],
  general: [
    '您好，发票已经开具并发送到您的邮箱，请查收。',
    '您好，200 件的批量价格已整理成报价单附在邮件里，现货三天内可以发出。',
  ],
};

/** A phone call as a script: what the caller says to the bot first, then to the agent. */
export interface CallScript {
  topic: Topic;
  /** Said to the bot, one utterance a turn. */
  toBot: readonly string[];
  /** With the agent: caller and agent in turn, the caller first. */
  withAgent: readonly string[];
}

export const CALLS: readonly CallScript[] = [
  {
    topic: 'order',
    toBot: ['喂，你好，我想查一下我的快递到哪了', '转人工'],
    withAgent: [
      '你好，我的快递三天了都没动静',
      '您好，很高兴为您服务，麻烦报一下订单号',
      '订单号是ZK20261125002',
      '查到了，仓库今天下午就发出，发出后短信通知您',
      '好的，谢谢',
      '不客气，还有其他可以帮您的吗？再见',
    ],
  },
  {
    topic: 'aftersale',
    toBot: ['我想退货，衣服尺码买大了', '人工客服'],
    withAgent: [
      '喂，我买的短袖尺码太大了，想退',
      '您好，我是售后客服，退货没问题，我帮您申请上门取件',
      '那钱什么时候退给我',
      '收到商品后款项会在1到3个工作日内原路退回',
      '行，那就这样',
      '感谢您的耐心，祝您生活愉快，再见',
    ],
  },
  {
    topic: 'complaint',
    toBot: ['你们怎么回事，发错货了还没人管，我要投诉'],
    withAgent: [
      '我上周买的是白色的，寄来的是黑色的，打了好几次电话都没人处理',
      '您好，非常抱歉给您添麻烦了，这件事我来负责',
      '你们必须今天给我一个说法',
      '我们马上给您补发白色的，黑色的不用寄回，另外补偿您一张优惠券',
      '好吧，希望这次别再出错了',
      '一定不会，感谢您的理解，再见',
    ],
  },
  {
    topic: 'general',
    toBot: ['你好，请问你们几点关门', '那周末营业吗', '好的谢谢'],
    withAgent: [],
  },
  {
    topic: 'general',
    toBot: ['我想开个发票', '转人工'],
    withAgent: [
      '你好，我要开一张公司抬头的发票',
      '您好，可以的，麻烦告诉我单位名称和税号',
      '单位是某某科技有限公司，税号我发短信给你们',
      '好的，收到后我们当天开好发到您邮箱',
      '好，谢谢',
      '不客气，还有其他问题随时联系，再见',
    ],
  },
];

/** After the bot hands off a caller whose question it did not follow. */
export const CALL_WITH_AGENT_AFTER_BOT: readonly string[] = [
  '刚才机器人没听懂我的问题',
  '您好，很高兴为您服务，您请讲',
  '我想问一下我上周买的东西能不能开发票',
  '可以的，您把开票信息发给我们，当天开好发到您邮箱',
  '好的，谢谢',
  '不客气，还有其他问题随时联系，再见',
];

/** What an agent says while looking something up on a call (a long silence follows when not on hold). */
export const CALL_LOOKUPS: readonly string[] = ['我帮您查一下，请稍等', '我看一下系统记录'];
export const CALL_BACK_FROM_LOOKUP: readonly string[] = ['让您久等了', '不好意思久等了'];

export const SURVEY_COMMENTS_GOOD: readonly string[] = [
  '客服很耐心，谢谢！',
  '处理得很快，满意',
  '问题解决了，服务态度很好',
];
export const SURVEY_COMMENTS_BAD: readonly string[] = [
  '等了太久才有人回复',
  '问题根本没解决，很失望',
  '客服态度敷衍，我要投诉',
];

export const TICKET_NOTES = {
  pendingCarrier: '已联系快递公司核实，等待对方回复。',
  resumed: '快递公司已回复，继续处理。',
  solved: [
    '已补发新商品并告知客户单号。',
    '退款已审核通过，款项原路退回。',
    '已联系客户确认，问题已解决。',
    '发票已开具并发送至客户邮箱。',
  ],
  followUp: '已电话回访客户，说明了处理结果并致歉，客户表示接受。',
  complaintClosed: [
    '已补发并补偿优惠券，客户确认满意。',
    '已向客户道歉并完成退款，客户接受处理结果。',
    '已督促快递重新派送，客户确认收到。',
  ],
} as const;

export const TICKET_FIRST_REPLIES: readonly string[] = [
  '已为您登记工单，处理进度会第一时间通知您。',
  '工单已经建好，我们会尽快处理并回复您。',
];

/** Ticket categories by topic, as the shop files them. */
export const CATEGORY_OF: Record<Topic, string> = {
  order: '物流',
  aftersale: '售后',
  complaint: '投诉',
  general: '咨询',
};

export const SURNAMES = [
  ['李', 'li'],
  ['王', 'wang'],
  ['张', 'zhang'],
  ['刘', 'liu'],
  ['陈', 'chen'],
  ['杨', 'yang'],
  ['黄', 'huang'],
  ['赵', 'zhao'],
  ['吴', 'wu'],
  ['周', 'zhou'],
  ['徐', 'xu'],
  ['孙', 'sun'],
] as const;
export const GIVEN_NAMES = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '洋',
  '艳',
  '勇',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '霞',
];
