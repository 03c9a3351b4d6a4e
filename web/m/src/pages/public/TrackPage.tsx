/** Follow a report by its tracking code; rate (满意度) and comment once it is closed. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, ErrorBlock, Form, Input, List, Rate, Steps, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, type ErrorMessages } from '../../../../src/api/client';
import { fmtTime, useErrorText, usePick } from '../../lib/text';
import { myCodes } from './myReports';

interface Tracked {
  trackingCode: string;
  status: string;
  statusLabel: ErrorMessages;
  category: string;
  address: string;
  description: string;
  reportedAt: string;
  closedAt: string | null;
  timeline: Array<{ step: string; label: ErrorMessages; at: string; reason?: string }>;
  canRate: boolean;
  rating: { satisfaction: number; comment: string | null; at: string } | null;
}

export function TrackPage() {
  const { t, i18n } = useTranslation('mobile');
  const pick = usePick();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const code = useParams().code?.toUpperCase() ?? null;
  const [input, setInput] = useState(code ?? '');
  const [stars, setStars] = useState(5);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const report = useQuery({
    queryKey: ['public', 'report', code],
    queryFn: () => api<Tracked>(`/public/reports/${code}`),
    enabled: code !== null,
    retry: false,
  });
  const rate = async () => {
    setBusy(true);
    try {
      await api(`/public/reports/${code}/rating`, {
        body: { satisfaction: stars, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      });
      Toast.show({ content: t('public.rated'), icon: 'success' });
      await qc.invalidateQueries({ queryKey: ['public', 'report', code] });
    } catch (err) {
      Toast.show({ content: errorText(err), icon: 'fail' });
    } finally {
      setBusy(false);
    }
  };
  const r = report.data;
  const mine = myCodes();
  return (
    <>
      <Form
        layout="horizontal"
        onFinish={() => input.trim() && navigate(`/public/track/${input.trim().toUpperCase()}`)}
        footer={
          <Button block type="submit" color="primary" data-testid="track-submit">
            {t('public.trackButton')}
          </Button>
        }
      >
        <Form.Item label={t('public.code')}>
          <Input value={input} onChange={setInput} maxLength={10} clearable data-testid="track-input" />
        </Form.Item>
      </Form>
      {!code && mine.length > 0 && (
        <List header={t('public.mine')}>
          {mine.map((c) => (
            <List.Item key={c} onClick={() => navigate(`/public/track/${c}`)}>
              {c}
            </List.Item>
          ))}
        </List>
      )}
      {report.isError && <ErrorBlock status="empty" title={errorText(report.error)} description="" />}
      {r && (
        <>
          <Card
            title={r.category}
            extra={
              <Tag color={r.status === 'closed' ? 'success' : 'primary'} data-testid="track-status">
                {pick(r.statusLabel)}
              </Tag>
            }
          >
            <div>{r.description}</div>
            <div className="muted">{r.address}</div>
          </Card>
          <Card title={t('public.progress')}>
            <Steps direction="vertical" current={r.timeline.length - 1}>
              {r.timeline.map((s) => (
                <Steps.Step
                  key={`${s.step}-${s.at}`}
                  title={pick(s.label)}
                  description={`${fmtTime(s.at, i18n.language)}${s.reason ? ` · ${s.reason}` : ''}`}
                />
              ))}
            </Steps>
          </Card>
          {r.rating && (
            <Card title={t('public.yourRating')} data-testid="track-rating">
              <Rate readOnly value={r.rating.satisfaction} />
              {r.rating.comment && <div>{r.rating.comment}</div>}
            </Card>
          )}
          {r.canRate && (
            <Card title={t('public.rateTitle')} data-testid="rate-form">
              <Rate value={stars} onChange={setStars} />
              <TextArea
                placeholder={t('public.commentHint')}
                value={comment}
                onChange={setComment}
                rows={2}
                maxLength={500}
                data-testid="rate-comment"
              />
              <Button
                block
                color="primary"
                loading={busy}
                onClick={() => void rate()}
                data-testid="rate-submit"
              >
                {t('public.rateSubmit')}
              </Button>
            </Card>
          )}
        </>
      )}
    </>
  );
}
