/** The request waiting for approval on a case (回退 / 延期 / 挂账 / 作废): who asked, when, why. */
import { useQuery } from '@tanstack/react-query';
import { Alert } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ROLE_NAMES } from '../../../../src/domain/access/permissions';
import { api } from '../../api/client';
import type { CaseEventView, CaseView } from '../../api/types';
import { pick } from '../../i18n';

export function PendingAlert({ caseData }: { caseData: CaseView }) {
  const { t } = useTranslation('work');
  const pending = caseData.pending;
  const events = useQuery({
    queryKey: ['work', 'case-events', caseData.id, caseData.version],
    queryFn: () => api<{ items: CaseEventView[] }>(`/cases/${caseData.id}/events`),
    enabled: pending !== null,
  });
  if (!pending) return null;
  const request = events.data?.items.findLast((e) => e.action === `${pending.kind}_request`);
  const details = (pending.details ?? {}) as { amount?: number; unit?: string };
  const lines = [
    request
      ? t('panel.pendingBy', {
          who: request.actor?.name ?? '-',
          role: pick(ROLE_NAMES[pending.requestedBy]),
          at: dayjs(request.at).format('YYYY-MM-DD HH:mm'),
        })
      : pick(ROLE_NAMES[pending.requestedBy]),
    request?.reason ? t('panel.pendingReason', { reason: request.reason }) : null,
    details.amount !== undefined && details.unit
      ? t('panel.pendingAmount', { amount: details.amount, unit: t(`unit.${details.unit}`) })
      : null,
  ].filter((l): l is string => !!l);
  return (
    <Alert
      data-testid="pending-request"
      type="warning"
      showIcon
      title={t('panel.pendingTitle', { kind: t(`requestKind.${pending.kind}`) })}
      description={lines.map((l) => <div key={l}>{l}</div>)}
      style={{ marginBottom: 12 }}
    />
  );
}
