/** The city's published figures over the last 30 days. */
import { useQuery } from '@tanstack/react-query';
import { Card, Grid, List, ProgressBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../src/api/client';

interface Stats {
  days: number;
  filed: number;
  closed: number;
  fromPublic: number;
  closeRate: number | null;
  onTimeRate: number | null;
  byCategory: Array<{ code: string; name: string; count: number }>;
  byDistrict: Array<{ code: string; name: string; count: number; closed: number }>;
  satisfaction: { ratings: number; average: number | null; satisfiedRate: number | null };
}

const pct = (x: number | null) => (x === null ? '—' : `${x}%`);

export function PublicStats() {
  const { t } = useTranslation('mobile');
  const stats = useQuery({
    queryKey: ['public', 'stats'],
    queryFn: () => api<Stats>('/public/stats', { query: { days: 30 } }),
  });
  const s = stats.data;
  if (!s) return null;
  const figures: Array<[string, string | number]> = [
    [t('stats.filed'), s.filed],
    [t('stats.closed'), s.closed],
    [t('stats.fromPublic'), s.fromPublic],
    [t('stats.closeRate'), pct(s.closeRate)],
    [t('stats.onTimeRate'), pct(s.onTimeRate)],
    [t('stats.satisfied'), pct(s.satisfaction.satisfiedRate)],
  ];
  const top = Math.max(1, ...s.byCategory.map((c) => c.count));
  return (
    <div data-testid="public-stats">
      <Card title={t('stats.title', { days: s.days })}>
        <Grid columns={3} gap={8}>
          {figures.map(([label, value]) => (
            <Grid.Item key={label} className="figure">
              <div className="figure-value">{value}</div>
              <div className="muted">{label}</div>
            </Grid.Item>
          ))}
        </Grid>
      </Card>
      <List header={t('stats.byCategory')}>
        {s.byCategory.slice(0, 10).map((c) => (
          <List.Item
            key={c.code}
            extra={c.count}
            description={<ProgressBar percent={(c.count / top) * 100} />}
          >
            {c.name}
          </List.Item>
        ))}
      </List>
      <List header={t('stats.byDistrict')}>
        {s.byDistrict.map((d) => (
          <List.Item key={d.code} extra={`${d.closed}/${d.count}`}>
            {d.name}
          </List.Item>
        ))}
      </List>
    </div>
  );
}
