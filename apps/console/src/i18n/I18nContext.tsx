// The UI language: chosen by the user, remembered in localStorage, zh-CN unless told otherwise.
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import {
  catalogues,
  DEFAULT_LOCALE,
  isUiLocale,
  type MessageKey,
  type Translate,
  type TranslateVars,
  translate,
  type UiLocale,
} from './catalogue.ts';

const STORAGE_KEY = 'zhike.console.locale';

type I18nValue = { locale: UiLocale; t: Translate; setLocale: (locale: UiLocale) => void };

const I18nContext = createContext<I18nValue | null>(null);

function storedLocale(): UiLocale {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isUiLocale(value) ? value : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<UiLocale>(storedLocale);
  const setLocale = useCallback((next: UiLocale) => {
    setLocaleState(next);
    document.documentElement.lang = next;
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }, []);
  const value = useMemo<I18nValue>(() => {
    const messages = catalogues[locale];
    return {
      locale,
      setLocale,
      t: (key: MessageKey, vars?: TranslateVars) => translate(messages, key, vars),
    };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
