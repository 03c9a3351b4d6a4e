import { useQuery } from '@tanstack/react-query';
import { Descriptions, Empty, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { CaseView } from '../../../api/types';
import { formatTime } from '../../../components/case/format';
import { LightDot } from '../../../components/case/LightDot';

interface Extension {
  amount?: number;
  unit?: string;
}

/**
 * The running time-limit step: the case's urgency and the level of the limit it runs on (with
 * the fallback when the standard has none for that level), the calendar, start (the dispatch
 * for a 处置 counted from it), deadline, light, suspension and extensions.
 */
export function ClockInfo({ clock, urgency }: { clock: CaseView['clock']; urgency: CaseView['urgency'] }) {
  const { t } = useTranslation('cases');
  const calendars = useQuery({
    queryKey: ['calendars'],
    queryFn: () => api<{ items: Array<{ id: string; name: string }> }>('/calendars'),
    staleTime: 10 * 60_000,
  });
  if (!clock?.startedAt)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noClock')} />;
  const extensions = clock.extensions as Extension[];
  const limit = clock.limit;
  const level = limit?.urgency;
  const calendarName = calendars.data?.items.find((c) => c.id === clock.calendarId)?.name ?? clock.calendarId;
  return (
    <Descriptions size="small" column={1} data-testid="case-clock">
      <Descriptions.Item label={t('detail.caseUrgency')}>
        <Tag
          color={urgency === 'emergency' ? 'red' : urgency === 'urgent' ? 'orange' : 'default'}
          data-testid="clock-urgency"
        >
          {t(`urgency.${urgency}`)}
        </Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('detail.step')}>{t(`step.${clock.step}`)}</Descriptions.Item>
      <Descriptions.Item label={t('detail.limit')}>
        <span data-testid="clock-limit">
          {limit ? `${limit.amount} ${t(`detail.limitUnits.${limit.unit}`)}` : '—'}
          {level ? ` · ${t('detail.limitLevel', { level: t(`urgency.${level}`) })}` : ''}
          {level && level !== urgency
            ? t('detail.limitFallback', { asked: t(`urgency.${urgency}`), level: t(`urgency.${level}`) })
            : ''}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('detail.calendar')}>
        <span data-testid="clock-calendar">{calendarName ?? '—'}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('detail.started')}>
        {formatTime(clock.startedAt)}
        {limit?.countedFrom === 'dispatch' ? (
          <span data-testid="clock-from-dispatch">（{t('detail.countedFromDispatch')}）</span>
        ) : null}
      </Descriptions.Item>
      <Descriptions.Item label={t('detail.deadline')}>
        {clock.deadline ? formatTime(clock.deadline) : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('table.deadline')}>
        <LightDot light={clock.light} deadline={clock.deadline} suspended={clock.suspended} />
      </Descriptions.Item>
      <Descriptions.Item label={t('detail.suspended')}>
        {clock.suspended ? t('detail.yes') : t('detail.no')}
      </Descriptions.Item>
      <Descriptions.Item label={t('detail.extensions')}>
        {extensions.length ? extensions.map((e) => `${e.amount ?? ''} ${e.unit ?? ''}`).join('，') : '—'}
      </Descriptions.Item>
    </Descriptions>
  );
}
