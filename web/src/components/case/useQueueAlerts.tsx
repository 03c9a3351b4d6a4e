/**
 * New tasks pushed, not polled: the live stream (GET /live/stream) announces every visible case
 * change; the queue lists refresh at once, and a case that enters one of the role's queues
 * (by someone else's hand) raises an alert with a link to it. While the stream is down the
 * workspace falls back to polling.
 */
import { App, Button } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type Queue, queueOf } from '../../../../src/domain/workflow/queues';
import type { CaseState } from '../../../../src/domain/workflow/states';
import type { LiveCaseEvent } from '../../api/live';
import { actedOnRecently } from '../actions/act';

/** Actions that leave a request waiting for approval (待审批) without changing the state. */
const REQUESTS = ['return_request', 'extend_request', 'suspend_request', 'void_request'];

export function queueOfEvent(e: LiveCaseEvent): Queue | null {
  if (e.action && REQUESTS.includes(e.action)) return 'approve';
  return queueOf(e.status as CaseState, null);
}

export function useQueueAlerts(queues: readonly Queue[], onChange: () => void): { live: boolean } {
  const { t } = useTranslation('cases');
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const [live, setLive] = useState(false);
  // The latest callbacks, without reopening the stream on every render.
  const latest = useRef({ queues, onChange, t, notification, navigate });
  latest.current = { queues, onChange, t, notification, navigate };

  useEffect(() => {
    const source = new EventSource('/api/v1/live/stream');
    source.addEventListener('counts', () => setLive(true));
    source.addEventListener('case', (msg) => {
      const e = JSON.parse((msg as MessageEvent<string>).data) as LiveCaseEvent;
      const { queues: mine, onChange: changed, t: tr, notification: n, navigate: go } = latest.current;
      changed();
      const queue = queueOfEvent(e);
      if (!queue || !mine.includes(queue) || actedOnRecently(e.id)) return;
      n.info({
        key: `new-task-${e.id}`,
        title: tr('alert.title'),
        description: tr('alert.body', { number: e.number, queue: tr(`queue.${queue}`) }),
        actions: (
          <Button size="small" type="primary" onClick={() => go(`/cases/${e.id}`)}>
            {tr('alert.open')}
          </Button>
        ),
        placement: 'bottomRight',
        duration: 8,
      });
    });
    source.addEventListener('end', () => {
      source.close();
      setLive(false);
    });
    source.onerror = () => setLive(false);
    return () => source.close();
  }, []);

  return { live };
}
