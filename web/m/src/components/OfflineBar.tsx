import { NoticeBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useOnline } from '../outbox/useOutbox';

/** Says plainly that there is no signal and that work is kept on the phone until it returns. */
export function OfflineBar() {
  const { t } = useTranslation('mobile');
  const online = useOnline();
  if (online) return null;
  return <NoticeBar content={t('offline.bar')} color="alert" data-testid="offline-bar" />;
}
