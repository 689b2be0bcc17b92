// #/settings/translation (owners and admins): the translation provider (its fields come from the server,
// secrets write-only), the language agents work in, whether translation switches itself on for a
// foreign-language customer, the glossary of names never translated, and the last 30 days' usage.
import type { TranslationSettings, TranslationUsage } from '@zhike/contracts';
import { App, Button, Card, Col, Form, Input, Row, Select, Statistic, Switch, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { catalogues, type MessageKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { languageLabel } from './languageLabel.ts';

const AGENT_LANGUAGES = ['zh-Hans', 'zh-Hant', 'en', 'ja', 'ko', 'vi', 'th', 'ms', 'id', 'ru'];
const NONE = '';

type Values = Record<string, string>;

export function TranslationSettingsPage() {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [saved, setSaved] = useState<TranslationSettings | null>(null);
  const [provider, setProvider] = useState<string>(NONE);
  const [values, setValues] = useState<Values>({});
  const [agentLanguage, setAgentLanguage] = useState('zh-Hans');
  const [autoTranslate, setAutoTranslate] = useState(true);
  const [glossary, setGlossary] = useState('');
  const [usage, setUsage] = useState<TranslationUsage | null>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback((s: TranslationSettings) => {
    setSaved(s);
    const chosen = s.provider && typeof s.provider.provider === 'string' ? s.provider.provider : NONE;
    setProvider(chosen);
    setValues(
      Object.fromEntries(
        Object.entries(s.provider ?? {})
          .filter(([k, v]) => k !== 'provider' && v !== null)
          .map(([k, v]) => [k, String(v)]),
      ),
    );
    setAgentLanguage(s.agentLanguage);
    setAutoTranslate(s.autoTranslate);
    setGlossary(s.glossary.join('\n'));
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    api.getTranslationSettings(abort.signal).then(load, (error: unknown) => {
      if (!abort.signal.aborted) notifyError(error);
    });
    const to = dayjs();
    api
      .getTranslationUsage(
        { from: to.subtract(29, 'day').format('YYYY-MM-DD'), to: to.format('YYYY-MM-DD') },
        abort.signal,
      )
      .then(setUsage, (error: unknown) => {
        if (!abort.signal.aborted) notifyError(error);
      });
    return () => abort.abort();
  }, [api, notifyError, load]);

  if (!saved) return null;
  const fields = provider ? (saved.providers[provider] ?? []) : [];
  const save = async () => {
    setSaving(true);
    try {
      const record: Record<string, string | number> = { provider };
      for (const field of fields) {
        const value = values[field.name];
        if (value === undefined || value === '') continue;
        record[field.name] = field.type === 'integer' || field.type === 'number' ? Number(value) : value;
      }
      load(
        await api.saveTranslationSettings({
          provider: provider ? record : null,
          agentLanguage,
          autoTranslate,
          glossary: glossary
            .split('\n')
            .map((line) => line.trim())
            .filter((line) => line.length > 0),
        }),
      );
      void message.success(t('translation.saved'));
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };
  const total = (key: 'characters' | 'cachedCharacters' | 'requests') =>
    (usage?.days ?? []).reduce((sum, d) => sum + d[key], 0);

  return (
    <div className="zk-page" data-testid="translation-settings">
      <Typography.Title level={3}>{t('translation.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('translation.intro')}</Typography.Paragraph>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card>
            <Form layout="vertical" onFinish={save}>
              <Form.Item label={t('translation.provider')}>
                <Select
                  value={provider}
                  data-testid="translation-provider"
                  onChange={(next: string) => {
                    setProvider(next);
                    setValues({});
                  }}
                  options={[
                    { value: NONE, label: t('translation.provider.none') },
                    ...Object.keys(saved.providers).map((id) => ({
                      value: id,
                      label: t(`translation.provider.${id}` as MessageKey),
                    })),
                  ]}
                />
              </Form.Item>
              {fields.map((field) => {
                const isSet = saved.secretsSet.includes(field.name) && saved.provider?.provider === provider;
                const key = `translation.field.${field.name}`;
                // A field a newer server added before the console knew it shows its own name.
                const label = key in catalogues[locale] ? t(key as MessageKey) : field.name;
                const input = {
                  value: values[field.name] ?? '',
                  'data-testid': `translation-field-${field.name}`,
                };
                const change = (value: string) => setValues((prev) => ({ ...prev, [field.name]: value }));
                return (
                  <Form.Item
                    key={field.name}
                    label={label}
                    required={field.required && !isSet}
                    extra={field.secret && isSet ? t('translation.secretSet') : field.description}
                  >
                    {field.secret ? (
                      <Input.Password
                        autoComplete="new-password"
                        {...input}
                        onChange={(e) => change(e.target.value)}
                      />
                    ) : field.options ? (
                      <Select
                        allowClear={!field.required}
                        value={values[field.name] || undefined}
                        onChange={(v?: string) => change(v ?? '')}
                        options={field.options.map((o) => ({ value: o, label: o }))}
                      />
                    ) : (
                      <Input {...input} onChange={(e) => change(e.target.value)} />
                    )}
                  </Form.Item>
                );
              })}
              <Form.Item label={t('translation.agentLanguage')}>
                <Select
                  value={agentLanguage}
                  onChange={setAgentLanguage}
                  options={AGENT_LANGUAGES.map((tag) => ({ value: tag, label: languageLabel(tag, t) }))}
                />
              </Form.Item>
              <Form.Item label={t('translation.autoTranslate')}>
                <Switch checked={autoTranslate} onChange={setAutoTranslate} data-testid="translation-auto" />
              </Form.Item>
              <Form.Item label={t('translation.glossary')} extra={t('translation.glossaryHelp')}>
                <Input.TextArea
                  rows={4}
                  value={glossary}
                  onChange={(e) => setGlossary(e.target.value)}
                  data-testid="translation-glossary"
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="translation-save">
                {t('translation.save')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('translation.usage')}>
            <Row gutter={12}>
              <Col span={8}>
                <Statistic title={t('translation.usage.characters')} value={total('characters')} />
              </Col>
              <Col span={8}>
                <Statistic title={t('translation.usage.cached')} value={total('cachedCharacters')} />
              </Col>
              <Col span={8}>
                <Statistic title={t('translation.usage.requests')} value={total('requests')} />
              </Col>
            </Row>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
