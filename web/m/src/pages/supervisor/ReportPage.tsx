/**
 * 上报 (and 自行处置): photos, position, class, description. The report goes into the outbox
 * first and is sent from there, so it is the same whether the phone has signal or not.
 */
import { Button, Form, List, Switch, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CategoryChoice, CategoryPicker } from '../../components/CategoryPicker';
import { LocationPicker, usePlace } from '../../components/LocationPicker';
import { blobsOf, type PhotoItem, PhotoPicker } from '../../components/PhotoPicker';
import type { Fix } from '../../lib/geo';
import { useSession } from '../../lib/session';
import { addItem } from '../../outbox/store';

export function ReportPage() {
  const { t } = useTranslation('mobile');
  const { session } = useSession();
  const [before, setBefore] = useState<PhotoItem[]>([]);
  const [after, setAfter] = useState<PhotoItem[]>([]);
  const [fix, setFix] = useState<Fix | null>(null);
  const [category, setCategory] = useState<CategoryChoice | null>(null);
  const [description, setDescription] = useState('');
  const [selfHandle, setSelfHandle] = useState(false);
  const place = usePlace(fix, true);

  const missing = () => {
    if (before.length === 0) return t('report.needPhoto');
    if (!fix) return t('report.needLocation');
    if (!category) return t('report.needCategory');
    if (!description.trim()) return t('report.needDescription');
    if (selfHandle && after.length === 0) return t('report.needAfterPhoto');
    return null;
  };

  const submit = async () => {
    const problem = missing();
    if (problem || !fix || !category || !session) {
      Toast.show({ content: problem ?? t('report.needLocation'), icon: 'fail' });
      return;
    }
    const body: Record<string, unknown> = {
      kind: category.kind,
      categoryCode: category.code,
      lng: fix.lng,
      lat: fix.lat,
      // Without signal the place is named when the report is sent (see outbox/sender.ts).
      address: place.data?.formatted ?? '',
      description: description.trim(),
      urgency: 'normal',
    };
    await addItem({
      owner: session.user.username,
      kind: selfHandle ? 'self_handle' : 'case',
      title: `${selfHandle ? t('report.selfHandleTag') : ''}${category.name} · ${description.trim().slice(0, 30)}`,
      path: selfHandle ? '/cases/self-handle' : '/cases',
      body: selfHandle ? body : { source: 'supervisor', ...body },
      photos: selfHandle
        ? { photos: blobsOf(before), afterPhotos: blobsOf(after) }
        : { photos: blobsOf(before) },
    });
    Toast.show({ content: navigator.onLine ? t('report.sending') : t('report.queued'), icon: 'success' });
    setBefore([]);
    setAfter([]);
    setDescription('');
    setSelfHandle(false);
  };

  return (
    <Form layout="vertical" data-testid="report-form">
      <Form.Header>{t('report.photos')}</Form.Header>
      <div className="section">
        <PhotoPicker value={before} onChange={setBefore} testId="photos-before" />
      </div>
      <Form.Header>{t('report.location')}</Form.Header>
      <div className="section">
        <LocationPicker value={fix} onChange={setFix} />
      </div>
      <List>
        <CategoryPicker value={category} onChange={setCategory} />
      </List>
      <Form.Item label={t('report.description')}>
        <TextArea
          data-testid="report-description"
          placeholder={t('report.descriptionHint')}
          value={description}
          onChange={setDescription}
          rows={3}
          maxLength={2000}
          showCount
        />
      </Form.Item>
      <Form.Item label={t('report.selfHandle')} description={t('report.selfHandleHint')}>
        <Switch checked={selfHandle} onChange={setSelfHandle} data-testid="self-handle-switch" />
      </Form.Item>
      {selfHandle && (
        <Form.Item label={t('report.afterPhotos')}>
          <PhotoPicker value={after} onChange={setAfter} testId="photos-after" />
        </Form.Item>
      )}
      <div className="section">
        <Button block color="primary" size="large" onClick={() => void submit()} data-testid="report-submit">
          {selfHandle ? t('report.submitSelfHandle') : t('report.submit')}
        </Button>
      </div>
    </Form>
  );
}
