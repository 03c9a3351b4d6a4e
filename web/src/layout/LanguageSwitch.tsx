import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      onClick={() => setLanguage(i18n.language === 'en' ? 'zh' : 'en')}
      aria-label="language"
    >
      {t('menu.language')}
    </Button>
  );
}
