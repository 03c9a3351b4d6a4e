import { useQuery } from '@tanstack/react-query';
import { Image, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, mediaUrl } from '../../../api/client';
import type { CaseEventView } from '../../../api/types';
import { formatTime } from '../../../components/case/format';
import { pick } from '../../../i18n';

const COLORS: Record<string, string> = {
  report: 'blue',
  file: 'blue',
  dispatch: 'blue',
  feedback: 'green',
  check_pass: 'green',
  close: 'green',
  check_fail: 'red',
  reject: 'gray',
  overdue: 'red',
  urge: 'orange',
  camera_event: 'purple',
};

const CAMERA = {
  device: { zh: '设备', en: 'Device' },
  confidence: { zh: '置信度', en: 'Confidence' },
  repeats: { zh: '次', en: 'times' },
};

interface Payload {
  department?: { code: string; name: string };
  handler?: { id: number; name: string; department: { code: string; name: string } | null };
  clock?: { step: string; deadline: string | null };
  steps?: Array<{ step: string; late: boolean }>;
  extension?: { amount: number; unit: string };
  requested?: { amount: number; unit: string };
  mergedInto?: { id: number; number: string } | number;
  photos?: string[];
  source?: string;
  /** A camera AI repeat (camera_event): the device, the vendor's event and its snapshot. */
  device?: { id: string; name: string };
  event?: { code: string; label: string };
  confidence?: number;
  count?: number;
  snapshot?: string | null;
}

/** The payload fields an operator cares about: department, next deadline, late steps, extension. */
function PayloadLine({ payload }: { payload: Payload | null }) {
  const { t } = useTranslation('cases');
  if (!payload) return null;
  const parts = [];
  if (payload.source) parts.push(<Tag key="src">{t(`source.${payload.source}`)}</Tag>);
  if (payload.department) {
    parts.push(
      <span key="dep">
        {t('detail.payload.departmentName')}: {payload.department.name}
      </span>,
    );
  }
  if (payload.handler) {
    // 指派处置人员: who was assigned (the actor line above says who assigned him).
    parts.push(
      <span key="handler" data-testid="event-handler">
        {t('detail.payload.handlerId')}: {payload.handler.name}
        {payload.handler.department ? `（${payload.handler.department.name}）` : ''}
      </span>,
    );
  }
  for (const s of payload.steps ?? []) {
    if (s.late) {
      parts.push(
        <Tag key={`late-${s.step}`} color="red">
          {t(`step.${s.step}`)} {t('detail.payload.late')}
        </Tag>,
      );
    }
  }
  const ext = payload.extension ?? payload.requested;
  if (ext) {
    parts.push(
      <span key="ext">
        {t('detail.payload.amount')}: {ext.amount} {ext.unit}
      </span>,
    );
  }
  if (payload.clock?.deadline) {
    parts.push(
      <span key="clock">
        {t(`step.${payload.clock.step}`)} {t('detail.payload.deadline')} {formatTime(payload.clock.deadline)}
      </span>,
    );
  }
  if (payload.device) {
    parts.push(
      <span key="device" data-testid="event-camera">
        {payload.event?.label ? <Tag color="purple">{payload.event.label}</Tag> : null}
        {pick(CAMERA.device)}: {payload.device.name}（{payload.device.id}）
        {payload.confidence !== undefined ? ` · ${pick(CAMERA.confidence)} ${payload.confidence}` : ''}
        {payload.count && payload.count > 1 ? ` · ×${payload.count} ${pick(CAMERA.repeats)}` : ''}
      </span>,
    );
  }
  if (payload.snapshot) {
    parts.push(
      <Image
        key="snapshot"
        data-testid="event-snapshot"
        src={mediaUrl(payload.snapshot)}
        width={72}
        height={72}
        style={{ objectFit: 'cover', borderRadius: 4 }}
        alt=""
      />,
    );
  }
  if (payload.photos?.length && !payload.snapshot) {
    parts.push(
      <span key="photos">
        {t('detail.payload.photos')} ×{payload.photos.length}
      </span>,
    );
  }
  if (!parts.length) return null;
  return (
    <Space size={8} wrap style={{ fontSize: 12, color: '#666' }}>
      {parts}
    </Space>
  );
}

/** Every event of the case, oldest first (GET /cases/:id/events). */
export function CaseTimeline({ caseId, version }: { caseId: number; version: number }) {
  const { t, i18n } = useTranslation('cases');
  const events = useQuery({
    queryKey: ['cases', caseId, 'events', version],
    queryFn: () => api<{ items: CaseEventView[] }>(`/cases/${caseId}/events`),
  });
  if (events.isLoading) return <Spin />;
  return (
    <Timeline
      data-testid="case-timeline"
      items={(events.data?.items ?? []).map((e) => ({
        color: COLORS[e.action] ?? 'gray',
        content: (
          <div data-action={e.action}>
            <Space size={8} wrap>
              <Typography.Text strong>{pick(e.actionLabel, i18n.language) || e.action}</Typography.Text>
              <Typography.Text type="secondary">{formatTime(e.at)}</Typography.Text>
            </Space>
            <div style={{ fontSize: 12 }}>
              {e.actor ? e.actor.name : t('role.service')}
              {e.actorRole ? (
                <Typography.Text type="secondary">（{t(`role.${e.actorRole}`)}）</Typography.Text>
              ) : null}
            </div>
            {e.reason ? <div style={{ whiteSpace: 'pre-wrap' }}>{e.reason}</div> : null}
            <PayloadLine payload={e.payload as Payload | null} />
          </div>
        ),
      }))}
    />
  );
}
