import { useQuery } from '@tanstack/react-query';
import { CheckShieldOutline, EditSOutline, SendOutline, UserOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { api } from '../../../../src/api/client';
import { OutboxList } from '../../components/OutboxList';
import { TabLayout } from '../../components/TabLayout';
import { usePatrolTrack } from '../../lib/patrol';
import { useSession } from '../../lib/session';
import { useOutbox } from '../../outbox/useOutbox';
import { MePage } from '../MePage';
import { ReportPage } from './ReportPage';
import { TasksPage, useTaskNotice } from './TasksPage';

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

export function SupervisorHome() {
  const { t } = useTranslation('mobile');
  const { session } = useSession();
  const username = session?.user.username ?? '';
  const duty = useDuty(true);
  usePatrolTrack(username, duty.data?.onDuty === true);
  const outbox = useOutbox(username);
  const waiting = outbox?.filter((i) => i.status !== 'sent' && i.kind !== 'positions').length ?? 0;
  const newTasks = useTaskNotice();
  return (
    <TabLayout
      title={t('app.name')}
      base="/s"
      tabs={[
        { key: 'report', title: t('tab.report'), icon: <EditSOutline /> },
        { key: 'tasks', title: t('tab.tasks'), icon: <CheckShieldOutline />, badge: newTasks },
        { key: 'outbox', title: t('tab.outbox'), icon: <SendOutline />, badge: waiting },
        { key: 'me', title: t('tab.me'), icon: <UserOutline /> },
      ]}
    >
      <Routes>
        <Route path="report" element={<ReportPage />} />
        <Route path="tasks" element={<TasksPage />} />
        <Route path="outbox" element={<OutboxList owner={username} />} />
        <Route path="me" element={<MePage />} />
        <Route path="*" element={<Navigate to="report" replace />} />
      </Routes>
    </TabLayout>
  );
}
