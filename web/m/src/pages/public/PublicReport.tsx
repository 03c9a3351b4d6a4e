/**
 * A citizen's report: class, photo, place on the map, description, optional phone (with an SMS
 * code only where the deployment asks for it). Queued like the field reports, so a report made
 * in a basement is sent when the phone finds signal; the tracking code shows once it is.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Form, Input, Result, Selector, TextArea, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../../src/api/client';
import { LocationPicker } from '../../components/LocationPicker';
import { blobsOf, type PhotoItem, PhotoPicker } from '../../components/PhotoPicker';
import type { Fix } from '../../lib/geo';
import { useErrorText, usePick } from '../../lib/text';
import { addItem, type OutboxItem } from '../../outbox/store';
import { useOutbox } from '../../outbox/useOutbox';
import { rememberCode } from './myReports';

interface Categories {
  items: Array<{ key: string; zh: string; en: string }>;
  phoneVerification: boolean;
}

const PHONE = /^1[3-9][0-9]{9}$/;

export function PublicReport() {
  const { t } = useTranslation('mobile');
  const pick = usePick();
  const errorText = useErrorText();
  const categories = useQuery({
    queryKey: ['public', 'categories'],
    queryFn: () => api<Categories>('/public/categories'),
  });
  const [category, setCategory] = useState<string | null>(null);
  const [photos, setPhotos] = useState<PhotoItem[]>([]);
  const [fix, setFix] = useState<Fix | null>(null);
  const [description, setDescription] = useState('');
  const [phone, setPhone] = useState('');
  const [verification, setVerification] = useState<{ id: string; code: string } | null>(null);
  const [itemId, setItemId] = useState<string | null>(null);
  const outbox = useOutbox('public');
  const item: OutboxItem | undefined = outbox?.find((i) => i.id === itemId);
  const code = item?.status === 'sent' ? (item.result as { trackingCode: string }).trackingCode : null;
  useEffect(() => {
    if (code) rememberCode(code);
  }, [code]);

  const sendCode = async () => {
    try {
      const r = await api<{ id: string }>('/public/verify-phone', { body: { phone } });
      setVerification({ id: r.id, code: '' });
      Toast.show(t('public.codeSent'));
    } catch (err) {
      Toast.show({ content: errorText(err), icon: 'fail' });
    }
  };

  const submit = async () => {
    const problem = !category
      ? t('report.needCategory')
      : !fix
        ? t('report.needLocation')
        : !description.trim()
          ? t('report.needDescription')
          : phone && !PHONE.test(phone)
            ? t('public.badPhone')
            : phone && categories.data?.phoneVerification && !verification?.code
              ? t('public.needCode')
              : null;
    if (problem || !fix || !category) {
      Toast.show({ content: problem, icon: 'fail' });
      return;
    }
    const added = await addItem({
      owner: 'public',
      kind: 'public_report',
      title: `${pick(categories.data?.items.find((c) => c.key === category))} · ${description.trim().slice(0, 30)}`,
      path: '/public/reports',
      body: {
        category,
        description: description.trim(),
        location: { lng: fix.lng, lat: fix.lat, crs: 'wgs84' },
        ...(phone ? { phone } : {}),
        ...(phone && verification?.code ? { phoneVerification: verification } : {}),
      },
      photos: photos.length ? { photos: blobsOf(photos) } : {},
    });
    setItemId(added.id);
  };

  if (item) {
    if (code)
      return (
        <Result
          status="success"
          title={t('public.thanks')}
          description={
            <div>
              <div>{t('public.codeIs')}</div>
              <div className="tracking-code" data-testid="tracking-code">
                {code}
              </div>
              <div className="muted">{t('public.keepCode')}</div>
              <Link to={`/public/track/${code}`} data-testid="track-link">
                {t('public.follow')}
              </Link>
            </div>
          }
        />
      );
    return (
      <Result
        status={item.status === 'failed' ? 'error' : 'waiting'}
        title={item.status === 'failed' ? t('public.refused') : t('public.sending')}
        description={item.error ? pick(item.error.messages) : t('public.sendingHint')}
      />
    );
  }

  return (
    <Form layout="vertical" data-testid="public-report-form">
      <Form.Header>{t('public.what')}</Form.Header>
      <div className="section">
        <Selector
          columns={2}
          options={(categories.data?.items ?? []).map((c) => ({ label: pick(c), value: c.key }))}
          value={category ? [category] : []}
          onChange={(v) => setCategory(v[0] ?? null)}
          data-testid="public-category"
        />
      </div>
      <Form.Header>{t('report.photos')}</Form.Header>
      <div className="section">
        <PhotoPicker value={photos} onChange={setPhotos} testId="public-photos" max={6} />
      </div>
      <Form.Header>{t('report.location')}</Form.Header>
      <div className="section">
        <LocationPicker value={fix} onChange={setFix} showPlace={false} publicMap />
      </div>
      <Form.Item label={t('report.description')}>
        <TextArea
          data-testid="public-description"
          value={description}
          onChange={setDescription}
          rows={3}
          maxLength={1000}
          showCount
          placeholder={t('public.descriptionHint')}
        />
      </Form.Item>
      <Form.Item label={t('public.phone')} description={t('public.phoneHint')}>
        <Input
          type="tel"
          value={phone}
          onChange={setPhone}
          maxLength={11}
          clearable
          data-testid="public-phone"
        />
      </Form.Item>
      {categories.data?.phoneVerification && PHONE.test(phone) && (
        <Form.Item
          label={t('public.smsCode')}
          extra={
            <Button size="small" onClick={() => void sendCode()}>
              {t('public.sendCode')}
            </Button>
          }
        >
          <Input
            value={verification?.code ?? ''}
            disabled={!verification}
            maxLength={6}
            onChange={(v) => verification && setVerification({ ...verification, code: v })}
          />
        </Form.Item>
      )}
      <div className="section">
        <Button block color="primary" size="large" onClick={() => void submit()} data-testid="public-submit">
          {t('public.submit')}
        </Button>
      </div>
    </Form>
  );
}
