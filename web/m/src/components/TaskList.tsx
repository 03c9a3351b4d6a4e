import { Empty, List, NoticeBar, PullToRefresh, Tag } from 'antd-mobile';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { CaseView } from '../../../src/api/types';
import { markSeen, useTasks } from '../lib/tasks';
import { fmtTime, useErrorText, usePick } from '../lib/text';

const LIGHT = { green: 'success', yellow: 'warning', red: 'danger' } as const;

export function DeadlineTag({ c }: { c: CaseView }) {
  const { t, i18n } = useTranslation('mobile');
  if (!c.clock?.deadline) return null;
  return (
    <Tag color={c.clock.light ? LIGHT[c.clock.light] : 'default'} fill="outline">
      {t('task.deadline', { at: fmtTime(c.clock.deadline, i18n.language) })}
    </Tag>
  );
}

/** The tasks of the given queues, nearest deadline first; a notice when new ones arrived. */
export function TaskList({ queues }: { queues: readonly string[] }) {
  const { t } = useTranslation('mobile');
  const pick = usePick();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const tasks = useTasks(queues);
  const firstIds = useRef<Set<number> | null>(null);
  const ids = (tasks.data ?? []).map((c) => c.id);
  if (tasks.data && firstIds.current === null) firstIds.current = new Set(ids);
  const arrived = tasks.data ? ids.filter((id) => !firstIds.current?.has(id)).length : 0;
  useEffect(() => {
    if (tasks.data) markSeen(tasks.data.map((c) => c.id));
  }, [tasks.data]);
  return (
    <PullToRefresh onRefresh={async () => void (await tasks.refetch())}>
      {arrived > 0 && (
        <NoticeBar content={t('task.arrived', { n: arrived })} color="info" data-testid="task-notice" />
      )}
      {tasks.isError && <NoticeBar content={errorText(tasks.error)} color="alert" />}
      {tasks.data && tasks.data.length === 0 && <Empty description={t('task.none')} />}
      <List data-testid="task-list">
        {(tasks.data ?? []).map((c) => (
          <List.Item
            key={c.id}
            data-testid="task-item"
            data-case={c.id}
            onClick={() => navigate(`/case/${c.id}`)}
            description={
              <>
                <div>{c.address}</div>
                <div className="clamp">{c.description}</div>
              </>
            }
            extra={<DeadlineTag c={c} />}
          >
            <Tag color="primary">{pick(c.queueLabel)}</Tag>{' '}
            {c.state === 'handling' && (c.counters.rework ?? 0) > 0 && (
              <Tag color="danger" data-testid="task-rework">
                {t('task.rework')}
              </Tag>
            )}{' '}
            {c.category.name}
          </List.Item>
        ))}
      </List>
    </PullToRefresh>
  );
}
