/** Filters of the command map (category, area, state, light, source) and the heat switch. */
import { useQuery } from '@tanstack/react-query';
import { Button, Cascader, Select, Space, Switch, Tooltip } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { STATE_LABELS } from '../../../../src/domain/workflow/states';
import { api } from '../../api/client';
import { pick } from '../../i18n';
import { type CommandFilters, LIGHTS, OPEN_STATES, SOURCES } from './filters';
import { LightDot } from './LightDot';

interface CategoryNode {
  kind: 'component' | 'event';
  code: string;
  name: string;
  children: CategoryNode[];
}

interface Division {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parentCode: string | null;
}

interface Option {
  value: string;
  label: string;
  children?: Option[];
}

function useCategoryOptions(): Option[] {
  const { t } = useTranslation('command');
  const tree = useQuery({
    queryKey: ['catalog', 'categories', 'minor'],
    queryFn: () => api<{ items: CategoryNode[] }>('/catalog/categories', { query: { level: 'minor' } }),
    staleTime: 10 * 60_000,
  });
  return useMemo(
    () =>
      (['event', 'component'] as const).map((kind) => ({
        value: kind,
        label: t(`kind.${kind}`),
        children: (tree.data?.items ?? [])
          .filter((m) => m.kind === kind)
          .map((m) => ({
            value: m.code,
            label: `${m.code} ${m.name}`,
            children: m.children.map((c) => ({ value: c.code, label: `${c.code} ${c.name}` })),
          })),
      })),
    [tree.data, t],
  );
}

function useAreaOptions(): Option[] {
  const divisions = useQuery({
    queryKey: ['divisions', 'all'],
    queryFn: () => api<{ items: Division[] }>('/divisions'),
    staleTime: 10 * 60_000,
  });
  return useMemo(() => {
    const list = divisions.data?.items ?? [];
    const nodes = new Map<string, Option>(list.map((d) => [d.code, { value: d.code, label: d.name }]));
    const roots: Option[] = [];
    for (const d of list) {
      if (d.level === 'city') continue;
      const node = nodes.get(d.code)!;
      const parent = d.parentCode ? nodes.get(d.parentCode) : undefined;
      const parentDivision = list.find((x) => x.code === d.parentCode);
      if (parent && parentDivision && parentDivision.level !== 'city') {
        parent.children = [...(parent.children ?? []), node];
      } else roots.push(node);
    }
    return roots;
  }, [divisions.data]);
}

export function FilterBar({
  value,
  onChange,
  heat,
  onHeat,
}: {
  value: CommandFilters;
  onChange: (f: CommandFilters) => void;
  heat: boolean;
  onHeat: (on: boolean) => void;
}) {
  const { t, i18n } = useTranslation('command');
  const categories = useCategoryOptions();
  const areas = useAreaOptions();
  const set = (patch: Partial<CommandFilters>) => onChange({ ...value, ...patch });
  const empty = Object.values(value).every((v) => !v?.length);

  return (
    <Space wrap size={[8, 6]} data-testid="command-filters" style={{ marginBottom: 8 }}>
      <Cascader
        size="small"
        data-testid="filter-category"
        style={{ width: 200 }}
        options={categories}
        changeOnSelect
        showSearch
        allowClear
        placeholder={t('filters.category')}
        value={value.category}
        onChange={(v) => set({ category: (v as string[] | undefined) ?? [] })}
      />
      <Cascader
        size="small"
        data-testid="filter-area"
        style={{ width: 200 }}
        options={areas}
        changeOnSelect
        showSearch
        allowClear
        placeholder={t('filters.area')}
        value={value.area}
        onChange={(v) => set({ area: (v as string[] | undefined) ?? [] })}
      />
      <Select
        size="small"
        mode="multiple"
        data-testid="filter-state"
        style={{ minWidth: 150 }}
        maxTagCount="responsive"
        allowClear
        placeholder={t('filters.state')}
        value={value.state ?? []}
        onChange={(state) => set({ state })}
        options={OPEN_STATES.map((s) => ({ value: s, label: pick(STATE_LABELS[s], i18n.language) }))}
      />
      <Select
        size="small"
        mode="multiple"
        data-testid="filter-light"
        style={{ minWidth: 140 }}
        maxTagCount="responsive"
        allowClear
        placeholder={t('filters.light')}
        value={value.light ?? []}
        onChange={(light) => set({ light })}
        options={LIGHTS.map((l) => ({
          value: l,
          label: (
            <span>
              <LightDot light={l} /> {t(`light.${l}`)}
            </span>
          ),
        }))}
      />
      <Select
        size="small"
        mode="multiple"
        data-testid="filter-source"
        style={{ minWidth: 140 }}
        maxTagCount="responsive"
        allowClear
        placeholder={t('filters.source')}
        value={value.source ?? []}
        onChange={(source) => set({ source })}
        options={SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))}
      />
      <Button size="small" disabled={empty} onClick={() => onChange({})} data-testid="filters-reset">
        {t('filters.reset')}
      </Button>
      <Tooltip title={t('heat.hint')}>
        <Space size={4}>
          <Switch size="small" checked={heat} onChange={onHeat} data-testid="heat-toggle" />
          <span>{t('heat.label')}</span>
        </Space>
      </Tooltip>
    </Space>
  );
}
