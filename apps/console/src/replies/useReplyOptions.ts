// What a template may name: the variables the server fills and the bot's intents, loaded when needed.
import type { ReplyTemplateOptions } from '@zhike/contracts';
import { useEffect, useState } from 'react';
import { useSignedIn } from '../session/SessionContext.tsx';

const none: ReplyTemplateOptions = { variables: [], intents: [] };

export function useReplyOptions(enabled = true): ReplyTemplateOptions {
  const { api } = useSignedIn();
  const [options, setOptions] = useState<ReplyTemplateOptions>(none);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    // Without them the editor still works; the server checks what is saved.
    api.replyTemplateOptions(controller.signal).then(setOptions, () => undefined);
    return () => controller.abort();
  }, [api, enabled]);
  return options;
}
