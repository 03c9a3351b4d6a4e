import { useQueryClient } from '@tanstack/react-query';
import { Button, List, Switch, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../src/api/client';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useSession } from '../lib/session';
import { useErrorText, usePick } from '../lib/text';
import { useDuty } from './supervisor/SupervisorHome';

/** The user, on/off duty (supervisors: the track is recorded while on duty), language, logout. */
export function MePage() {
  const { t } = useTranslation('mobile');
  const pick = usePick();
  const errorText = useErrorText();
  const { session, logout } = useSession();
  const qc = useQueryClient();
  const isSupervisor = session?.user.role === 'supervisor';
  const duty = useDuty(isSupervisor);
  const [busy, setBusy] = useState(false);
  const setDuty = async (on: boolean) => {
    setBusy(true);
    try {
      await api('/patrol/duty', { body: { on } });
      await qc.invalidateQueries({ queryKey: ['patrol', 'duty'] });
      Toast.show({ content: on ? t('duty.started') : t('duty.ended'), icon: 'success' });
    } catch (err) {
      Toast.show({ content: errorText(err), icon: 'fail' });
    } finally {
      setBusy(false);
    }
  };
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
