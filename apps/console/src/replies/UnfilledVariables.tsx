// Points out the `{{variables}}` still in the draft: those the reply preview could not fill, for the
// agent to complete instead of sending a hole; and the customer's name, which the server fills on send
// (agents see it masked), as a note rather than a warning.
import { InfoCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { FILLED_ON_SEND } from '@zhike/contracts/protocol';
import { Space, Tag } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { unfilledVariables } from './text.ts';

const braces = (names: string[]) => names.map((n) => `{{${n}}}`).join('、');

export function UnfilledVariables({ text }: { text: string }) {
  const { t } = useI18n();
  const all = unfilledVariables(text);
  const onSend = all.filter((n) => FILLED_ON_SEND.includes(n));
  const missing = all.filter((n) => !FILLED_ON_SEND.includes(n));
  if (all.length === 0) return null;
  return (
    <Space size={4} wrap className="zk-reply-unfilled">
      {missing.length > 0 && (
        <Tag icon={<WarningOutlined />} color="warning" data-testid="reply-unfilled">
          {t('replies.unfilled', { names: braces(missing) })}
        </Tag>
      )}
      {onSend.length > 0 && (
        <Tag icon={<InfoCircleOutlined />} color="processing" data-testid="reply-filled-on-send">
          {t('replies.filledOnSend', { names: braces(onSend) })}
        </Tag>
      )}
    </Space>
  );
}
