import { RobotOutlined } from '@ant-design/icons';
import type { Message } from '@zhike/contracts';
import { Tooltip } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';

/** Under a bot answer: the knowledge-base entries it came from, and whether an LLM wrote it. */
export function MessageSources({ message }: { message: Message }) {
  const { t } = useI18n();
  const sources = message.sources ?? [];
  if (sources.length === 0) return null;
  return (
    <div className="zk-msg-sources" data-testid="message-sources">
      {message.generatedBy === 'llm' && (
        <Tooltip title={t('sources.generatedHint')}>
          <span className="zk-msg-generated" data-testid="message-generated">
            <RobotOutlined /> {t('sources.generated')}
          </span>
        </Tooltip>
      )}
      <span>{t('sources.label')}</span>
      {sources.map((s, i) => (
        <span key={s.id} data-testid="message-source" data-source-id={s.id}>
          {i > 0 && ' · '}[{t(s.kind === 'faq' ? 'sources.faq' : 'sources.article')}] {s.title}
        </span>
      ))}
    </div>
  );
}
