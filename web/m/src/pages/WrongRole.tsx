import { Button, ErrorBlock } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useSession } from '../lib/session';

/** Center staff (intake, dispatcher …) work in the console; the phone app is for field work. */
export function WrongRole() {
  const { t } = useTranslation('mobile');
  const { logout } = useSession();
  return (
    <div className="page center-fill">
      <ErrorBlock status="default" title={t('wrongRole.title')} description={t('wrongRole.text')} />
      <a href="/">{t('wrongRole.console')}</a>
      <Button onClick={() => void logout()} style={{ marginTop: 16 }}>
        {t('me.logout')}
      </Button>
    </div>
  );
}
