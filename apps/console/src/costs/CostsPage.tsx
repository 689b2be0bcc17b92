// #/costs (supervisors and owners): the month's spend per billable unit against the budget, day by day,
// the cost per resolution and the savings of the bot's own resolutions; owners set the budget, its hard
// cap, the agent cost per conversation and unit prices.
import type { Budget, CostSummary } from '@zhike/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Collapse,
  DatePicker,
  Form,
  InputNumber,
  Row,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { EChart } from '../botAnalytics/EChart.tsx';
import type { MessageKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { dailyCostOption } from './charts.ts';

type Unit = CostSummary['units'][number]['unit'];
const unitLabel = (unit: Unit): MessageKey => `costs.unit.${unit}` as MessageKey;

export function CostsPage() {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const [summary, setSummary] = useState<CostSummary | null>(null);
  const [version, setVersion] = useState(0);
  const manages = can(session, 'bot.manage');

  useEffect(() => {
    const abort = new AbortController();
    void version;
    api.getCosts(month.format('YYYY-MM'), abort.signal).then(setSummary, (error: unknown) => {
      if (!abort.signal.aborted) notifyError(error);
    });
    return () => abort.abort();
  }, [api, notifyError, month, version]);

  const option = useMemo(
    () => (summary ? dailyCostOption(summary, dayjs().format('YYYY-MM-DD'), t) : null),
    [summary, t],
  );
  if (!summary || !option) return null;

  return (
    <div className="zk-page" data-testid="costs-page">
      <div className="zk-page-head">
        <div>
          <Typography.Title level={3}>{t('costs.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('costs.intro')}</Typography.Paragraph>
        </div>
        <DatePicker
          picker="month"
          aria-label={t('costs.month')}
          value={month}
          allowClear={false}
          disabledDate={(d) => d.isAfter(dayjs(), 'month')}
          onChange={(value) => value && setMonth(value)}
          style={{ width: 140 }}
          data-testid="costs-month"
        />
      </div>
      {summary.capped && (
        <Alert type="error" showIcon message={t('costs.capped')} data-testid="costs-capped" />
      )}
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} md={8}>
          <Card>
            <Statistic
              title={t('costs.spent')}
              value={summary.spentYuan}
              precision={2}
              data-testid="costs-spent"
            />
            <Space wrap style={{ marginTop: 8 }}>
              {summary.percent === null ? (
                <Typography.Text type="secondary">{t('costs.noBudget')}</Typography.Text>
              ) : (
                <Typography.Text>{t('costs.ofBudget', { percent: summary.percent })}</Typography.Text>
              )}
              {summary.reached.map((threshold) => (
                <Tag key={threshold} color={threshold >= 100 ? 'red' : threshold >= 80 ? 'orange' : 'gold'}>
                  {t('costs.reached', { threshold })}
                </Tag>
              ))}
            </Space>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Statistic
              title={t('costs.perResolution')}
              value={summary.costPerResolutionYuan ?? '—'}
              precision={summary.costPerResolutionYuan === null ? undefined : 2}
              data-testid="costs-per-resolution"
            />
            <Typography.Text type="secondary">
              {t('costs.resolved', { resolved: summary.resolved, bot: summary.botResolved })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Statistic
              title={t('costs.savings')}
              value={summary.estimatedSavingsYuan}
              precision={2}
              valueStyle={{ color: summary.estimatedSavingsYuan >= 0 ? '#3f8600' : '#cf1322' }}
              data-testid="costs-savings"
            />
            <Typography.Text type="secondary">{t('costs.savingsHelp')}</Typography.Text>
          </Card>
        </Col>
      </Row>
      <Card title={t('costs.daily')} style={{ marginTop: 16 }}>
        <EChart option={option} height={280} testId="costs-daily-chart" />
      </Card>
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} lg={manages ? 14 : 24}>
          <Card title={t('costs.units')}>
            <Table
              size="small"
              rowKey="unit"
              pagination={false}
              dataSource={summary.units}
              data-testid="costs-units"
              columns={[
                { title: t('costs.col.unit'), dataIndex: 'unit', render: (unit: Unit) => t(unitLabel(unit)) },
                { title: t('costs.col.quantity'), dataIndex: 'quantity', align: 'right' },
                { title: t('costs.col.price'), dataIndex: 'price', align: 'right' },
                {
                  title: t('costs.col.cost'),
                  dataIndex: 'costYuan',
                  align: 'right',
                  render: (v: number) => v.toFixed(2),
                },
              ]}
            />
          </Card>
        </Col>
        {manages && (
          <Col xs={24} lg={10}>
            <BudgetForm
              budget={summary.budget}
              units={summary.units}
              onSaved={() => setVersion((v) => v + 1)}
            />
          </Col>
        )}
      </Row>
    </div>
  );
}

function BudgetForm({
  budget,
  units,
  onSaved,
}: {
  budget: Budget;
  units: CostSummary['units'];
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [monthly, setMonthly] = useState<number | null>(budget.monthlyYuan);
  const [hardCap, setHardCap] = useState(budget.hardCap);
  const [agentCost, setAgentCost] = useState<number>(budget.agentCostPerConversationYuan);
  const [prices, setPrices] = useState<Budget['prices']>(budget.prices);
  const [saving, setSaving] = useState(false);

  const save = useCallback(async () => {
    setSaving(true);
    try {
      await api.saveBudget({
        monthlyYuan: monthly,
        hardCap,
        agentCostPerConversationYuan: agentCost,
        prices: Object.fromEntries(
          Object.entries(prices).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)),
        ),
      });
      void message.success(t('costs.budget.saved'));
      onSaved();
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  }, [api, monthly, hardCap, agentCost, prices, message, t, onSaved, notifyError]);

  return (
    <Card title={t('costs.budget')}>
      <Form layout="vertical" onFinish={save}>
        <Form.Item label={t('costs.budget.monthly')}>
          <InputNumber
            min={0}
            step={100}
            value={monthly}
            onChange={(v) => setMonthly(typeof v === 'number' ? v : null)}
            style={{ width: '100%' }}
            data-testid="costs-budget-monthly"
          />
        </Form.Item>
        <Form.Item label={t('costs.budget.hardCap')}>
          <Switch checked={hardCap} onChange={setHardCap} data-testid="costs-budget-hardcap" />
        </Form.Item>
        <Form.Item label={t('costs.budget.agentCost')}>
          <InputNumber
            min={0}
            step={0.5}
            value={agentCost}
            onChange={(v) => typeof v === 'number' && setAgentCost(v)}
            style={{ width: '100%' }}
            data-testid="costs-budget-agent-cost"
          />
        </Form.Item>
        <Collapse
          ghost
          size="small"
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'prices',
              label: t('costs.budget.prices'),
              children: units.map((u) => (
                <Form.Item key={u.unit} label={t(unitLabel(u.unit))} style={{ marginBottom: 8 }}>
                  <InputNumber
                    min={0}
                    step={0.001}
                    placeholder={String(u.price)}
                    value={prices[u.unit] ?? null}
                    onChange={(v) =>
                      setPrices((prev) => {
                        const next = { ...prev };
                        if (typeof v === 'number') next[u.unit] = v;
                        else delete next[u.unit];
                        return next;
                      })
                    }
                    style={{ width: '100%' }}
                  />
                </Form.Item>
              )),
            },
          ]}
        />
        <Button type="primary" htmlType="submit" loading={saving} data-testid="costs-budget-save">
          {t('costs.budget.save')}
        </Button>
      </Form>
    </Card>
  );
}
