import { CheckShieldOutline, EditSOutline, FileOutline, SendOutline, UserOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { DutyChip } from '../../components/DutyChip';
import { OutboxList } from '../../components/OutboxList';
import { TabLayout } from '../../components/TabLayout';
import { useDuty } from '../../lib/duty';
import { usePatrolTrack } from '../../lib/patrol';
import { useSession } from '../../lib/session';
import { useOutbox } from '../../outbox/useOutbox';
import { MePage } from '../MePage';
import { MyReportsPage } from './MyReportsPage';
import { ReportPage } from './ReportPage';
import { TasksPage, useTaskNotice } from './TasksPage';

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
      right={<DutyChip />}
      tabs={[
        { key: 'report', title: t('tab.report'), icon: <EditSOutline /> },
        { key: 'tasks', title: t('tab.tasks'), icon: <CheckShieldOutline />, badge: newTasks },
        { key: 'mine', title: t('tab.mine'), icon: <FileOutline /> },
        { key: 'outbox', title: t('tab.outbox'), icon: <SendOutline />, badge: waiting },
        { key: 'me', title: t('tab.me'), icon: <UserOutline /> },
      ]}
    >
      <Routes>
        <Route path="report" element={<ReportPage />} />
        <Route path="tasks" element={<TasksPage />} />
        <Route path="mine" element={<MyReportsPage />} />
        <Route path="outbox" element={<OutboxList owner={username} />} />
        <Route path="me" element={<MePage />} />
        <Route path="*" element={<Navigate to="report" replace />} />
      </Routes>
    </TabLayout>
  );
}
