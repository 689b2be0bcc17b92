// Points out the `{{variables}}` still in the draft (the reply preview leaves what it cannot fill), so
// the agent completes them instead of sending a hole.
import { WarningOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { unfilledVariables } from './text.ts';

export function UnfilledVariables({ text }: { text: string }) {
  const { t } = useI18n();
  const names = unfilledVariables(text);
  if (names.length === 0) return null;
  return (
    <Tag
      icon={<WarningOutlined />}
      color="warning"
      className="zk-reply-unfilled"
      data-testid="reply-unfilled"
    >
      {t('replies.unfilled', { names: names.map((n) => `{{${n}}}`).join('、') })}
    </Tag>
  );
}
