import { Button, List, Switch } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useDuty, useSetDuty } from '../lib/duty';
import { useSession } from '../lib/session';
import { usePick } from '../lib/text';

/** The user, on/off duty (supervisors: the track is recorded while on duty), language, logout. */
export function MePage() {
  const { t } = useTranslation('mobile');
  const pick = usePick();
  const { session, logout } = useSession();
  const isSupervisor = session?.user.role === 'supervisor';
  const duty = useDuty(isSupervisor);
  const { busy, setDuty } = useSetDuty();
  return (
    <>
      <List header={t('me.account')}>
        <List.Item extra={pick(session?.roleName)}>{session?.user.displayName}</List.Item>
        <List.Item extra={<LanguageSwitch />}>{t('me.language')}</List.Item>
      </List>
      {isSupervisor && (
        <List header={t('duty.header')}>
          <List.Item
            description={duty.data?.onDuty ? t('duty.trackOn') : t('duty.trackOff')}
            extra={
              <Switch
                data-testid="duty-switch"
                checked={duty.data?.onDuty === true}
                loading={busy || duty.isLoading}
                onChange={(on) => void setDuty(on)}
              />
            }
          >
            {duty.data?.onDuty ? t('duty.on') : t('duty.off')}
          </List.Item>
        </List>
      )}
      <div style={{ padding: 16 }}>
        <Button block color="danger" fill="outline" onClick={() => void logout()} data-testid="logout">
          {t('me.logout')}
        </Button>
      </div>
    </>
  );
}
