import { useTranslation } from 'react-i18next';
import type { ErrorMessages } from '../../../src/api/client';
import { ApiError } from '../../../src/api/client';

/** A server label ({zh, en}) or error messages in the current language. */
export function usePick() {
  const { i18n } = useTranslation();
  return (label: ErrorMessages | null | undefined) =>
    label ? (i18n.language === 'en' ? label.en : label.zh) : '';
}

/** The text of any error: the server's message in the user's language, else a generic one. */
export function useErrorText() {
  const pick = usePick();
  const { t } = useTranslation('mobile');
  return (err: unknown) => (err instanceof ApiError ? pick(err.messages) : t('error.network'));
}

export function fmtTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}
