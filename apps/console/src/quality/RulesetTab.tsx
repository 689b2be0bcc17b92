// The ruleset editor: each rule switched on or off, named, weighted (points off 100 when broken) and
// tuned (phrases, positions, seconds, thresholds); rules added by kind or removed; the sampling settings.
// Saving makes a new version. Without `quality.manage` everything is read-only.
import type { QualityRule, QualityRulesetView } from '@zhike/contracts';
import { App, Button, Card, Input, InputNumber, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { MessageKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { useQualityRuleset } from './useQualityRuleset.ts';

type Kind = QualityRule['kind'];
type Sampling = QualityRulesetView['sampling'];

const KINDS: Kind[] = [
  'forbidden_phrase',
  'required_phrase',
  'response_time',
  'anger_not_deescalated',
  'negative_tone',
  'call_interruption',
  'call_silence',
  'call_hold',
  'bot_repeated_fallback',
  'bot_ignored_human_request',
];

/** A new rule of the kind with workable parameters; the supervisor names and tunes it. */
function newRule(kind: Kind, taken: ReadonlySet<string>, name: string): QualityRule {
  let n = 1;
  while (taken.has(`${kind.replace(/_/g, '-')}-${n}`)) n++;
  const base = { id: `${kind.replace(/_/g, '-')}-${n}`, name, weight: 10, enabled: true };
  switch (kind) {
    case 'forbidden_phrase':
      return { ...base, kind, params: { phrases: ['不知道'], speakers: ['agent'] } };
    case 'required_phrase':
      return {
        ...base,
        kind,
        params: { phrases: ['您好'], position: 'opening', messages: 2, whenCustomerSays: [] },
      };
    case 'response_time':
      return { ...base, kind, params: { seconds: 60 } };
    case 'anger_not_deescalated':
      return { ...base, kind, params: { minPeak: 0.5, minDrop: 0.2 } };
    case 'negative_tone':
      return { ...base, kind, params: { maxScore: -0.95, minAnger: 0.5, phrases: [] } };
    case 'call_interruption':
      return { ...base, kind, params: { minOverlapMs: 800, allowed: 1 } };
    case 'call_silence':
      return { ...base, kind, params: { seconds: 15 } };
    case 'call_hold':
      return { ...base, kind, params: { seconds: 60 } };
    case 'bot_repeated_fallback':
      return { ...base, kind, params: { fallbacks: 2, offerPhrases: ['人工'] } };
    case 'bot_ignored_human_request':
      return { ...base, kind, params: { phrases: ['转人工'] } };
  }
}

const kindLabel = (kind: Kind): MessageKey => `quality.kind.${kind}` as MessageKey;

export function RulesetTab() {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const manages = can(session, 'quality.manage');
  const [version, setVersion] = useState(0);
  const loaded = useQualityRuleset(version);
  const [rules, setRules] = useState<QualityRule[]>([]);
  const [sampling, setSampling] = useState<Sampling>({ randomPercent: 5, reviewBelow: 60 });
  const [adding, setAdding] = useState<Kind>('forbidden_phrase');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!loaded) return;
    setRules(loaded.rules);
    setSampling(loaded.sampling);
  }, [loaded]);

  if (!loaded) return null;
  const update = (index: number, patch: Partial<QualityRule>) =>
    setRules((list) => list.map((r, i) => (i === index ? ({ ...r, ...patch } as QualityRule) : r)));
  const updateParams = (index: number, patch: Record<string, unknown>) =>
    setRules((list) =>
      list.map((r, i) => (i === index ? ({ ...r, params: { ...r.params, ...patch } } as QualityRule) : r)),
    );

  const save = async () => {
    setSaving(true);
    try {
      const saved = await api.saveQualityRuleset({ rules, sampling });
      message.success(t('quality.ruleset.saved', { version: saved.version }));
      setVersion((v) => v + 1);
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="quality-ruleset">
      <Space wrap>
        <Tag color="blue">
          {loaded.version === 0
            ? t('quality.ruleset.default')
            : t('quality.ruleset.version', { version: loaded.version })}
        </Tag>
        {!manages && <Typography.Text type="secondary">{t('quality.ruleset.readOnly')}</Typography.Text>}
      </Space>
      <Card size="small" title={t('quality.ruleset.sampling')}>
        <Space wrap size="large">
          <Space>
            <Typography.Text>{t('quality.ruleset.randomPercent')}</Typography.Text>
            <InputNumber
              min={0}
              max={100}
              disabled={!manages}
              value={sampling.randomPercent}
              onChange={(v) => setSampling((s) => ({ ...s, randomPercent: typeof v === 'number' ? v : 0 }))}
            />
          </Space>
          <Space>
            <Typography.Text>{t('quality.ruleset.reviewBelow')}</Typography.Text>
            <InputNumber
              min={0}
              max={100}
              precision={0}
              disabled={!manages}
              value={sampling.reviewBelow}
              onChange={(v) => setSampling((s) => ({ ...s, reviewBelow: typeof v === 'number' ? v : 0 }))}
            />
          </Space>
        </Space>
      </Card>
      <Table
        size="small"
        rowKey="id"
        dataSource={rules}
        pagination={false}
        columns={[
          {
            title: t('quality.ruleset.col.enabled'),
            dataIndex: 'enabled',
            width: 64,
            render: (v: boolean, _r: QualityRule, i: number) => (
              <Switch
                size="small"
                checked={v}
                disabled={!manages}
                onChange={(enabled) => update(i, { enabled })}
              />
            ),
          },
          {
            title: t('quality.ruleset.col.name'),
            dataIndex: 'name',
            width: 200,
            render: (v: string, r: QualityRule, i: number) => (
              <Space direction="vertical" size={2}>
                <Input
                  size="small"
                  maxLength={60}
                  disabled={!manages}
                  value={v}
                  onChange={(e) => update(i, { name: e.target.value })}
                />
                <Tag>{t(kindLabel(r.kind))}</Tag>
              </Space>
            ),
          },
          {
            title: t('quality.ruleset.col.weight'),
            dataIndex: 'weight',
            width: 90,
            render: (v: number, _r: QualityRule, i: number) => (
              <InputNumber
                size="small"
                min={0}
                max={100}
                precision={0}
                disabled={!manages}
                value={v}
                onChange={(w) => update(i, { weight: typeof w === 'number' ? w : 0 })}
              />
            ),
          },
          {
            title: t('quality.ruleset.col.params'),
            render: (_: unknown, r: QualityRule, i: number) => (
              <RuleParams rule={r} disabled={!manages} onChange={(patch) => updateParams(i, patch)} />
            ),
          },
          ...(manages
            ? [
                {
                  title: '',
                  width: 72,
                  render: (_: unknown, _r: QualityRule, i: number) => (
                    <Button
                      size="small"
                      danger
                      onClick={() => setRules((list) => list.filter((_x, k) => k !== i))}
                    >
                      {t('quality.ruleset.remove')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {manages && (
        <Space wrap>
          <Select
            style={{ width: 220 }}
            value={adding}
            onChange={(k: Kind) => setAdding(k)}
            options={KINDS.map((k) => ({ value: k, label: t(kindLabel(k)) }))}
          />
          <Button
            onClick={() =>
              setRules((list) => [
                ...list,
                newRule(adding, new Set(list.map((r) => r.id)), t(kindLabel(adding))),
              ])
            }
          >
            {t('quality.ruleset.add')}
          </Button>
          <Button
            type="primary"
            loading={saving}
            onClick={() => void save()}
            data-testid="quality-ruleset-save"
          >
            {t('quality.ruleset.save')}
          </Button>
        </Space>
      )}
    </Space>
  );
}

function Phrases({
  value,
  disabled,
  onChange,
  label,
}: {
  value: string[];
  disabled: boolean;
  onChange: (v: string[]) => void;
  label: string;
}) {
  return (
    <Space direction="vertical" size={0} style={{ width: '100%' }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
      <Select
        mode="tags"
        size="small"
        style={{ width: '100%' }}
        disabled={disabled}
        value={value}
        tokenSeparators={[',', '，']}
        onChange={(v: string[]) =>
          onChange(v.map((p) => p.trim()).filter((p) => p.length > 0 && p.length <= 40))
        }
        open={false}
      />
    </Space>
  );
}

function Num({
  label,
  value,
  min,
  max,
  step,
  disabled,
  onChange,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  disabled: boolean;
  onChange: (v: number) => void;
}) {
  return (
    <Space size={4}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
      <InputNumber
        size="small"
        min={min}
        max={max}
        step={step ?? 1}
        disabled={disabled}
        value={value}
        onChange={(v) => typeof v === 'number' && onChange(v)}
      />
    </Space>
  );
}

function RuleParams({
  rule,
  disabled,
  onChange,
}: {
  rule: QualityRule;
  disabled: boolean;
  onChange: (patch: Record<string, unknown>) => void;
}) {
  const { t } = useI18n();
  switch (rule.kind) {
    case 'forbidden_phrase':
      return (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Phrases
            label={t('quality.ruleset.phrases')}
            value={rule.params.phrases}
            disabled={disabled}
            onChange={(phrases) => onChange({ phrases })}
          />
          <Space size={4}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('quality.ruleset.speakers')}
            </Typography.Text>
            <Select
              mode="multiple"
              size="small"
              style={{ minWidth: 160 }}
              disabled={disabled}
              value={rule.params.speakers}
              onChange={(speakers: ('agent' | 'bot')[]) => speakers.length > 0 && onChange({ speakers })}
              options={[
                { value: 'agent', label: t('quality.speaker.agent') },
                { value: 'bot', label: t('quality.speaker.bot') },
              ]}
            />
          </Space>
        </Space>
      );
    case 'required_phrase':
      return (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Phrases
            label={t('quality.ruleset.phrases')}
            value={rule.params.phrases}
            disabled={disabled}
            onChange={(phrases) => onChange({ phrases })}
          />
          <Space wrap>
            <Select
              size="small"
              style={{ width: 120 }}
              disabled={disabled}
              value={rule.params.position}
              onChange={(position: string) => onChange({ position })}
              options={(['opening', 'closing', 'anywhere'] as const).map((p) => ({
                value: p,
                label: t(`quality.ruleset.position.${p}`),
              }))}
            />
            {rule.params.position !== 'anywhere' && (
              <Num
                label={t('quality.ruleset.messages')}
                value={rule.params.messages}
                min={1}
                max={50}
                disabled={disabled}
                onChange={(messages) => onChange({ messages })}
              />
            )}
          </Space>
          <Phrases
            label={t('quality.ruleset.whenCustomerSays')}
            value={rule.params.whenCustomerSays}
            disabled={disabled}
            onChange={(whenCustomerSays) => onChange({ whenCustomerSays })}
          />
        </Space>
      );
    case 'response_time':
    case 'call_silence':
    case 'call_hold':
      return (
        <Num
          label={t('quality.ruleset.seconds')}
          value={rule.params.seconds}
          min={1}
          max={86_400}
          disabled={disabled}
          onChange={(seconds) => onChange({ seconds })}
        />
      );
    case 'anger_not_deescalated':
      return (
        <Space wrap>
          <Num
            label={t('quality.ruleset.minPeak')}
            value={rule.params.minPeak}
            min={0}
            max={1}
            step={0.05}
            disabled={disabled}
            onChange={(minPeak) => onChange({ minPeak })}
          />
          <Num
            label={t('quality.ruleset.minDrop')}
            value={rule.params.minDrop}
            min={0}
            max={1}
            step={0.05}
            disabled={disabled}
            onChange={(minDrop) => onChange({ minDrop })}
          />
        </Space>
      );
    case 'negative_tone':
      return (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Phrases
            label={t('quality.ruleset.phrases')}
            value={rule.params.phrases}
            disabled={disabled}
            onChange={(phrases) => onChange({ phrases })}
          />
          <Space wrap>
            <Num
              label={t('quality.ruleset.maxScore')}
              value={rule.params.maxScore}
              min={-1}
              max={1}
              step={0.05}
              disabled={disabled}
              onChange={(maxScore) => onChange({ maxScore })}
            />
            <Num
              label={t('quality.ruleset.minAnger')}
              value={rule.params.minAnger}
              min={0}
              max={1}
              step={0.05}
              disabled={disabled}
              onChange={(minAnger) => onChange({ minAnger })}
            />
          </Space>
        </Space>
      );
    case 'call_interruption':
      return (
        <Space wrap>
          <Num
            label={t('quality.ruleset.minOverlapMs')}
            value={rule.params.minOverlapMs}
            min={100}
            max={60_000}
            step={100}
            disabled={disabled}
            onChange={(minOverlapMs) => onChange({ minOverlapMs })}
          />
          <Num
            label={t('quality.ruleset.allowed')}
            value={rule.params.allowed}
            min={0}
            max={100}
            disabled={disabled}
            onChange={(allowed) => onChange({ allowed })}
          />
        </Space>
      );
    case 'bot_repeated_fallback':
      return (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Num
            label={t('quality.ruleset.fallbacks')}
            value={rule.params.fallbacks}
            min={1}
            max={20}
            disabled={disabled}
            onChange={(fallbacks) => onChange({ fallbacks })}
          />
          <Phrases
            label={t('quality.ruleset.offerPhrases')}
            value={rule.params.offerPhrases}
            disabled={disabled}
            onChange={(offerPhrases) => onChange({ offerPhrases })}
          />
        </Space>
      );
    case 'bot_ignored_human_request':
      return (
        <Phrases
          label={t('quality.ruleset.phrases')}
          value={rule.params.phrases}
          disabled={disabled}
          onChange={(phrases) => onChange({ phrases })}
        />
      );
  }
}
