// The weekly review as one self-contained HTML page (inline SVG charts drawn by ECharts on the server, no
// script, no external resource), in the workspace's language; the same page is printed to PDF.

import { formatKpi } from '@zhike/contracts/kpiFormat';
import * as echarts from 'echarts';
import type { SuggestedAction, WeeklyReview } from './weeklyReview.ts';

type Locale = 'zh-CN' | 'en-US';

const TEXT = {
  'zh-CN': {
    title: '每周复盘',
    period: '{from} 至 {to}（{zone}）',
    conversations: '本周会话 {count} 个（上周 {previous} 个）',
    kpis: '核心指标与目标',
    kpi: '指标',
    value: '本周',
    previous: '上周',
    target: '目标',
    status: '状态',
    daily: '每日会话量与 AI 独立解决率',
    dailyCount: '会话量',
    dailyContainment: 'AI 独立解决率 %',
    topics: '高频问题',
    rising: '上升',
    topicsEmpty: '本周没有足够的客户消息来归纳话题。',
    emotion: '客户情绪',
    emotionLine: '平均情绪（-1 至 1）',
    negative: '负面消息',
    emotionSummary:
      '本周 {messages} 条客户消息：正面 {positive}，中性 {neutral}，负面 {negative}，愤怒 {angry}。',
    quality: '智能质检',
    qualitySummary: '本周质检 {count} 个会话和通话，平均 {average} 分，低于复核线 {below} 个。',
    qualityRules: '最常违反的规则',
    unanswered: '机器人未能回答的问题',
    unansweredEmpty: '本周没有机器人未能回答的问题。',
    times: '{count} 次',
    spend: '成本',
    spendLine: '{month} 月至今花费 {spent} 元{budget}；每次解决成本 {perResolution} 元。',
    assistLine:
      '坐席效率（开启智能辅助前后各 {days} 天）：每在线小时解决会话 {before} → {after}，变化 {change}（目标 ≥ +{target}%），{status}。',
    assistNone: '坐席效率：智能辅助自始开启，暂无开启前后的对比。',
    budget: '（预算 {budget} 元）',
    actions: '建议行动',
    actionsEmpty: '本周各项指标均在目标以内，继续保持。',
    generated: '生成于 {at}',
    status_met: '达标',
    status_near: '接近',
    status_missed: '未达标',
    status_no_data: '无数据',
    action_faq_for_topic: '为上升话题「{subject}」补充 FAQ 或话术。',
    action_faq_for_question: '把机器人答不上的问题「{subject}」做成 FAQ。',
    action_staffing: '人工响应偏慢（{subject}）：在高峰时段增加在线坐席或调整接待上限。',
    action_repeat_contacts: '首次解决率偏低（{subject}）：复查同一问题 7 天内再次咨询的会话。',
    action_low_ratings: '满意度偏低（{subject}）：逐条复查低分会话并回访。',
    action_complaints: '投诉闭环率偏低（{subject}）：跟进尚未关闭的投诉。',
    action_sla: 'SLA 达成率偏低（{subject}）：检查工单分配规则和 SLA 时限。',
    action_bot_latency: 'AI 响应偏慢（{subject} 秒）：检查大模型服务的延迟或改用内置 NLU。',
    action_coaching: '质检中最常违反的规则是「{subject}」：组织针对性的辅导。',
    kpi_aiResponseSeconds: 'AI 首次响应（秒）',
    kpi_humanResponseSeconds: '人工首次响应（秒）',
    kpi_pickupWaitSeconds: '人工接起等待（秒）',
    kpi_handleMinutes: '平均处理时长（分钟）',
    kpi_fcr: '首次解决率',
    kpi_csat: '满意度（5 分制）',
    kpi_containment: 'AI 独立解决率',
    kpi_complaintClosure: '投诉闭环率',
    kpi_slaAttainment: 'SLA 达成率',
    kpi_botFallbackRate: '机器人兜底率',
    mailSubject: '【{shop}】每周复盘 {from} 至 {to}',
    mailKpiLine: '· {name}：{value}（目标 {target}，{status}）',
    mailAttached: '完整报告（含图表）见附件，也可以在控制台打开：{url}',
    mailActions: '建议行动：',
    mailWhy: '您收到这封邮件，是因为您是 {shop} 的负责人。在控制台「每周复盘」页可以关闭或调整发送时间。',
  },
  'en-US': {
    title: 'Weekly review',
    period: '{from} to {to} ({zone})',
    conversations: '{count} conversations this week ({previous} the week before)',
    kpis: 'KPIs against their targets',
    kpi: 'KPI',
    value: 'This week',
    previous: 'Last week',
    target: 'Target',
    status: 'Status',
    daily: 'Conversations per day and AI containment',
    dailyCount: 'Conversations',
    dailyContainment: 'AI containment %',
    topics: 'High-frequency problems',
    rising: 'rising',
    topicsEmpty: 'Not enough customer messages this week to find topics.',
    emotion: 'Customer emotion',
    emotionLine: 'Mean sentiment (-1 to 1)',
    negative: 'Negative messages',
    emotionSummary:
      '{messages} customer messages this week: {positive} positive, {neutral} neutral, {negative} negative, {angry} angry.',
    quality: 'Automated quality inspection',
    qualitySummary:
      '{count} conversations and calls inspected, average {average}, {below} under the review line.',
    qualityRules: 'Rules broken most',
    unanswered: 'Questions the bot could not answer',
    unansweredEmpty: 'The bot answered every question this week.',
    times: '{count}×',
    spend: 'Costs',
    spendLine: '{spent} CNY spent in {month} so far{budget}; {perResolution} CNY per resolution.',
    assistLine:
      'Agent throughput ({days} days either side of turning assist on): {before} → {after} conversations per online hour, {change} (target +{target}% or more), {status}.',
    assistNone: 'Agent throughput: assist has been on from the start, so there is no before and after yet.',
    budget: ' (budget {budget} CNY)',
    actions: 'Suggested actions',
    actionsEmpty: 'Every KPI is within its target this week: keep it up.',
    generated: 'Generated {at}',
    status_met: 'Met',
    status_near: 'Near',
    status_missed: 'Missed',
    status_no_data: 'No data',
    action_faq_for_topic: 'Add an FAQ or canned reply for the rising topic “{subject}”.',
    action_faq_for_question: 'Turn the question the bot could not answer, “{subject}”, into an FAQ.',
    action_staffing: 'People answer slowly ({subject}): add agents at peak hours or raise their capacity.',
    action_repeat_contacts:
      'First contact resolution is low ({subject}): review customers who came back on the same intent.',
    action_low_ratings:
      'Satisfaction is low ({subject}): review the low-rated conversations and call those customers back.',
    action_complaints: 'Complaint closure is low ({subject}): follow up the open complaints.',
    action_sla: 'SLA attainment is low ({subject}): check ticket assignment rules and SLA targets.',
    action_bot_latency:
      'The AI answers slowly ({subject} s): check the LLM’s latency or use the built-in NLU.',
    action_coaching: 'The rule broken most in QA is “{subject}”: coach the agents on it.',
    kpi_aiResponseSeconds: 'AI first response (s)',
    kpi_humanResponseSeconds: 'Human first response (s)',
    kpi_pickupWaitSeconds: 'Pickup wait (s)',
    kpi_handleMinutes: 'Handle time (min)',
    kpi_fcr: 'First contact resolution',
    kpi_csat: 'CSAT (of 5)',
    kpi_containment: 'AI containment',
    kpi_complaintClosure: 'Complaint closure',
    kpi_slaAttainment: 'SLA attainment',
    kpi_botFallbackRate: 'Bot fallback rate',
    mailSubject: '[{shop}] Weekly review {from} to {to}',
    mailKpiLine: '· {name}: {value} (target {target}, {status})',
    mailAttached: 'The full review with its charts is attached; it is also in the console: {url}',
    mailActions: 'Suggested actions:',
    mailWhy:
      'You receive this as an owner of {shop}. Turn it off or change the hour on the console’s Weekly review page.',
  },
} as const;

type Key = keyof (typeof TEXT)['zh-CN'];

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const format = formatKpi;
const COLOURS = { met: '#237804', near: '#d46b08', missed: '#cf1322', no_data: '#8c8c8c' } as const;

function svg(option: echarts.EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'sans-serif' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function translator(review: WeeklyReview, requested?: string) {
  const locale: Locale = (requested ?? review.workspace.locale).startsWith('en') ? 'en-US' : 'zh-CN';
  const t = (key: Key, vars: Record<string, string | number> = {}) =>
    TEXT[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars[name] === undefined ? whole : String(vars[name]),
    );
  return { locale, t };
}

/**
 * The review as an e-mail's subject and plain-text body in the workspace's language: the week's
 * headline numbers, each KPI against its target, the suggested actions, and where the full page is.
 */
export function renderWeeklyReviewMail(
  review: WeeklyReview,
  consoleUrl: string,
): { subject: string; text: string } {
  const { t } = translator(review);
  const { range } = review;
  const shop = review.workspace.name;
  const kpis = review.kpis.map((k) =>
    t('mailKpiLine', {
      name: t(`kpi_${k.key}` as Key),
      value: format(k.key, k.value),
      target: `${k.target.kind === 'max' ? '≤' : '≥'} ${format(k.key, k.target.value)}`,
      status: t(`status_${k.status}` as Key),
    }),
  );
  const actions = review.actions.map(
    (a, i) => `${i + 1}. ${t(`action_${a.kind}` as Key, { subject: a.subject })}`,
  );
  const lines = [
    `${t('title')} · ${shop}`,
    t('period', { from: range.from, to: range.to, zone: range.timeZone }),
    '',
    t('conversations', { count: review.conversations.count, previous: review.conversations.previous }),
    '',
    t('kpis'),
    ...kpis,
    '',
    ...(actions.length > 0 ? [t('mailActions'), ...actions] : [t('actionsEmpty')]),
    '',
    t('mailAttached', { url: consoleUrl }),
    '',
    '—',
    t('mailWhy', { shop }),
  ];
  return { subject: t('mailSubject', { shop, from: range.from, to: range.to }), text: lines.join('\n') };
}

export function renderWeeklyReview(review: WeeklyReview, requested?: string): string {
  const { locale, t } = translator(review, requested);
  const e = (key: Key, vars?: Record<string, string | number>) => escapeHtml(t(key, vars));
  const { range } = review;

  const daily = svg(
    {
      legend: { bottom: 0 },
      grid: { left: 40, right: 48, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: review.conversations.daily.map((d) => d.day.slice(5)) },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', max: 100, min: 0 },
      ],
      series: [
        { name: t('dailyCount'), type: 'bar', data: review.conversations.daily.map((d) => d.count) },
        {
          name: t('dailyContainment'),
          type: 'line',
          yAxisIndex: 1,
          connectNulls: true,
          data: review.conversations.daily.map((d) =>
            d.containment === null ? null : Math.round(d.containment * 1000) / 10,
          ),
        },
      ],
    },
    720,
    260,
  );
  const topTopics = review.topics.topics.slice(0, 8);
  const rising = new Set(review.topics.rising);
  const topics =
    topTopics.length > 0
      ? svg(
          {
            grid: { left: 200, right: 24, top: 8, bottom: 24 },
            xAxis: { type: 'value', minInterval: 1 },
            yAxis: { type: 'category', inverse: true, data: topTopics.map((x) => x.label.slice(0, 16)) },
            series: [
              {
                type: 'bar',
                data: topTopics.map((x) => ({
                  value: x.estimated,
                  itemStyle: { color: rising.has(x.key) ? '#cf1322' : '#1f7a6d' },
                })),
              },
            ],
          },
          720,
          40 + 28 * topTopics.length,
        )
      : '';
  const emotion =
    review.emotion.buckets.length > 0
      ? svg(
          {
            legend: { bottom: 0 },
            grid: { left: 40, right: 48, top: 16, bottom: 48 },
            xAxis: { type: 'category', data: review.emotion.buckets.map((b) => b.bucket.slice(5)) },
            yAxis: [
              { type: 'value', min: -1, max: 1 },
              { type: 'value', minInterval: 1 },
            ],
            series: [
              {
                name: t('emotionLine'),
                type: 'line',
                data: review.emotion.buckets.map((b) => Math.round(b.average * 100) / 100),
              },
              {
                name: t('negative'),
                type: 'bar',
                yAxisIndex: 1,
                itemStyle: { color: '#ff7875', opacity: 0.6 },
                data: review.emotion.buckets.map((b) => b.negative),
              },
            ],
          },
          720,
          240,
        )
      : '';

  const kpiRows = review.kpis
    .map(
      (k) =>
        `<tr><td>${e(`kpi_${k.key}` as Key)}</td><td class="n">${format(k.key, k.value)}</td>` +
        `<td class="n">${format(k.key, k.previous)}</td>` +
        `<td class="n">${k.target.kind === 'max' ? '≤' : '≥'} ${format(k.key, k.target.value)}</td>` +
        `<td><span class="status" style="background:${COLOURS[k.status]}">${e(`status_${k.status}` as Key)}</span></td></tr>`,
    )
    .join('');
  const topicList = topTopics
    .map(
      (x) =>
        `<li><b>${escapeHtml(x.label)}</b> — ${x.estimated}${rising.has(x.key) ? ` <span class="rising">${e('rising')}</span>` : ''}` +
        (x.examples[0]
          ? `<br><span class="muted">“${escapeHtml(x.examples[0].text.slice(0, 60))}”</span>`
          : '') +
        '</li>',
    )
    .join('');
  const totals = review.emotion.totals;
  const q = review.quality;
  const rules = q.topRules
    .slice(0, 5)
    .map(
      (r) => `<li>${escapeHtml(q.ruleNames[r.ruleId] ?? r.ruleId)} — ${e('times', { count: r.count })}</li>`,
    )
    .join('');
  const unanswered = review.unanswered
    .map((u) => `<li>${escapeHtml(u.question)} — ${e('times', { count: u.count })}</li>`)
    .join('');
  const actions = review.actions
    .map((a: SuggestedAction) => `<li>${e(`action_${a.kind}` as Key, { subject: a.subject })}</li>`)
    .join('');
  const s = review.spend;
  const a = review.assist;
  const days = a.before ? (Date.parse(a.before.to) - Date.parse(a.before.from)) / 86_400_000 + 1 : 0;
  const assistLine =
    a.before && a.after
      ? e('assistLine', {
          days,
          before: a.before.handledPerOnlineHour ?? '—',
          after: a.after.handledPerOnlineHour ?? '—',
          change: a.change === null ? '—' : `${a.change >= 0 ? '+' : ''}${(a.change * 100).toFixed(1)}%`,
          target: Math.round(a.target * 100),
          status: t(`status_${a.status}` as Key),
        })
      : e('assistNone');

  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8">
<title>${e('title')} ${escapeHtml(range.from)} — ${escapeHtml(review.workspace.name)}</title>
<style>
  body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f1f1f; margin: 0; background: #fff; }
  main { max-width: 760px; margin: 0 auto; padding: 24px; }
  h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 24px 0 8px; border-bottom: 2px solid #1f7a6d; padding-bottom: 4px; }
  .muted { color: #8c8c8c; font-size: 13px; } table { border-collapse: collapse; width: 100%; font-size: 14px; }
  th, td { border-bottom: 1px solid #f0f0f0; padding: 6px 8px; text-align: left; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .status { color: #fff; border-radius: 4px; padding: 1px 8px; font-size: 12px; } .rising { color: #cf1322; font-size: 12px; }
  li { margin: 4px 0; font-size: 14px; } section { page-break-inside: avoid; } svg { max-width: 100%; height: auto; }
</style></head>
<body><main>
<h1>${e('title')} · ${escapeHtml(review.workspace.name)}</h1>
<div class="muted">${e('period', { from: range.from, to: range.to, zone: range.timeZone })}</div>
<p>${e('conversations', { count: review.conversations.count, previous: review.conversations.previous })}</p>
<section><h2>${e('kpis')}</h2>
<table><thead><tr><th>${e('kpi')}</th><th class="n">${e('value')}</th><th class="n">${e('previous')}</th><th class="n">${e('target')}</th><th>${e('status')}</th></tr></thead>
<tbody>${kpiRows}</tbody></table><p>${assistLine}</p></section>
<section><h2>${e('daily')}</h2>${daily}</section>
<section><h2>${e('actions')}</h2>${actions ? `<ol>${actions}</ol>` : `<p>${e('actionsEmpty')}</p>`}</section>
<section><h2>${e('topics')}</h2>${topics}${topicList ? `<ul>${topicList}</ul>` : `<p class="muted">${e('topicsEmpty')}</p>`}</section>
<section><h2>${e('emotion')}</h2><p>${e('emotionSummary', { messages: totals.messages, positive: totals.positive, neutral: totals.neutral, negative: totals.negative, angry: totals.angry })}</p>${emotion}</section>
<section><h2>${e('quality')}</h2><p>${e('qualitySummary', { count: q.count, average: q.average ?? '—', below: q.below })}</p>${rules ? `<div class="muted">${e('qualityRules')}</div><ul>${rules}</ul>` : ''}</section>
<section><h2>${e('unanswered')}</h2>${unanswered ? `<ul>${unanswered}</ul>` : `<p class="muted">${e('unansweredEmpty')}</p>`}</section>
<section><h2>${e('spend')}</h2><p>${e('spendLine', { month: s.month, spent: s.spentYuan.toFixed(2), budget: s.budgetYuan === null ? '' : t('budget', { budget: s.budgetYuan }), perResolution: s.costPerResolutionYuan === null ? '—' : s.costPerResolutionYuan.toFixed(2) })}</p></section>
<p class="muted">${e('generated', { at: review.generatedAt.slice(0, 16).replace('T', ' ') })} UTC · 智客 Zhike</p>
</main></body></html>`;
}
