// "回拨 / Call back": shown where an agent works with a customer who has a phone, when the workspace has
// an enabled voice inbox to call from and the agent may take calls. The softphone does the dialling.
import type { Customer } from '@zhike/contracts';
import { Button } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { type CallBackTarget, requestCallBack } from './callBackRequests.ts';

/** Whether the customer has a number to call (the server picks it; the console only sees it masked). */
export const hasPhone = (customer: Pick<Customer, 'phone' | 'identities'>): boolean =>
  customer.phone !== null || customer.identities.some((i) => i.channel === 'phone');

export function CallBackButton({
  customer,
  conversationId,
}: {
  customer: Pick<Customer, 'id' | 'phone' | 'identities'>;
  conversationId?: string;
}) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const [hasLine, setHasLine] = useState(false);
  const may =
    session.permissions.includes('calls.read') &&
    session.permissions.includes('conversations.reply') &&
    session.permissions.includes('inboxes.read');

  useEffect(() => {
    if (!may) return;
    let live = true;
    api.listInboxes().then(
      (list) => {
        if (live) setHasLine(list.inboxes.some((i) => i.channel === 'voice' && i.enabled));
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api, may]);

  if (!may || !hasLine || !hasPhone(customer)) return null;
  const target: CallBackTarget = conversationId ? { conversationId } : { customerId: customer.id };
  return (
    <Button size="small" onClick={() => requestCallBack(target)} data-testid="call-back">
      {t('softphone.callBack')}
    </Button>
  );
}
