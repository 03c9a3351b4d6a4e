/**
 * Tells administrators on every page when a calendar that keeps public holidays has none for
 * the current or next year (the bundled data ends with 2026): deadlines across those holidays
 * would be wrong until the State Council's notice is imported.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { useSession } from '../auth/session';

interface Coverage {
  gaps: Array<{ calendarId: string; calendarName: string; year: number; which: 'current' | 'next' }>;
}

export function HolidayBanner() {
  const { t } = useTranslation('admin');
  const { can } = useSession();
  const navigate = useNavigate();
  const allowed = can('calendar.write');
  const coverage = useQuery({
    queryKey: ['admin', 'holiday-coverage'],
    queryFn: () => api<Coverage>('/calendars/coverage/holidays'),
    enabled: allowed,
    staleTime: 10 * 60_000,
  });
  const gaps = coverage.data?.gaps ?? [];
  if (!allowed || gaps.length === 0) return null;
  const first = gaps[0];
  return (
    <Alert
      data-testid="holiday-banner"
      type={gaps.some((g) => g.which === 'current') ? 'error' : 'warning'}
      showIcon
      banner
      title={gaps
        .map((g) =>
          t(g.which === 'current' ? 'calendars.bannerCurrent' : 'calendars.bannerNext', {
            calendar: g.calendarName,
            year: g.year,
          }),
        )
        .join(' ')}
      action={
        <Button
          size="small"
          data-testid="holiday-banner-action"
          onClick={() => navigate(`/admin/calendars?id=${first?.calendarId}&import=${first?.year}`)}
        >
          {t('calendars.bannerAction')}
        </Button>
      }
    />
  );
}
