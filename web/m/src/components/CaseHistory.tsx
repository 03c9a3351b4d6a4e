/** Every event of a case, newest first: who did what, when, and why (GET /cases/:id/events). */
import { useQuery } from '@tanstack/react-query';
import { Card, Steps } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api } from '../../../src/api/client';
import type { CaseEventView } from '../../../src/api/types';
import { fmtTime, usePick } from '../lib/text';

export function CaseHistory({ caseId, version }: { caseId: number; version: number }) {
  const { t, i18n } = useTranslation('mobile');
  const pick = usePick();
  const events = useQuery({
    queryKey: ['case', caseId, 'events', version],
    queryFn: () => api<{ items: CaseEventView[] }>(`/cases/${caseId}/events`),
  });
  const items = [...(events.data?.items ?? [])].reverse();
  if (items.length === 0) return null;
  return (
    <Card title={t('task.history')} data-testid="case-history">
      <Steps direction="vertical" current={-1}>
        {items.map((e) => (
          <Steps.Step
            key={e.seq}
            status={e.action === 'check_fail' ? 'error' : 'finish'}
            title={pick(e.actionLabel) || e.action}
            description={
              <div data-action={e.action}>
                <div>
                  {e.actor?.name ?? t('task.system')} · {fmtTime(e.at, i18n.language)}
                </div>
                {e.reason ? <div className="history-reason">{e.reason}</div> : null}
              </div>
            }
          />
        ))}
      </Steps>
    </Card>
  );
}
