/** 受理登记: a report taken by phone (12345 hotline, public, leader assignment …) filed as a case. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Form, Input, Radio, Row, Select, Space, type UploadFile } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { CaseView } from '../../api/types';
import { CategoryPicker } from '../../components/case/CategoryPicker';
import { useShowError } from '../../components/errors';
import { LocationPicker, type Point } from './intake/LocationPicker';
import { PhotoUpload, uploadedShas } from './intake/PhotoUpload';

/** Channels an intake operator registers (a supervisor's own reports come from the mobile app). */
const CHANNELS = ['hotline_12345', 'public', 'leader', 'media', 'video_ai', 'iot'] as const;

export interface CreatedCase extends CaseView {
  possibleDuplicates: Array<{ id: number; number: string; distanceM: number }>;
}

interface Values {
  source: (typeof CHANNELS)[number];
  kind: 'event' | 'component';
  categoryCode: string;
  address: string;
  description: string;
  urgency: 'normal' | 'urgent' | 'emergency';
  reporterName?: string;
  reporterPhone?: string;
}

export function IntakeNewPage() {
  const { t } = useTranslation('cases');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const showError = useShowError();
  const [point, setPoint] = useState<Point | null>(null);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const kind = Form.useWatch('kind', form) ?? 'event';
  const address = Form.useWatch('address', form) ?? '';

  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<CreatedCase>('/cases', { body }),
    onSuccess: async (created) => {
      await qc.invalidateQueries({ queryKey: ['cases'] });
      // The case page shows the number and any possible duplicates with links.
      navigate(`/cases/${created.id}`, {
        state: { created: { number: created.number, duplicates: created.possibleDuplicates } },
      });
    },
    onError: showError,
  });

  const submit = (v: Values) => {
    if (!point) {
      showError(new Error(t('intakeForm.locationRequired')));
      return;
    }
    create.mutate({
      source: v.source,
      kind: v.kind,
      categoryCode: v.categoryCode,
      lng: point.lng,
      lat: point.lat,
      address: v.address.trim(),
      description: v.description.trim(),
      urgency: v.urgency,
      photos: uploadedShas(files),
      ...(v.reporterName?.trim() ? { reporterName: v.reporterName.trim() } : {}),
      ...(v.reporterPhone?.trim() ? { reporterPhone: v.reporterPhone.trim() } : {}),
    });
  };

  return (
    <Card size="small" title={t('intakeForm.title')}>
      <Form<Values>
        form={form}
        layout="vertical"
        data-testid="intake-form"
        initialValues={{ source: 'hotline_12345', kind: 'event', urgency: 'normal' }}
        onFinish={submit}
        requiredMark
      >
        <Row gutter={24}>
          <Col xs={24} lg={11}>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name="source" label={t('intakeForm.source')} rules={[{ required: true }]}>
                  <Select
                    autoFocus
                    data-testid="source"
                    options={CHANNELS.map((s) => ({ value: s, label: t(`source.${s}`) }))}
                  />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="kind" label={t('intakeForm.kind')} rules={[{ required: true }]}>
                  <Radio.Group
                    optionType="button"
                    onChange={() => form.setFieldValue('categoryCode', undefined)}
                    options={(['event', 'component'] as const).map((k) => ({
                      value: k,
                      label: t(`kind.${k}`),
                    }))}
                  />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="categoryCode" label={t('intakeForm.category')} rules={[{ required: true }]}>
              <CategoryPicker kind={kind} />
            </Form.Item>
            <Form.Item
              name="address"
              label={t('intakeForm.address')}
              rules={[{ required: true, whitespace: true, max: 200 }]}
            >
              <Input data-testid="address" maxLength={200} />
            </Form.Item>
            <Form.Item
              name="description"
              label={t('intakeForm.description')}
              rules={[{ required: true, whitespace: true, max: 2000 }]}
            >
              <Input.TextArea data-testid="description" rows={3} maxLength={2000} showCount />
            </Form.Item>
            <Form.Item name="urgency" label={t('intakeForm.urgency')}>
              <Radio.Group
                optionType="button"
                options={(['normal', 'urgent', 'emergency'] as const).map((u) => ({
                  value: u,
                  label: t(`urgency.${u}`),
                }))}
              />
            </Form.Item>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name="reporterName" label={t('intakeForm.reporterName')} rules={[{ max: 60 }]}>
                  <Input data-testid="reporter-name" maxLength={60} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item
                  name="reporterPhone"
                  label={t('intakeForm.reporterPhone')}
                  rules={[{ pattern: /^\+?[0-9-]{5,20}$/, message: t('intakeForm.phoneInvalid') }]}
                >
                  <Input data-testid="reporter-phone" maxLength={20} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item label={t('intakeForm.photos')}>
              <PhotoUpload files={files} onChange={setFiles} />
            </Form.Item>
          </Col>
          <Col xs={24} lg={13}>
            <Form.Item label={t('intakeForm.location')} required>
              <LocationPicker
                point={point}
                address={address}
                onPoint={setPoint}
                onAddress={(a) => form.setFieldValue('address', a)}
              />
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button
            type="primary"
            htmlType="submit"
            loading={create.isPending}
            disabled={files.some((f) => f.status === 'uploading')}
            data-testid="submit-case"
          >
            {t('intakeForm.submit')}
          </Button>
          <Button onClick={() => navigate(-1)}>{tc('action.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
