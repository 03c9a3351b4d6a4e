import { useTranslation } from 'react-i18next';
import { setLanguage } from '../i18n';

export function LanguageSwitch() {
  const { i18n } = useTranslation();
  const next = i18n.language === 'en' ? 'zh' : 'en';
  return (
    <button type="button" className="link-button" aria-label="language" onClick={() => setLanguage(next)}>
      {next === 'en' ? 'EN' : '中文'}
    </button>
  );
}
