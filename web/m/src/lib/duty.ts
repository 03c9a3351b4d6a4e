/**
 * On/off duty of a supervisor (上岗 / 下岗): the patrol track is recorded while on duty. Shared by
 * the switch in the title bar and the one under 我的, so both always show the same state.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../src/api/client';
import { useErrorText } from './text';

export interface DutyState {
  onDuty: boolean;
}

export function useDuty(enabled: boolean) {
  return useQuery({
    queryKey: ['patrol', 'duty'],
    queryFn: () => api<DutyState>('/patrol/duty'),
    enabled,
    staleTime: 60_000,
  });
}

/** Sets duty on the server, then refreshes every view of it; a toast says what happened. */
export function useSetDuty() {
  const { t } = useTranslation('mobile');
  const errorText = useErrorText();
  const qc = useQueryClient();
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
  return { busy, setDuty };
}
