// "Possibly the same customer": an identity this customer shares with another, unproven on one side.
// The agent merges the other customer into this one, or says they are different people.
import type { MergeSuggestion } from '@zhike/contracts';
import { App, Button, Card, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';

type Props = { customerId: string; onMerged: () => void };

export function MergeSuggestionCard({ customerId, onMerged }: Props) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const [suggestions, setSuggestions] = useState<MergeSuggestion[]>([]);
  const [busy, setBusy] = useState(false);
  const mayMerge = session.permissions.includes('customers.merge');

  useEffect(() => {
    const controller = new AbortController();
    api.mergeSuggestions(customerId, controller.signal).then(
      (list) => setSuggestions(list.suggestions),
      () => setSuggestions([]),
    );
    return () => controller.abort();
  }, [api, customerId]);

  const act = async (suggestion: MergeSuggestion, merge: boolean) => {
    setBusy(true);
    try {
      if (merge) {
        const other = suggestion.customer.id === customerId ? suggestion.candidate : suggestion.customer;
        await api.mergeCustomers(customerId, other.id);
        message.success(t('identity.suggestion.merged'));
        onMerged();
      } else {
        await api.dismissMergeSuggestion(suggestion.id);
        message.success(t('identity.suggestion.dismissed'));
      }
      setSuggestions((list) => list.filter((s) => s.id !== suggestion.id));
    } catch {
      message.error(t('identity.suggestion.failed'));
    } finally {
      setBusy(false);
    }
  };

  if (suggestions.length === 0) return null;
  return (
    <>
      {suggestions.map((s) => {
        const other = s.customer.id === customerId ? s.candidate : s.customer;
        const kind = ['phone', 'email', 'wechat', 'visitor', 'external'].includes(s.identityKind)
          ? t(`identity.channel.${s.identityKind as 'phone'}`)
          : s.identityKind;
        return (
          <Card
            key={s.id}
            size="small"
            className="zk-merge-suggestion"
            title={t('identity.suggestion.title')}
            data-testid="merge-suggestion"
          >
            <Typography.Paragraph>
              {t('identity.suggestion.body', {
                kind,
                count: String(other.conversationCount),
                name: other.name ?? other.identities[0]?.value ?? other.id.slice(-6),
              })}
            </Typography.Paragraph>
            {mayMerge && (
              <Space>
                <Button
                  type="primary"
                  size="small"
                  loading={busy}
                  onClick={() => act(s, true)}
                  data-testid="merge-confirm"
                >
                  {t('identity.suggestion.merge')}
                </Button>
                <Button
                  size="small"
                  disabled={busy}
                  onClick={() => act(s, false)}
                  data-testid="merge-dismiss"
                >
                  {t('identity.suggestion.notSame')}
                </Button>
              </Space>
            )}
          </Card>
        );
      })}
    </>
  );
}
