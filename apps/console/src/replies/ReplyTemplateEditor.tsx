// The canned reply editor: shortcut, title, text with variable buttons and a live preview marking each
// variable known or unknown, the intents it answers (the bot's), the compliance switch and its language.
// Problems the server finds come back with their field path and show under that field.
import type { ReplyTemplate, ReplyTemplateBody } from '@zhike/contracts';
import { Button, Drawer, Form, Input, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { bodySegments } from './text.ts';
import { useReplyOptions } from './useReplyOptions.ts';

type FormValues = ReplyTemplateBody;

const FIELDS = ['shortcut', 'title', 'body', 'intents', 'compliance', 'locale'] as const;

/** `body/intents/2` → the form field it names. */
function fieldOf(path: string): (typeof FIELDS)[number] | null {
  const name = path.replace(/^body\//, '').split('/')[0];
  return FIELDS.find((f) => f === name) ?? null;
}

type Props = {
  open: boolean;
  template: ReplyTemplate | null;
  defaultLocale: ReplyTemplateBody['locale'];
  onClose: () => void;
  onSave: (body: ReplyTemplateBody) => Promise<void>;
};

export function ReplyTemplateEditor({ open, template, defaultLocale, onClose, onSave }: Props) {
  const { t } = useI18n();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const options = useReplyOptions(open);
  const body = Form.useWatch('body', form) ?? '';
  const shortcut = Form.useWatch('shortcut', form) ?? '';
  const bodyInput = useRef<HTMLTextAreaElement | null>(null);
  const known = useMemo(() => new Set(options.variables.map((v) => v.key)), [options]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      template
        ? {
            shortcut: template.shortcut,
            title: template.title,
            body: template.body,
            intents: template.intents,
            compliance: template.compliance,
            locale: template.locale,
          }
        : { shortcut: '', title: '', body: '', intents: [], compliance: false, locale: defaultLocale },
    );
  }, [open, template, defaultLocale, form]);

  /** Puts `{{key}}` at the text's caret. */
  const insertVariable = (key: string) => {
    const current = (form.getFieldValue('body') as string | undefined) ?? '';
    const input = bodyInput.current;
    const at = input ? input.selectionStart : current.length;
    const token = `{{${key}}}`;
    form.setFieldValue('body', current.slice(0, at) + token + current.slice(input ? input.selectionEnd : at));
    setTimeout(() => {
      input?.focus();
      input?.setSelectionRange(at + token.length, at + token.length);
    }, 0);
  };

  const submit = async (values: FormValues) => {
    setSaving(true);
    try {
      await onSave({ ...values, intents: values.intents ?? [] });
    } catch (error) {
      const fields = (error instanceof ApiError ? error.fieldErrors : []).flatMap((p) => {
        const name = fieldOf(p.path);
        return name ? [{ name, errors: [p.message] }] : [];
      });
      if (fields.length > 0) form.setFields(fields);
      else notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={560}
      title={t(template ? 'replies.editor.edit' : 'replies.editor.new')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('replies.editor.cancel')}</Button>
          <Button
            type="primary"
            loading={saving}
            onClick={() => form.submit()}
            data-testid="reply-template-save"
          >
            {t('replies.editor.save')}
          </Button>
        </Space>
      }
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        data-testid="reply-template-form"
      >
        <Form.Item
          name="shortcut"
          label={t('replies.editor.shortcut')}
          extra={t('replies.editor.shortcutHelp', { example: shortcut.replace(/^\//, '') || 'refund' })}
          rules={[{ required: true, pattern: /^\/?[A-Za-z0-9_-]{1,32}$/ }]}
        >
          <Input addonBefore="/" maxLength={33} data-testid="reply-template-shortcut" />
        </Form.Item>
        <Form.Item name="title" label={t('replies.editor.title')} rules={[{ required: true, max: 80 }]}>
          <Input maxLength={80} data-testid="reply-template-title" />
        </Form.Item>
        <Form.Item name="body" label={t('replies.editor.body')} rules={[{ required: true, max: 2000 }]}>
          <Input.TextArea
            ref={(r) => {
              bodyInput.current = r?.resizableTextArea?.textArea ?? null;
            }}
            autoSize={{ minRows: 4, maxRows: 12 }}
            maxLength={2000}
            data-testid="reply-template-body"
          />
        </Form.Item>
        <div className="zk-reply-variables">
          <Typography.Text type="secondary">{t('replies.editor.variables')}</Typography.Text>
          <Space size={[4, 4]} wrap>
            {options.variables.map((v) => (
              <Tooltip key={v.key} title={v.label ?? undefined}>
                <Tag className="zk-clickable" color="blue" onClick={() => insertVariable(v.key)}>
                  {v.key}
                </Tag>
              </Tooltip>
            ))}
          </Space>
        </div>
        <div className="zk-reply-preview" data-testid="reply-template-preview">
          <Typography.Text type="secondary">{t('replies.editor.preview')}</Typography.Text>
          <div className="zk-reply-preview-text">
            {bodySegments(body, known).map((s, i) =>
              'text' in s ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity besides their place
                <span key={i}>{s.text}</span>
              ) : (
                <Tooltip
                  // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity besides their place
                  key={i}
                  title={s.known || known.size === 0 ? undefined : t('replies.editor.unknownVariable')}
                >
                  <Tag color={s.known || known.size === 0 ? 'blue' : 'red'}>{s.variable}</Tag>
                </Tooltip>
              ),
            )}
          </div>
        </div>
        <Form.Item name="intents" label={t('replies.editor.intents')}>
          <Select
            mode="multiple"
            allowClear
            optionFilterProp="label"
            options={options.intents.map((i) => ({ value: i.id, label: `${i.label} · ${i.id}` }))}
            data-testid="reply-template-intents"
          />
        </Form.Item>
        <Form.Item
          name="compliance"
          label={t('replies.editor.compliance')}
          extra={t('replies.editor.complianceHelp')}
          valuePropName="checked"
        >
          <Switch data-testid="reply-template-compliance" />
        </Form.Item>
        <Form.Item name="locale" label={t('replies.editor.locale')}>
          <Select
            options={(['zh-CN', 'en-US'] as const).map((l) => ({
              value: l,
              label: t(`replies.locale.${l}`),
            }))}
          />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
