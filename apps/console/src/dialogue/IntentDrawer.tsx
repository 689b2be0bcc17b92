// One intent in a drawer: its examples, and how the bot handles it (fixed reply, an action with a reply
// template, a form, or a hand-off with a reason), with the fields that kind needs.

import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { DialogueHandler, DialogueIntentView, DialogueView } from '@zhike/contracts';
import { Alert, Button, Drawer, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { FieldError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { IntentEdit } from './draft.ts';
import type { SaveOutcome } from './useDialogue.ts';

type HandlerType = DialogueHandler['type'];
type Action = Extract<DialogueHandler, { type: 'action' }>['action'];

interface Values {
  name: string;
  label: string;
  description: string;
  examples: string[];
  type: HandlerType;
  text: string;
  action: Action;
  reply: string;
  form: string;
  reason: string;
  priority: 'normal' | 'high';
}

const ACTIONS: Action[] = ['order.lookup', 'ticket.lookup', 'ticket.create', 'callback.create'];

function valuesOf(intent: DialogueIntentView | null, view: DialogueView): Values {
  const h = intent?.handler;
  return {
    name: intent?.name ?? '',
    label: intent?.label ?? '',
    description: intent?.description ?? '',
    examples: intent ? [...intent.examples] : ['', '', ''],
    type: h?.type ?? 'reply',
    text: h?.type === 'reply' ? h.text : '',
    action: h?.type === 'action' ? h.action : 'order.lookup',
    reply: h?.type === 'action' ? (h.reply ?? '') : '',
    form: h?.type === 'form' ? h.form : (view.forms[0]?.id ?? ''),
    reason: h?.type === 'handoff' ? h.reason : '',
    priority: h?.type === 'handoff' ? (h.priority ?? 'normal') : 'normal',
  };
}

function handlerOf(v: Values, previous: DialogueHandler | undefined): DialogueHandler {
  switch (v.type) {
    case 'reply':
      return { type: 'reply', text: v.text };
    case 'form':
      return { type: 'form', form: v.form };
    case 'handoff':
      return { type: 'handoff', reason: v.reason.trim(), priority: v.priority };
    case 'action': {
      // What the template's action also carried (slots to ask for, phone verification) stays with it.
      const kept = previous?.type === 'action' && previous.action === v.action ? previous : null;
      return {
        type: 'action',
        action: v.action,
        ...(kept?.slots
          ? { slots: kept.slots }
          : v.action === 'order.lookup'
            ? { slots: ['order_number'] }
            : {}),
        ...(kept?.verify ? { verify: kept.verify } : {}),
        ...(v.reply.trim() ? { reply: v.reply } : {}),
      };
    }
  }
}

export function IntentDrawer({
  open,
  intent,
  view,
  onClose,
  onSave,
}: {
  open: boolean;
  /** null: a new custom intent. */
  intent: DialogueIntentView | null;
  view: DialogueView;
  onClose: () => void;
  onSave: (edit: IntentEdit) => Promise<SaveOutcome>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<readonly FieldError[]>([]);
  const type = Form.useWatch('type', form);
  const action = Form.useWatch('action', form);
  const isNew = intent === null;

  useEffect(() => {
    if (!open) return;
    form.setFieldsValue(valuesOf(intent, view));
    setProblems([]);
  }, [open, intent, view, form]);

  const placeholders = [
    ...(view.actionPlaceholders[action ?? 'order.lookup'] ?? []),
    'customer.name',
    ...view.variables,
  ];
  const insert = (name: string) => {
    const field = type === 'reply' ? 'text' : 'reply';
    form.setFieldValue(field, `${form.getFieldValue(field) ?? ''}{{${name}}}`);
  };

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    const outcome = await onSave({
      name: isNew ? v.name : (intent?.name ?? v.name),
      // Fields the drawer does not show for this intent keep what it had.
      label: v.label ?? intent?.label ?? '',
      description: v.description ?? intent?.description ?? '',
      examples: v.examples ?? [],
      handler: handlerOf(v, intent?.handler),
    });
    setSaving(false);
    if (outcome.ok) onClose();
    else setProblems(outcome.problems ?? []);
  };

  const required = [{ required: true, whitespace: true, message: t('dialogue.required') }];
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size="large"
      title={isNew ? t('dialogue.drawer.new') : `${t('dialogue.drawer.edit')} · ${intent.name}`}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('dialogue.cancel')}</Button>
          <Button
            type="primary"
            loading={saving}
            onClick={() => void submit()}
            data-testid="dialogue-intent-save"
          >
            {t('dialogue.save')}
          </Button>
        </Space>
      }
    >
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('dialogue.invalid')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="dialogue-intent-problems">
              {problems.map((p) => (
                <li key={`${p.path}:${p.message}`}>
                  <code>{p.path.replace(/^body\/overrides/, '')}</code> {p.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Form form={form} layout="vertical" requiredMark={false}>
        {isNew && (
          <Form.Item
            name="name"
            label={t('dialogue.field.name')}
            extra={t('dialogue.field.nameHelp')}
            rules={[
              ...required,
              { pattern: /^[a-z][a-z0-9_]{1,47}$/, message: t('dialogue.field.nameHelp') },
            ]}
          >
            <Input data-testid="dialogue-intent-name" maxLength={48} />
          </Form.Item>
        )}
        {(isNew || intent?.origin === 'custom') && (
          <Form.Item name="label" label={t('dialogue.field.label')} extra={t('dialogue.field.labelHelp')}>
            <Input data-testid="dialogue-intent-label" maxLength={16} />
          </Form.Item>
        )}
        {isNew && (
          <Form.Item name="description" label={t('dialogue.field.description')}>
            <Input maxLength={200} />
          </Form.Item>
        )}
        <Typography.Text strong>{t('dialogue.field.examples')}</Typography.Text>
        <Form.List name="examples">
          {(fields, { add, remove }) => (
            <div style={{ marginTop: 8, marginBottom: 16 }} data-testid="dialogue-examples">
              {fields.map((field) => (
                <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item name={field.name} style={{ marginBottom: 8, width: 440 }}>
                    <Input maxLength={200} data-testid="dialogue-example" />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    onClick={() => remove(field.name)}
                    aria-label={t('dialogue.delete')}
                  />
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add('')}
                data-testid="dialogue-example-add"
              >
                {t('dialogue.field.addExample')}
              </Button>
            </div>
          )}
        </Form.List>
        <Form.Item name="type" label={t('dialogue.field.handlerType')}>
          <Select
            data-testid="dialogue-handler-type"
            options={(['reply', 'action', 'form', 'handoff'] as const).map((k) => ({
              value: k,
              label: t(`dialogue.handler.${k}`),
            }))}
          />
        </Form.Item>
        {type === 'reply' && (
          <Form.Item name="text" label={t('dialogue.field.replyText')} rules={required}>
            <Input.TextArea
              autoSize={{ minRows: 2, maxRows: 8 }}
              maxLength={4000}
              data-testid="dialogue-reply-text"
            />
          </Form.Item>
        )}
        {type === 'action' && (
          <>
            <Form.Item name="action" label={t('dialogue.field.action')}>
              <Select options={ACTIONS.map((a) => ({ value: a, label: t(`dialogue.action.${a}`) }))} />
            </Form.Item>
            <Form.Item name="reply" label={t('dialogue.field.actionReply')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={4000} />
            </Form.Item>
          </>
        )}
        {(type === 'action' || type === 'reply') && (
          <div style={{ marginTop: -8, marginBottom: 16 }} data-testid="dialogue-placeholders">
            <Typography.Text type="secondary">{t('dialogue.field.placeholders')}</Typography.Text>{' '}
            {(type === 'reply' ? ['customer.name', ...view.variables] : placeholders).map((p) => (
              <Tag key={p} style={{ cursor: 'pointer', marginBottom: 4 }} onClick={() => insert(p)}>
                {`{{${p}}}`}
              </Tag>
            ))}
          </div>
        )}
        {type === 'form' && (
          <Form.Item name="form" label={t('dialogue.field.form')} rules={required}>
            <Select options={view.forms.map((f) => ({ value: f.id, label: f.id }))} />
          </Form.Item>
        )}
        {type === 'handoff' && (
          <>
            <Form.Item
              name="reason"
              label={t('dialogue.field.reason')}
              extra={t('dialogue.field.reasonHelp')}
              rules={[
                ...required,
                { pattern: /^[a-z][a-z0-9_]{0,63}$/, message: t('dialogue.field.reasonHelp') },
              ]}
            >
              <Input maxLength={64} data-testid="dialogue-handoff-reason" />
            </Form.Item>
            <Form.Item name="priority" label={t('dialogue.field.priority')}>
              <Select
                options={(['normal', 'high'] as const).map((p) => ({
                  value: p,
                  label: t(`dialogue.priority.${p}`),
                }))}
              />
            </Form.Item>
          </>
        )}
        <Typography.Paragraph type="secondary">{t('dialogue.kbHint')}</Typography.Paragraph>
      </Form>
    </Drawer>
  );
}
