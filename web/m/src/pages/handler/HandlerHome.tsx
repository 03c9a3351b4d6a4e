import { EnvironmentOutline, SendOutline, UnorderedListOutline, UserOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { OutboxList } from '../../components/OutboxList';
import { TabLayout } from '../../components/TabLayout';
import { TaskList } from '../../components/TaskList';
import { useSession } from '../../lib/session';
import { useNewTaskCount } from '../../lib/tasks';
import { useOutbox } from '../../outbox/useOutbox';
import { MePage } from '../MePage';
import { TaskMap } from './TaskMap';

/** Dispatched cases of the department: 待签收 and 待处置. */
export const HANDLER_QUEUES = ['sign', 'handle'] as const;

export function HandlerHome() {
  const { t } = useTranslation('mobile');
  const { session } = useSession();
  const username = session?.user.username ?? '';
  const outbox = useOutbox(username);
  const waiting = outbox?.filter((i) => i.status !== 'sent').length ?? 0;
  const fresh = useNewTaskCount(HANDLER_QUEUES);
  return (
    <TabLayout
      title={t('app.handler')}
      base="/h"
      tabs={[
        { key: 'tasks', title: t('tab.cases'), icon: <UnorderedListOutline />, badge: fresh },
        { key: 'map', title: t('tab.map'), icon: <EnvironmentOutline /> },
        { key: 'outbox', title: t('tab.outbox'), icon: <SendOutline />, badge: waiting },
        { key: 'me', title: t('tab.me'), icon: <UserOutline /> },
      ]}
    >
      <Routes>
        <Route path="tasks" element={<TaskList queues={HANDLER_QUEUES} />} />
        <Route path="map" element={<TaskMap queues={HANDLER_QUEUES} />} />
        <Route path="outbox" element={<OutboxList owner={username} />} />
        <Route path="me" element={<MePage />} />
        <Route path="*" element={<Navigate to="tasks" replace />} />
      </Routes>
    </TabLayout>
  );
}
