/** One case: what, where, who, the clock, photos, the whole timeline, and what I may do now. */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  type DescriptionsProps,
  Image,
  Result,
  Row,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, mediaUrl } from '../../api/client';
import type { CaseView } from '../../api/types';
import { ActionPanel } from '../../components/actions/ActionPanel';
import { CasePhotos } from '../../components/case/CasePhotos';
import { formatTime } from '../../components/case/format';
import { LightDot } from '../../components/case/LightDot';
import { StateTag } from '../../components/case/StateTag';
import { useErrorText } from '../../components/errors';
import { pick } from '../../i18n';
import { CaseLocationMap } from './detail/CaseLocationMap';
import { CaseTimeline } from './detail/CaseTimeline';
import { ClockInfo } from './detail/ClockInfo';
import { Duplicates } from './detail/Duplicates';

interface CreatedState {
  created?: { number: string; duplicates: Array<{ id: number; number: string; distanceM: number }> };
}

const URGENCY_COLORS = { normal: 'default', urgent: 'orange', emergency: 'red' } as const;

function useDivisionNames() {
  const q = useQuery({
    queryKey: ['divisions'],
    queryFn: () => api<{ items: Array<{ code: string; name: string }> }>('/divisions'),
    staleTime: 10 * 60_000,
  });
  return useMemo(() => new Map((q.data?.items ?? []).map((d) => [d.code, d.name])), [q.data]);
}

/** Shown once after 受理登记: the new number and any possible duplicates, with links. */
function CreatedNotice({ created }: { created: NonNullable<CreatedState['created']> }) {
  const { t } = useTranslation('cases');
  return (
    <Alert
      type={created.duplicates.length ? 'warning' : 'success'}
      showIcon
      data-testid="created-notice"
      title={t('intakeForm.success', { number: created.number })}
      description={
        created.duplicates.length ? (
          <div>
            <div>
              {t('intakeForm.duplicates', { count: created.duplicates.length })} —{' '}
              {t('intakeForm.duplicatesHint')}
            </div>
            <Space wrap>
              {created.duplicates.map((d) => (
                <Link key={d.id} to={`/cases/${d.id}`}>
                  {d.number}（{t('intakeForm.distance', { m: d.distanceM })}）
                </Link>
              ))}
            </Space>
          </div>
        ) : undefined
      }
    />
  );
}

/** 返工: why the case came back from 核查, with the checker's photos, while it is being reworked. */
function ReworkNotice({ rework }: { rework: NonNullable<CaseView['rework']> }) {
  const { t } = useTranslation('cases');
  return (
    <Alert
      type="error"
      showIcon
      data-testid="case-rework"
      title={t('detail.rework.title')}
      description={
        <Space orientation="vertical" size={6}>
          {rework.reason ? <span style={{ whiteSpace: 'pre-wrap' }}>{rework.reason}</span> : null}
          <Typography.Text type="secondary">
            {t('detail.rework.by', {
              name: rework.by.name ?? '—',
              role: rework.by.role ? t(`role.${rework.by.role}`) : '',
              at: formatTime(rework.at),
            })}
          </Typography.Text>
          {rework.photos.length ? (
            <Image.PreviewGroup>
              <Space wrap>
                {rework.photos.map((sha) => (
                  <Image
                    key={sha}
                    src={mediaUrl(sha)}
                    width={72}
                    height={72}
                    style={{ objectFit: 'cover', borderRadius: 4 }}
                    alt=""
                  />
                ))}
              </Space>
            </Image.PreviewGroup>
          ) : null}
        </Space>
      }
    />
  );
}

function Header({ c }: { c: CaseView }) {
  const { t, i18n } = useTranslation('cases');
  return (
    <Space size={12} wrap align="center">
      <Typography.Title level={4} style={{ margin: 0 }} data-testid="case-number">
        {c.number}
      </Typography.Title>
      <StateTag state={c.state} label={c.stateLabel} />
      {c.queueLabel ? <Tag>{pick(c.queueLabel, i18n.language)}</Tag> : null}
      {c.counters.rework ? (
        <Tag color="red" data-testid="case-rework-tag">
          {t('detail.rework.tag', { n: c.counters.rework })}
        </Tag>
      ) : null}
      <Tag color={URGENCY_COLORS[c.urgency]}>{t(`urgency.${c.urgency}`)}</Tag>
      {c.clock ? (
        <Space size={6}>
          <Typography.Text type="secondary">{t(`step.${c.clock.step}`)}</Typography.Text>
          <LightDot light={c.clock.light} deadline={c.clock.deadline} suspended={c.clock.suspended} />
          {c.clock.deadline ? (
            <Typography.Text type="secondary">{formatTime(c.clock.deadline)}</Typography.Text>
          ) : null}
        </Space>
      ) : null}
    </Space>
  );
}

function Details({ c }: { c: CaseView }) {
  const { t } = useTranslation('cases');
  const names = useDivisionNames();
  const area = (code: string | null) => (code ? `${names.get(code) ?? ''} ${code}`.trim() : '—');
  const items: NonNullable<DescriptionsProps['items']> = [
    {
      key: 'category',
      label: t('detail.category'),
      children: `${c.category.code} ${c.category.name}（${t(`kind.${c.kind}`)}）`,
    },
    { key: 'source', label: t('detail.source'), children: t(`source.${c.source}`) },
    { key: 'address', label: t('detail.address'), children: c.address, span: 2 },
    {
      key: 'description',
      label: t('detail.description'),
      children: <span style={{ whiteSpace: 'pre-wrap' }}>{c.description}</span>,
      span: 2,
    },
    { key: 'district', label: t('detail.district'), children: area(c.districtCode) },
    { key: 'street', label: t('detail.street'), children: area(c.streetCode) },
    { key: 'community', label: t('detail.community'), children: area(c.communityCode) },
    {
      key: 'grid',
      label: t('detail.grid'),
      children: `${c.gridCode ?? '—'}${c.areaClass ? `（${c.areaClass}）` : ''}`,
    },
    { key: 'department', label: t('detail.department'), children: c.department?.name ?? '—' },
    ...(c.handler
      ? [
          {
            key: 'handler',
            label: t('detail.handler'),
            children: (
              <span data-testid="case-handler">
                {c.handler.name}
                {c.handler.department?.name ? `（${c.handler.department.name}）` : ''}
              </span>
            ),
          },
        ]
      : []),
    {
      key: 'reporter',
      label: t('detail.reporter'),
      children:
        [c.reporter.name, c.reporter.phone].filter(Boolean).join(' ') ||
        (c.reporter.role ? t(`role.${c.reporter.role}`) : '—'),
    },
    ...(c.componentCode
      ? [{ key: 'component', label: t('detail.component'), children: c.componentCode }]
      : []),
    { key: 'reportedAt', label: t('detail.reportedAt'), children: formatTime(c.reportedAt) },
    { key: 'updatedAt', label: t('detail.updatedAt'), children: formatTime(c.updatedAt) },
    ...(c.closedAt
      ? [{ key: 'closedAt', label: t('detail.closedAt'), children: formatTime(c.closedAt) }]
      : []),
  ];
  // The last row is filled whatever optional items came before, so every row adds up.
  const last = items.at(-1);
  if (last) last.span = 'filled';
  return <Descriptions size="small" bordered column={2} data-testid="case-details" items={items} />;
}

export function CaseDetailPage() {
  const { t } = useTranslation('cases');
  const { id } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const errorText = useErrorText();
  const caseId = Number(id);
  const q = useQuery({
    queryKey: ['cases', caseId],
    queryFn: () => api<CaseView>(`/cases/${caseId}`),
    enabled: Number.isInteger(caseId) && caseId > 0,
  });
  const created = (location.state as CreatedState | null)?.created;

  if (q.isLoading) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  if (q.error || !q.data)
    return <Result status="404" title="404" subTitle={q.error ? errorText(q.error) : ''} />;
  const c = q.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="case-detail">
      {created && created.number === c.number ? <CreatedNotice created={created} /> : null}
      {c.rework?.open ? <ReworkNotice rework={c.rework} /> : null}
      <Card size="small">
        <Space size={12} align="center">
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate(-1)}
            aria-label={t('detail.back')}
          />
          <Header c={c} />
        </Space>
      </Card>
      <Row gutter={12}>
        <Col xs={24} xl={16}>
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Card size="small" title={t('detail.basic')}>
              <Details c={c} />
            </Card>
            <Card size="small" title={t('detail.photos')}>
              <CasePhotos photos={c.photos} />
            </Card>
            <Card size="small" title={t('detail.timeline')}>
              <CaseTimeline caseId={c.id} version={c.version} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <div data-testid="case-actions">
              <ActionPanel caseData={c} onDone={() => void q.refetch()} />
            </div>
            <Card size="small" title={t('detail.clock')}>
              <ClockInfo clock={c.clock} urgency={c.urgency} />
            </Card>
            <Card size="small" title={t('detail.map')}>
              <CaseLocationMap lng={c.location.lng} lat={c.location.lat} />
            </Card>
            <Card size="small" title={t('detail.duplicates')}>
              <Duplicates caseId={c.id} />
            </Card>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
