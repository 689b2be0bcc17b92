// The ruleset in force, loaded once per mount: the tabs show rule ids by their names from it.
import type { QualityRulesetView } from '@zhike/contracts';
import { useEffect, useState } from 'react';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function useQualityRuleset(version = 0): QualityRulesetView | null {
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [ruleset, setRuleset] = useState<QualityRulesetView | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    void version;
    api.getQualityRuleset(abort.signal).then(setRuleset, (error: unknown) => {
      if (!abort.signal.aborted) notifyError(error);
    });
    return () => abort.abort();
  }, [api, notifyError, version]);
  return ruleset;
}

/** The rule's name in the ruleset in force, else its name when scored, else its id. */
export const ruleNameOf = (ruleset: QualityRulesetView | null, ruleId: string, scoredAs?: string): string =>
  ruleset?.rules.find((r) => r.id === ruleId)?.name ?? scoredAs ?? ruleId;
