/** 案件查询: every case in my scope by number, text, category, area, state, light, dates … */

import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Form, Input, Row, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Query } from '../../api/client';
import { useSession } from '../../auth/session';
import { CaseTable } from '../../components/case/CaseTable';
import { CategoryPicker } from '../../components/case/CategoryPicker';
import { useCaseList } from '../../components/case/useCaseList';
import { ExportJobButton } from '../../components/job/ExportJobButton';

const STATES = [
  'reported',
  'verifying',
  'pending_filing',
  'filed',
  'dispatched',
  'ownership_dispute',
  'handling',
  'handled',
  'checking',
  'pending_close',
  'suspended',
  'closed',
  'rejected',
  'voided',
  'merged',
] as const;
const SOURCES = [
  'supervisor',
  'public',
  'hotline_12345',
  'video_ai',
  'iot',
  'leader',
  'media',
  'open311',
] as const;

interface Division {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parentCode: string | null;
}
interface Department {
  code: string;
  name: string;
}

interface Filters {
  q?: string;
  category?: string;
  source?: string;
  districtCode?: string;
  streetCode?: string;
  communityCode?: string;
  stateIn?: string[];
  light?: string;
  reported?: [Dayjs | null, Dayjs | null] | null;
  urgency?: string;
  departmentCode?: string;
}

/** The form's values as GET /cases (and /cases/export) query parameters. */
export function toQuery(f: Filters): Query {
  const [kind, categoryCode] = f.category ? f.category.split(':') : [];
  return {
    q: f.q?.trim() || undefined,
    kind: categoryCode ? kind : undefined,
    categoryCode: categoryCode || undefined,
    source: f.source,
    districtCode: f.districtCode,
    streetCode: f.streetCode,
    communityCode: f.communityCode,
    ...(f.stateIn?.length ? { stateIn: f.stateIn } : { state: 'all' }),
    light: f.light,
    reportedFrom: f.reported?.[0]?.format('YYYY-MM-DD'),
    reportedTo: f.reported?.[1]?.format('YYYY-MM-DD'),
    urgency: f.urgency,
    departmentCode: f.departmentCode,
  };
}

export function CaseSearchPage() {
  const { t } = useTranslation('cases');
  const { t: tc } = useTranslation();
  const { can } = useSession();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Query>(() => toQuery({}));
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const list = useCaseList(filters, page);
  const divisions = useQuery({
    queryKey: ['divisions'],
    queryFn: () => api<{ items: Division[] }>('/divisions'),
    staleTime: 10 * 60_000,
  });
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => api<{ items: Department[] }>('/departments'),
    staleTime: 10 * 60_000,
  });
  const districtCode = Form.useWatch('districtCode', form);
  const streetCode = Form.useWatch('streetCode', form);
  const options = useMemo(() => {
    const all = divisions.data?.items ?? [];
    const of = (level: Division['level'], parent?: string) =>
      all
        .filter((d) => d.level === level && (!parent || d.parentCode === parent))
        .map((d) => ({ value: d.code, label: d.name }));
    return {
      districts: of('district'),
      streets: districtCode ? of('street', districtCode) : of('street'),
      communities: streetCode ? of('community', streetCode) : districtCode ? [] : [],
    };
  }, [divisions.data, districtCode, streetCode]);

  const apply = (values: Filters) => {
    setPage((p) => ({ ...p, current: 1 }));
    setFilters(toQuery(values));
  };
  const select = (placeholder: string, opts: Array<{ value: string; label: string }>, testId?: string) => (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={placeholder}
      options={opts}
      data-testid={testId}
    />
  );

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Card
        size="small"
        title={t('search.title')}
        extra={can('export.xlsx') ? <ExportJobButton filters={filters} /> : null}
      >
        <Form<Filters> form={form} onFinish={apply} data-testid="case-filters" labelCol={{ flex: '76px' }}>
          <Row gutter={12}>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="q" label={t('search.q')} labelCol={{ span: 0 }}>
                <Input autoFocus allowClear placeholder={t('search.q')} data-testid="filter-q" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="category" label={t('search.category')}>
                <CategoryPicker majorSelectable testId="filter-category" placeholder={t('search.category')} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={6}>
              <Form.Item name="source" label={t('search.source')}>
                {select(
                  t('search.source'),
                  SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) })),
                )}
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={6}>
              <Form.Item name="urgency" label={t('search.urgency')}>
                {select(
                  t('search.urgency'),
                  (['normal', 'urgent', 'emergency'] as const).map((u) => ({
                    value: u,
                    label: t(`urgency.${u}`),
                  })),
                )}
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={6}>
              <Form.Item name="districtCode" label={t('search.district')}>
                <Select
                  allowClear
                  placeholder={t('search.district')}
                  options={options.districts}
                  data-testid="filter-district"
                  onChange={() => form.setFieldsValue({ streetCode: undefined, communityCode: undefined })}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={6}>
              <Form.Item name="streetCode" label={t('search.street')}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('search.street')}
                  options={options.streets}
                  onChange={() => form.setFieldsValue({ communityCode: undefined })}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={6}>
              <Form.Item name="communityCode" label={t('search.community')}>
                {select(t('search.community'), options.communities)}
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={6}>
              <Form.Item name="departmentCode" label={t('search.department')}>
                {select(
                  t('search.department'),
                  (departments.data?.items ?? []).map((d) => ({ value: d.code, label: d.name })),
                )}
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="stateIn" label={t('search.state')}>
                <Select
                  mode="multiple"
                  allowClear
                  maxTagCount="responsive"
                  placeholder={t('search.state')}
                  options={STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={6}>
              <Form.Item name="light" label={t('search.light')}>
                {select(
                  t('search.light'),
                  (['green', 'yellow', 'red'] as const).map((l) => ({ value: l, label: t(`light.${l}`) })),
                )}
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="reported" label={t('search.reported')}>
                <DatePicker.RangePicker style={{ width: '100%' }} allowEmpty={[true, true]} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6} style={{ textAlign: 'right' }}>
              <Space>
                <Button
                  type="primary"
                  htmlType="submit"
                  icon={<SearchOutlined />}
                  data-testid="filter-submit"
                >
                  {tc('action.search')}
                </Button>
                <Button
                  onClick={() => {
                    form.resetFields();
                    apply({});
                  }}
                >
                  {tc('action.reset')}
                </Button>
              </Space>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card size="small">
        <CaseTable
          wide
          items={list.data?.items}
          loading={list.isFetching}
          now={list.dataUpdatedAt || undefined}
          pagination={{
            ...page,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            size: 'small',
            showTotal: (n) => tc('total', { count: n }),
            onChange: (current, pageSize) => setPage({ current, pageSize }),
          }}
        />
      </Card>
    </Space>
  );
}
