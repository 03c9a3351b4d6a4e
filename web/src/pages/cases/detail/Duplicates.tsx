import { useQuery } from '@tanstack/react-query';
import { Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../api/client';
import { formatTime } from '../../../components/case/format';

interface Duplicate {
  id: number;
  number: string;
  state: string;
  address: string;
  reportedAt: string;
  distanceM: number;
  hoursApart: number;
}

/** Open cases of the same 小类 nearby and close in time (GET /cases/:id/duplicates). */
export function Duplicates({ caseId }: { caseId: number }) {
  const { t } = useTranslation('cases');
  const q = useQuery({
    queryKey: ['cases', caseId, 'duplicates'],
    queryFn: () => api<{ items: Duplicate[] }>(`/cases/${caseId}/duplicates`),
  });
  if (q.isLoading) return <Spin size="small" />;
  const items = q.data?.items ?? [];
  if (!items.length) {
    return (
      <Typography.Text type="secondary" data-testid="case-duplicates">
        {t('detail.noDuplicates')}
      </Typography.Text>
    );
  }
  return (
    <div data-testid="case-duplicates">
      {items.map((d) => (
        <div key={d.id} style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}>
          <Link to={`/cases/${d.id}`}>{d.number}</Link>{' '}
          <Typography.Text type="secondary">{t(`state.${d.state}`)}</Typography.Text>
          <div style={{ fontSize: 12, color: '#666' }}>
            {d.address} · {t('intakeForm.distance', { m: d.distanceM })} · {formatTime(d.reportedAt)}
          </div>
        </div>
      ))}
    </div>
  );
}
