/** 工作日历: a year view of holidays and make-up workdays (调休) per working calendar, editable. */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ButtonProps } from 'antd';
import { App, Button, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useSession } from '../../auth/session';
import { useShowError } from '../../components/errors';
import { ClockRules } from './ClockRules';
import { HolidayImport } from './HolidayImport';
import { AdminPage } from './shared';

interface Calendar {
  id: string;
  name: string;
  weeklyHours: Record<string, Array<[number, number]>>;
  holidays: string[];
  makeupWorkdays: string[];
  notes: Record<string, string>;
}

const MONTHS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
type DayKind = 'holiday' | 'makeup' | 'normal';
const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function Month({
  year,
  month,
  cal,
  onPick,
}: {
  year: number;
  month: number;
  cal: Calendar;
  onPick: (date: string) => void;
}) {
  const { t } = useTranslation('admin');
  const first = dayjs(new Date(year, month, 1));
  // Blank cells before the 1st are keyed by their weekday so no key is an array index.
  const blanks = Array.from({ length: first.day() }, (_, i) => `blank-${i}`);
  const days = Array.from({ length: first.daysInMonth() }, (_, i) =>
    first.add(i, 'day').format('YYYY-MM-DD'),
  );
  const weekdays = t('calendars.weekdays', { returnObjects: true }) as string[];
  return (
    <div className="cal-month">
      <div className="cal-month-title">{first.format('YYYY-MM')}</div>
      <div className="cal-grid">
        {weekdays.map((w) => (
          <div key={w} className="cal-head">
            {w}
          </div>
        ))}
        {blanks.map((b) => (
          <div key={b} />
        ))}
        {days.map((d) => {
          const kind = cal.holidays.includes(d)
            ? 'holiday'
            : cal.makeupWorkdays.includes(d)
              ? 'makeup'
              : null;
          const rest = !kind && !(cal.weeklyHours[String(dayjs(d).day())]?.length ?? 0);
          return (
            <button
              type="button"
              key={d}
              data-testid={`day-${d}`}
              title={cal.notes[d] ?? ''}
              className={`cal-day ${kind ? `cal-${kind}` : rest ? 'cal-rest' : ''}`}
              onClick={() => onPick(d)}
            >
              {Number(d.slice(8))}
            </button>
          );
        })}
      </div>
    </div>
  );
}

export function CalendarPage() {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const { can } = useSession();
  // The holiday banner links here with ?id=office&import=2027.
  const [params] = useSearchParams();
  const importYear = Number(params.get('import')) || null;
  const [id, setId] = useState(params.get('id') ?? 'office');
  const [year, setYear] = useState(importYear ?? dayjs().year());
  const [importing, setImporting] = useState(importYear !== null);
  const [picked, setPicked] = useState<string | null>(null);
  const [form] = Form.useForm<{ kind: DayKind; note?: string }>();
  const list = useQuery({
    queryKey: ['admin', 'calendars'],
    queryFn: () => api<{ items: Array<{ id: string; name: string }> }>('/calendars'),
  });
  const cal = useQuery({
    queryKey: ['admin', 'calendar', id],
    queryFn: () => api<Calendar>(`/calendars/${id}`),
  });

  const save = useMutation({
    mutationFn: ({ date, kind, note }: { date: string; kind: DayKind; note?: string }) => {
      const c = cal.data as Calendar;
      const inYear = (d: string) => d.startsWith(`${year}-`) && d !== date;
      const entry = (d: string) => ({ date: d, ...(c.notes[d] ? { note: c.notes[d] } : {}) });
      const mine = { date, ...(note?.trim() ? { note: note.trim() } : {}) };
      return api<Calendar>(`/calendars/${id}/years/${year}`, {
        method: 'PUT',
        body: {
          holidays: [...c.holidays.filter(inYear).map(entry), ...(kind === 'holiday' ? [mine] : [])],
          makeupWorkdays: [
            ...c.makeupWorkdays.filter(inYear).map(entry),
            ...(kind === 'makeup' ? [mine] : []),
          ],
        },
      });
    },
    onSuccess: (next) => {
      qc.setQueryData(['admin', 'calendar', id], next);
      void message.success(tc('state.saved'));
      setPicked(null);
    },
    onError: showError,
  });

  const open = (date: string) => {
    const c = cal.data;
    if (!c) return;
    const kind: DayKind = c.holidays.includes(date)
      ? 'holiday'
      : c.makeupWorkdays.includes(date)
        ? 'makeup'
        : 'normal';
    form.setFieldsValue({ kind, note: c.notes[date] ?? '' });
    setPicked(date);
  };
  const count = (days: string[] | undefined) => (days ?? []).filter((d) => d.startsWith(`${year}-`)).length;
  const weekdays = t('calendars.weekdays', { returnObjects: true }) as string[];

  return (
    <AdminPage
      title={t('menu.calendars')}
      extra={
        <Space>
          {can('calendar.write') ? (
            <Button size="small" data-testid="holiday-import-open" onClick={() => setImporting(true)}>
              {t('calendars.importHolidays')}
            </Button>
          ) : null}
          <Select
            size="small"
            data-testid="calendar-pick"
            style={{ width: 160 }}
            value={id}
            onChange={setId}
            options={(list.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
          <Select
            size="small"
            data-testid="year-pick"
            style={{ width: 90 }}
            value={year}
            onChange={setYear}
            options={Array.from({ length: 7 }, (_, i) => dayjs().year() - 3 + i).map((y) => ({
              value: y,
              label: y,
            }))}
          />
        </Space>
      }
    >
      {cal.data ? (
        <>
          <Space wrap size={[16, 4]} style={{ marginBottom: 8 }} data-testid="weekly-hours">
            <Typography.Text strong>{t('calendars.weeklyHours')}</Typography.Text>
            {[1, 2, 3, 4, 5, 6, 0].map((d) => (
              <Typography.Text key={d}>
                <Typography.Text type="secondary">{weekdays[d]} </Typography.Text>
                {cal.data.weeklyHours[String(d)]?.length
                  ? cal.data.weeklyHours[String(d)]?.map(([a, b]) => `${hhmm(a)}–${hhmm(b)}`).join(' ')
                  : t('calendars.none')}
              </Typography.Text>
            ))}
          </Space>
          <br />
          <Space style={{ marginBottom: 8 }} wrap>
            <Typography.Text data-testid="year-summary">
              {t('calendars.daysOfYear', {
                year,
                holidays: count(cal.data.holidays),
                makeup: count(cal.data.makeupWorkdays),
              })}
            </Typography.Text>
            <span className="cal-day cal-holiday cal-legend">{t('calendars.holiday')}</span>
            <span className="cal-day cal-makeup cal-legend">{t('calendars.makeup')}</span>
            <span className="cal-day cal-rest cal-legend">{t('calendars.restday')}</span>
            <Typography.Text type="secondary">{t('calendars.legend')}</Typography.Text>
          </Space>
          <div className="cal-year" data-testid="calendar-year">
            {MONTHS.map((m) => (
              <Month key={`${year}-${m}`} year={year} month={m} cal={cal.data} onPick={open} />
            ))}
          </div>
        </>
      ) : null}
      <ClockRules editable={can('calendar.write')} />
      {importing ? (
        <HolidayImport
          calendarId={id}
          open={importing}
          initialYear={importYear ?? dayjs().year() + 1}
          onClose={() => setImporting(false)}
          onImported={setYear}
        />
      ) : null}
      <Modal
        open={!!picked}
        title={picked}
        onCancel={() => setPicked(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        okButtonProps={{ 'data-testid': 'day-save' } as ButtonProps}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => picked && save.mutate({ date: picked, ...v })}
          data-testid="day-form"
        >
          <Form.Item name="kind" label={t('calendars.kind')}>
            <Radio.Group
              options={[
                { value: 'holiday', label: t('calendars.holiday') },
                { value: 'makeup', label: t('calendars.makeup') },
                { value: 'normal', label: t('calendars.normal') },
              ]}
            />
          </Form.Item>
          <Form.Item name="note" label={t('calendars.note')} rules={[{ max: 60 }]}>
            <Input autoFocus data-testid="day-note" onPressEnter={() => form.submit()} />
          </Form.Item>
        </Form>
      </Modal>
    </AdminPage>
  );
}
