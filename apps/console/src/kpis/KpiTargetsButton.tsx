// The dashboard's 设置目标: each KPI's target for this shop (rates in percent), the brief's beside it;
// emptying a field puts the brief's back. Managers only.
import type { KpiTargets, KpiTargetsBody } from '@zhike/contracts';
import { formatKpi, isRateKpi } from '@zhike/contracts/kpiFormat';
import { App, Button, Form, InputNumber, Modal, Typography } from 'antd';
import { useState } from 'react';
import type { MessageKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

type Key = KpiTargets['targets'][number]['key'];

export function KpiTargetsButton({ onSaved }: { onSaved: () => void }) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [targets, setTargets] = useState<KpiTargets | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<Record<Key, number | null>>();
  if (!can(session, 'bot.manage')) return null;

  const open = async () => {
    try {
      const current = await api.getKpiTargets();
      form.setFieldsValue(
        Object.fromEntries(
          current.targets.map((x) => [x.key, x.custom ? (isRateKpi(x.key) ? x.value * 100 : x.value) : null]),
        ) as Record<Key, number | null>,
      );
      setTargets(current);
    } catch (error) {
      notifyError(error);
    }
  };
  const save = async () => {
    if (!targets) return;
    const values = form.getFieldsValue();
    const body: Record<string, number | null> = {};
    for (const x of targets.targets) {
      const v = values[x.key];
      body[x.key] = v === null || v === undefined ? null : isRateKpi(x.key) ? v / 100 : v;
    }
    setSaving(true);
    try {
      await api.saveKpiTargets(body as KpiTargetsBody);
      void message.success(t('kpis.targets.saved'));
      setTargets(null);
      onSaved();
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Button onClick={() => void open()} data-testid="kpi-targets">
        {t('kpis.targets.button')}
      </Button>
      <Modal
        open={targets !== null}
        title={t('kpis.targets.title')}
        onCancel={() => setTargets(null)}
        onOk={() => void save()}
        confirmLoading={saving}
        okText={t('kpis.targets.save')}
      >
        <Typography.Paragraph type="secondary">{t('kpis.targets.intro')}</Typography.Paragraph>
        <Form form={form} layout="horizontal" labelCol={{ span: 12 }}>
          {targets?.targets.map((x) => (
            <Form.Item key={x.key} name={x.key} label={t(`kpis.key.${x.key}` as MessageKey)}>
              <InputNumber
                min={isRateKpi(x.key) ? 0 : x.key === 'csat' ? 1 : 0.1}
                max={isRateKpi(x.key) ? 100 : x.key === 'csat' ? 5 : undefined}
                step={isRateKpi(x.key) ? 1 : 0.1}
                placeholder={`${x.kind === 'max' ? '≤' : '≥'} ${formatKpi(x.key, x.default)}`}
                addonAfter={isRateKpi(x.key) ? '%' : undefined}
                style={{ width: 180 }}
              />
            </Form.Item>
          ))}
        </Form>
      </Modal>
    </>
  );
}
