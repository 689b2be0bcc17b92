// The rule editor: name, on/off, a condition builder (one row per condition, all must hold) and the
// action builder (bot, a queue from the picker, or no change; priority band; tags; notify supervisors).
// Problems the server finds come back with their field path and show under that field.
import type { RoutingRule, RoutingRuleBody } from '@zhike/contracts';
import { Button, Checkbox, Drawer, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { CONDITION_KINDS, type ConditionRow, fromRow, toRow, widgetOf } from './conditions.ts';
import { useQueueNames } from './useQueueNames.ts';

type TargetKind = 'none' | 'bot' | 'queue';

interface FormValues {
  name: string;
  enabled: boolean;
  conditions: ConditionRow[];
  target: TargetKind;
  queueId?: string;
  priority: string;
  tags: string[];
  notifySupervisors: boolean;
}

/** Queues of the industry templates, by key, until the workspace's own queues are listed here. */
export const QUEUE_KEYS = ['general', 'complaints', 'vip'] as const;

const toValues = (rule: RoutingRule | null): FormValues => ({
  name: rule?.name ?? '',
  enabled: rule?.enabled ?? true,
  conditions: rule?.conditions.map(toRow) ?? [],
  target: rule?.actions.target?.kind ?? 'queue',
  ...(rule?.actions.target?.kind === 'queue'
    ? { queueId: rule.actions.target.queueId }
    : { queueId: 'general' }),
  priority: rule?.actions.priority ?? 'auto',
  tags: rule?.actions.tags ?? [],
  notifySupervisors: rule?.actions.notify?.supervisors ?? false,
});

const toBody = (v: FormValues, rule: RoutingRule | null): RoutingRuleBody => ({
  name: v.name.trim(),
  enabled: v.enabled,
  conditions: (v.conditions ?? []).map(fromRow),
  actions: {
    target:
      v.target === 'bot'
        ? { kind: 'bot' }
        : v.target === 'queue'
          ? { kind: 'queue', queueId: v.queueId ?? '' }
          : null,
    priority: v.priority === 'auto' ? null : (v.priority as RoutingRuleBody['actions']['priority']),
    tags: v.tags ?? [],
    // Named users stay as they were; the editor sets the supervisors switch.
    notify:
      v.notifySupervisors || (rule?.actions.notify?.userIds.length ?? 0) > 0
        ? { userIds: rule?.actions.notify?.userIds ?? [], supervisors: v.notifySupervisors }
        : null,
  },
});

/** `body/conditions/1/values` → the form field it names. */
function fieldOf(path: string): (string | number)[] | null {
  const parts = path.replace(/^body\//, '').split('/');
  if (parts[0] === 'name') return ['name'];
  if (parts[0] === 'conditions' && parts[1] !== undefined) return ['conditions', Number(parts[1]), 'values'];
  if (parts[0] === 'actions' && parts[1] === 'target') return ['queueId'];
  if (parts[0] === 'actions' && parts[1] === 'tags') return ['tags'];
  if (parts[0] === 'actions') return ['notifySupervisors'];
  return null;
}

/**
 * What an intent condition can name: the bot's dialogue intents (by name) and the knowledge base's FAQ
 * entries (`faq:<id>`, shown by question). Either list may be out of reach for the role; the field
 * then takes typed values only.
 */
function useIntentOptions(open: boolean): { value: string; label: string }[] {
  const { api } = useSignedIn();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    void Promise.all([
      api.getDialogue(controller.signal).then(
        // The label names the intent; the id stays beside it, since rules are matched on it.
        (d) =>
          d.intents.map((i) => ({
            value: i.name,
            label: i.label ? `${i.label} · ${i.name}` : `${i.name} · ${i.examples[0] ?? ''}`,
          })),
        () => [],
      ),
      api.listFaqs({}, controller.signal).then(
        (f) => f.faqs.map((q) => ({ value: `faq:${q.id}`, label: q.question })),
        () => [],
      ),
    ]).then(([intents, faqs]) => {
      if (!controller.signal.aborted) setOptions([...intents, ...faqs]);
    });
    return () => controller.abort();
  }, [api, open]);
  return options;
}

type Props = {
  open: boolean;
  rule: RoutingRule | null;
  onClose: () => void;
  onSave: (body: RoutingRuleBody) => Promise<void>;
};

export function RuleEditor({ open, rule, onClose, onSave }: Props) {
  const { t } = useI18n();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const target = Form.useWatch('target', form);
  const intentOptions = useIntentOptions(open);
  const queues = useQueueNames();

  useEffect(() => {
    if (open) form.setFieldsValue(toValues(rule));
  }, [open, rule, form]);

  const submit = async (values: FormValues) => {
    setSaving(true);
    try {
      await onSave(toBody(values, rule));
    } catch (error) {
      const problems = error instanceof ApiError ? error.fieldErrors : [];
      const fields = problems.flatMap((p) => {
        const name = fieldOf(p.path);
        return name ? [{ name, errors: [p.message] }] : [];
      });
      if (fields.length > 0) form.setFields(fields as Parameters<typeof form.setFields>[0]);
      else notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  const valueWidget = (index: number, kind: ConditionRow['kind']) => {
    switch (widgetOf(kind)) {
      case 'share':
        return (
          <Form.Item name={[index, 'share']} noStyle initialValue={0.5}>
            <InputNumber
              min={0}
              max={1}
              step={0.05}
              style={{ width: 120 }}
              data-testid="routing-cond-share"
            />
          </Form.Item>
        );
      case 'boolean':
        return (
          <Form.Item name={[index, 'flag']} noStyle initialValue={true}>
            <Select
              style={{ width: 120 }}
              options={[
                { value: true, label: t('routing.yes') },
                { value: false, label: t('routing.no') },
              ]}
            />
          </Form.Item>
        );
      case 'urgency':
        return (
          <Form.Item name={[index, 'choice']} noStyle initialValue="high">
            <Select
              style={{ width: 160 }}
              options={(['low', 'normal', 'high', 'critical'] as const).map((v) => ({
                value: v,
                label: t(`routing.urgency.${v}`),
              }))}
            />
          </Form.Item>
        );
      case 'hours':
        return (
          <Form.Item name={[index, 'choice']} noStyle initialValue="within">
            <Select
              style={{ width: 180 }}
              options={[
                { value: 'within', label: t('routing.within') },
                { value: 'outside', label: t('routing.outside') },
              ]}
            />
          </Form.Item>
        );
      case 'sentiment':
      case 'tier': {
        const options: { value: string; label: string }[] =
          widgetOf(kind) === 'tier'
            ? (['vip', 'regular', 'new'] as const).map((v) => ({ value: v, label: t(`routing.tier.${v}`) }))
            : (['negative', 'neutral', 'positive'] as const).map((v) => ({
                value: v,
                label: t(`routing.sentiment.${v}`),
              }));
        return (
          <Form.Item name={[index, 'values']} noStyle>
            <Select
              mode="multiple"
              style={{ minWidth: 200 }}
              options={options}
              data-testid="routing-cond-choices"
            />
          </Form.Item>
        );
      }
      case 'tags':
        if (kind === 'intent_in' || kind === 'intent_not_in')
          return (
            <Form.Item name={[index, 'values']} noStyle>
              <Select
                mode="tags"
                showSearch
                optionFilterProp="label"
                style={{ minWidth: 320 }}
                placeholder={t('routing.valuesHint')}
                options={intentOptions}
                data-testid="routing-cond-values"
              />
            </Form.Item>
          );
        return (
          <Form.Item name={[index, 'values']} noStyle>
            <Select
              mode="tags"
              style={{ minWidth: 240 }}
              placeholder={t('routing.valuesHint')}
              tokenSeparators={[',', '，']}
              data-testid="routing-cond-values"
            />
          </Form.Item>
        );
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size="large"
      title={t(rule ? 'routing.editor.edit' : 'routing.editor.new')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('routing.editor.cancel')}</Button>
          <Button
            type="primary"
            loading={saving}
            onClick={() => form.submit()}
            data-testid="routing-rule-save"
          >
            {t('routing.editor.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false}>
        <Form.Item
          name="name"
          label={t('routing.editor.name')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={100} data-testid="routing-rule-name" />
        </Form.Item>
        <Form.Item name="enabled" label={t('routing.editor.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item label={t('routing.editor.conditions')}>
          <Form.List name="conditions">
            {(fields, { add, remove }) => (
              <div className="zk-routing-conditions">
                {fields.map((field) => (
                  <Space
                    key={field.key}
                    align="start"
                    wrap
                    style={{ marginBottom: 8 }}
                    data-testid="routing-condition"
                  >
                    <Form.Item name={[field.name, 'kind']} noStyle>
                      <Select
                        style={{ width: 180 }}
                        options={CONDITION_KINDS.map((k) => ({ value: k.kind, label: t(k.label) }))}
                        data-testid="routing-cond-kind"
                      />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() => valueWidget(field.name, form.getFieldValue(['conditions', field.name, 'kind']))}
                    </Form.Item>
                    <Button onClick={() => remove(field.name)}>{t('routing.delete')}</Button>
                  </Space>
                ))}
                <Button
                  onClick={() => add({ kind: 'intent_in', values: [] })}
                  data-testid="routing-add-condition"
                >
                  {t('routing.editor.addCondition')}
                </Button>
              </div>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="target" label={t('routing.editor.target')}>
          <Select
            data-testid="routing-target"
            options={[
              { value: 'queue', label: t('routing.target.queue') },
              { value: 'bot', label: t('routing.target.bot') },
              { value: 'none', label: t('routing.target.none') },
            ]}
          />
        </Form.Item>
        {target === 'queue' && (
          <Form.Item name="queueId" label={t('routing.editor.queue')} rules={[{ required: true }]}>
            <Select
              data-testid="routing-queue"
              options={
                queues.length > 0
                  ? queues.map((q) => ({ value: q.id, label: q.name }))
                  : QUEUE_KEYS.map((k) => ({ value: k, label: t(`routing.queue.${k}`) }))
              }
            />
          </Form.Item>
        )}
        <Form.Item name="priority" label={t('routing.editor.priority')}>
          <Select
            data-testid="routing-priority"
            options={[
              { value: 'auto', label: t('routing.editor.priorityAuto') },
              ...(['urgent', 'high', 'normal', 'low'] as const).map((p) => ({
                value: p,
                label: t(`routing.priority.${p}`),
              })),
            ]}
          />
        </Form.Item>
        <Form.Item name="tags" label={t('routing.editor.tags')}>
          <Select mode="tags" tokenSeparators={[',', '，']} placeholder={t('routing.valuesHint')} />
        </Form.Item>
        <Form.Item name="notifySupervisors" valuePropName="checked">
          <Checkbox>{t('routing.editor.notifySupervisors')}</Checkbox>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
