/**
 * One task: what and where (with a link that opens the phone's map app), the photos, and the
 * actions the server allows this user now. Every answer goes through the outbox.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, ErrorBlock, Image, ImageViewer, NavBar, NoticeBar, Space, Tag } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, mediaUrl } from '../../../src/api/client';
import type { CaseView } from '../../../src/api/types';
import { ActionSheetForm, MOBILE_ACTIONS, type MobileAction } from '../components/ActionForm';
import { CaseHistory } from '../components/CaseHistory';
import { DeadlineTag } from '../components/TaskList';
import { useSession } from '../lib/session';
import { fmtTime, useErrorText, usePick } from '../lib/text';
import { useOutbox } from '../outbox/useOutbox';

/** A geo: URI: Android and iOS open the installed map app at the point (works without a web map). */
export const geoUri = (c: Pick<CaseView, 'location' | 'address'>) =>
  `geo:${c.location.lat},${c.location.lng}?q=${c.location.lat},${c.location.lng}(${encodeURIComponent(c.address)})`;

export function CasePage() {
  const { t, i18n } = useTranslation('mobile');
  const pick = usePick();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const { session } = useSession();
  const id = Number(useParams().id);
  const [action, setAction] = useState<MobileAction | null>(null);
  const item = useQuery({ queryKey: ['case', id], queryFn: () => api<CaseView>(`/cases/${id}`) });
  const actions = useQuery({
    queryKey: ['case', id, 'actions'],
    queryFn: () =>
      api<{ version: number; actions: string[]; photosRequired?: string[] }>(`/cases/${id}/actions`),
  });
  const outbox = useOutbox(session?.user.username ?? null);
  const queued = (outbox ?? []).filter(
    (i) => i.path.startsWith(`/cases/${id}/actions/`) && i.status !== 'sent',
  );
  const c = item.data;
  const allowed = MOBILE_ACTIONS.filter((a) => actions.data?.actions.includes(a));
  const photos = c ? [...c.photos.before, ...c.photos.after] : [];
  return (
    <div className="app-frame">
      <NavBar onBack={() => navigate(-1)}>{c?.number ?? t('task.title')}</NavBar>
      <div className="app-body" data-testid="case-page">
        {item.isError && <ErrorBlock status="default" title={errorText(item.error)} description="" />}
        {c && (
          <>
            {queued.length > 0 && (
              <NoticeBar
                content={t('task.queued', { n: queued.length })}
                color="info"
                data-testid="case-queued"
              />
            )}
            {c.rework?.open && (
              // Why the case came back: the checker's reason and photos, before anything else.
              <Card
                title={t('task.reworkTitle')}
                className="rework-card"
                data-testid="case-rework"
                extra={<Tag color="danger">{t('task.rework')}</Tag>}
              >
                <Space direction="vertical" block>
                  {c.rework.reason && <div data-testid="rework-reason">{c.rework.reason}</div>}
                  <div className="muted">
                    {t('task.reworkBy', {
                      name: c.rework.by.name ?? t('task.system'),
                      at: fmtTime(c.rework.at, i18n.language),
                    })}
                  </div>
                  {c.rework.photos.length > 0 && (
                    <Space wrap>
                      {c.rework.photos.map((sha, i) => (
                        <Image
                          key={sha}
                          src={mediaUrl(sha)}
                          width={80}
                          height={80}
                          fit="cover"
                          style={{ borderRadius: 4 }}
                          data-testid="rework-photo"
                          onClick={() =>
                            ImageViewer.Multi.show({
                              images: (c.rework?.photos ?? []).map(mediaUrl),
                              defaultIndex: i,
                            })
                          }
                        />
                      ))}
                    </Space>
                  )}
                </Space>
              </Card>
            )}
            <Card title={c.category.name} extra={<Tag color="primary">{pick(c.stateLabel)}</Tag>}>
              <Space direction="vertical" block>
                <div className="muted">{c.number}</div>
                <div>{c.description}</div>
                <div>
                  {c.address}{' '}
                  <a href={geoUri(c)} data-testid="navigate-link">
                    {t('task.navigate')}
                  </a>
                </div>
                {c.gridCode && <div className="muted">{t('task.grid', { code: c.gridCode })}</div>}
                {c.department && (
                  <div className="muted">{t('task.department', { name: c.department.name })}</div>
                )}
                {c.handler?.name && (
                  <div className="muted">
                    {t('task.handler', {
                      name: `${c.handler.name}${c.handler.department?.name ? `（${c.handler.department.name}）` : ''}`,
                    })}
                  </div>
                )}
                {c.rework && !c.rework.open && (
                  <Tag color="warning" fill="outline">
                    {t('task.reworkDone', { n: c.counters.rework ?? 1 })}
                  </Tag>
                )}
                {c.pending && <Tag color="warning">{t('task.pending')}</Tag>}
                <DeadlineTag c={c} />
              </Space>
            </Card>
            {photos.length > 0 && (
              <Card title={t('task.photos')}>
                <Space wrap>
                  {photos.map((sha, i) => (
                    <Image
                      key={sha}
                      src={mediaUrl(sha)}
                      width={80}
                      height={80}
                      fit="cover"
                      style={{ borderRadius: 4 }}
                      onClick={() =>
                        ImageViewer.Multi.show({ images: photos.map(mediaUrl), defaultIndex: i })
                      }
                    />
                  ))}
                </Space>
              </Card>
            )}
            <div className="section">
              <Space direction="vertical" block>
                {allowed.length === 0 && actions.data && <div className="muted">{t('task.noActions')}</div>}
                {allowed.map((a) => (
                  <Button
                    key={a}
                    block
                    color={
                      a === 'deny' || a === 'check_fail'
                        ? 'warning'
                        : a.endsWith('_request')
                          ? 'default'
                          : 'primary'
                    }
                    onClick={() => setAction(a)}
                    data-testid={`action-${a}`}
                  >
                    {t(`action.${a}`)}
                  </Button>
                ))}
              </Space>
            </div>
            <CaseHistory caseId={c.id} version={c.version} />
          </>
        )}
      </div>
      {c && actions.data && action && (
        <ActionSheetForm
          caseView={c}
          version={actions.data.version}
          action={action}
          photosRequired={actions.data.photosRequired?.includes(action) === true}
          onClose={(done) => {
            setAction(null);
            if (done) navigate(-1);
          }}
        />
      )}
    </div>
  );
}
