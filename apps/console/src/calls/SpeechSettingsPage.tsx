// #/settings/speech (owners): which speech recognition and synthesis providers calls use, with their
// settings (secrets write-only: a saved one shows as set and is kept unless replaced or removed), and the
// workspace's voice usage over the last 30 days.
import type { SpeechSettings, VoiceUsage } from '@zhike/contracts';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { EChart } from '../botAnalytics/EChart.tsx';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { defaultProvider, type SpeechRole, speechProviders } from './speechFields.ts';
import { usageOption } from './usageChart.ts';

type Values = Record<string, string | number | boolean>;
type RoleState = { values: Values; secrets: Record<string, string>; clear: Record<string, boolean> };

const emptyRole = (role: SpeechRole, saved?: Values): RoleState => ({
  values: saved && typeof saved.provider === 'string' ? saved : { provider: defaultProvider[role] },
  secrets: {},
  clear: {},
});

export function SpeechSettingsPage() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [saved, setSaved] = useState<SpeechSettings | null>(null);
  const [state, setState] = useState<Record<SpeechRole, RoleState>>({
    asr: emptyRole('asr'),
    tts: emptyRole('tts'),
  });
  const [saving, setSaving] = useState(false);
  const [usage, setUsage] = useState<VoiceUsage | null>(null);

  useEffect(() => {
    api.getSpeechSettings().then((s) => {
      setSaved(s);
      setState({ asr: emptyRole('asr', s.settings.asr), tts: emptyRole('tts', s.settings.tts) });
    }, notifyError);
    const to = dayjs();
    api
      .getVoiceUsage({ from: to.subtract(29, 'day').format('YYYY-MM-DD'), to: to.format('YYYY-MM-DD') })
      .then(setUsage, notifyError);
  }, [api, notifyError]);

  const chart = useMemo(() => (usage ? usageOption(usage, t) : null), [usage, t]);

  const update = (role: SpeechRole, change: Partial<RoleState>) =>
    setState((prev) => ({ ...prev, [role]: { ...prev[role], ...change } }));

  const save = async () => {
    setSaving(true);
    try {
      const settings: Record<SpeechRole, Values> = { asr: {}, tts: {} };
      const secrets: Record<string, string | null> = {};
      for (const role of ['asr', 'tts'] as const) {
        const form = speechProviders[role].find((p) => p.id === state[role].values.provider);
        settings[role] = { provider: String(state[role].values.provider) };
        for (const field of form?.fields ?? []) {
          const key = `${role}.${field.name}`;
          if (field.secret) {
            if (state[role].clear[field.name]) secrets[key] = null;
            else if (state[role].secrets[field.name]) secrets[key] = state[role].secrets[field.name] ?? '';
            continue;
          }
          const value = state[role].values[field.name];
          if (value === undefined || value === '') continue;
          settings[role][field.name] = field.kind === 'number' ? Number(value) : value;
        }
      }
      const next = await api.saveSpeechSettings({ settings, secrets });
      setSaved(next);
      setState({ asr: emptyRole('asr', next.settings.asr), tts: emptyRole('tts', next.settings.tts) });
      void message.success(t('speech.saved'));
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  const roleCard = (role: SpeechRole) => {
    const current = state[role];
    const form = speechProviders[role].find((p) => p.id === current.values.provider);
    return (
      <Card title={t(`speech.${role}`)} data-testid={`speech-${role}`}>
        <Form layout="vertical">
          <Form.Item label={t('speech.provider')}>
            <Select
              value={String(current.values.provider)}
              onChange={(provider) => update(role, { values: { provider }, secrets: {}, clear: {} })}
              options={speechProviders[role].map((p) => ({ value: p.id, label: t(p.labelKey) }))}
            />
          </Form.Item>
          {form?.fields.map((field) => {
            const key = `${role}.${field.name}`;
            const isSet = saved?.secretsSet.includes(key) ?? false;
            return (
              <Form.Item
                key={key}
                label={t(`speech.field.${field.name}`)}
                required={field.required}
                extra={field.secret && isSet ? t('speech.secretSet') : undefined}
              >
                {field.secret ? (
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Input.Password
                      autoComplete="new-password"
                      value={current.secrets[field.name] ?? ''}
                      disabled={current.clear[field.name]}
                      onChange={(e) =>
                        update(role, { secrets: { ...current.secrets, [field.name]: e.target.value } })
                      }
                    />
                    {isSet && (
                      <Checkbox
                        checked={current.clear[field.name] ?? false}
                        onChange={(e) =>
                          update(role, { clear: { ...current.clear, [field.name]: e.target.checked } })
                        }
                      >
                        {t('speech.secretClear')}
                      </Checkbox>
                    )}
                  </Space>
                ) : field.options ? (
                  <Select
                    allowClear={!field.required}
                    value={
                      current.values[field.name] === undefined
                        ? undefined
                        : String(current.values[field.name])
                    }
                    options={field.options.map((o) => ({ value: o, label: o }))}
                    onChange={(value?: string) =>
                      update(role, { values: { ...current.values, [field.name]: value ?? '' } })
                    }
                  />
                ) : (
                  <Input
                    value={String(current.values[field.name] ?? '')}
                    placeholder={field.placeholder}
                    inputMode={field.kind === 'number' ? 'numeric' : undefined}
                    onChange={(e) =>
                      update(role, { values: { ...current.values, [field.name]: e.target.value } })
                    }
                  />
                )}
              </Form.Item>
            );
          })}
        </Form>
      </Card>
    );
  };

  return (
    <div className="zk-page">
      <Typography.Title level={3}>{t('speech.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('speech.intro')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          {roleCard('asr')}
        </Col>
        <Col xs={24} lg={12}>
          {roleCard('tts')}
        </Col>
      </Row>
      <Button type="primary" style={{ marginTop: 16 }} loading={saving} onClick={() => void save()}>
        {t('speech.save')}
      </Button>
      <Card title={`${t('speech.usage')} · ${t('speech.usage.range')}`} style={{ marginTop: 24 }}>
        {usage && (
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col span={4}>
              <Statistic title={t('speech.usage.calls')} value={usage.totals.calls} />
            </Col>
            <Col span={5}>
              <Statistic title={t('speech.usage.inbound')} value={usage.totals.inboundMinutes} />
            </Col>
            <Col span={5}>
              <Statistic title={t('speech.usage.outbound')} value={usage.totals.outboundMinutes} />
            </Col>
            <Col span={5}>
              <Statistic title={t('speech.usage.asr')} value={Math.round(usage.totals.asrSeconds)} />
            </Col>
            <Col span={5}>
              <Statistic title={t('speech.usage.tts')} value={usage.totals.ttsCharacters} />
            </Col>
          </Row>
        )}
        {chart && <EChart option={chart} height={240} testId="chart-voice-usage" />}
      </Card>
    </div>
  );
}
