/**
 * A leader's phone home (领导移动端): the live numbers of the leader's area at a glance, and the
 * console's command view and evaluation, which work on a phone, one tap away.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Grid, List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api } from '../../../src/api/client';
import type { LiveCounts } from '../../../src/api/live';
import { useSession } from '../lib/session';

const POLL_MS = 30_000;

export function LeaderHome() {
  const { t } = useTranslation('mobile');
  const { session, logout } = useSession();
  const counts = useQuery({
    queryKey: ['leader', 'counts'],
    queryFn: () => api<LiveCounts>('/live/counts'),
    refetchInterval: POLL_MS,
  });
  const c = counts.data;
  const figure = (label: string, value: number | undefined, tone?: string) => (
    <Grid.Item>
      <div className="leader-figure">
        <div className="leader-figure-value" style={tone ? { color: tone } : undefined}>
          {value ?? '—'}
        </div>
        <div className="leader-figure-label">{label}</div>
      </div>
    </Grid.Item>
  );
  return (
    <div className="page" data-testid="leader-home">
      <Card title={t('leader.title', { name: session?.user.displayName ?? '' })}>
        <Grid columns={2} gap={12}>
          {figure(t('leader.open'), c?.open)}
          {figure(t('leader.overdue'), c?.overdue, '#ff4d4f')}
          {figure(t('leader.reportedToday'), c?.reportedToday)}
          {figure(t('leader.closedToday'), c?.closedToday)}
        </Grid>
        {c ? (
          <div className="leader-lights">
            {t('leader.lights', { red: c.byLight.red, yellow: c.byLight.yellow, green: c.byLight.green })}
          </div>
        ) : null}
      </Card>
      <List header={t('leader.more')}>
        <List.Item onClick={() => window.location.assign('/command')} arrowIcon>
          {t('leader.command')}
        </List.Item>
        <List.Item onClick={() => window.location.assign('/evaluation')} arrowIcon>
          {t('leader.evaluation')}
        </List.Item>
        <List.Item onClick={() => window.location.assign('/evaluation/stats')} arrowIcon>
          {t('leader.stats')}
        </List.Item>
      </List>
      <Button block onClick={() => void logout()} style={{ marginTop: 16 }}>
        {t('me.logout')}
      </Button>
    </div>
  );
}
