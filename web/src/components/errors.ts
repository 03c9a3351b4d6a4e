import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** Text of any thrown error in the current language (server errors carry zh + en). */
export function useErrorText(): (err: unknown) => string {
  const { i18n, t } = useTranslation();
  return (err) => {
    if (err instanceof ApiError) return i18n.language === 'en' ? err.messages.en : err.messages.zh;
    if (err instanceof Error) return err.message;
    return t('state.error');
  };
}

/** Shows a failed request as a toast; the form stays as it was so the user can correct it. */
export function useShowError(): (err: unknown) => void {
  const { message } = App.useApp();
  const text = useErrorText();
  return (err) => {
    void message.error(text(err));
  };
}
