import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';

interface CategoryNode {
  id: number;
  kind: 'component' | 'event';
  level: 'major' | 'minor' | 'detail';
  code: string;
  name: string;
  children?: CategoryNode[];
}

interface TreeItem {
  value: string;
  title: string;
  selectable: boolean;
  children?: TreeItem[];
}

export function useCategoryTree(kind?: 'component' | 'event') {
  return useQuery({
    queryKey: ['catalog', 'categories', kind ?? 'all'],
    queryFn: () => api<{ items: CategoryNode[] }>('/catalog/categories', { query: { kind } }),
    staleTime: 10 * 60_000,
  });
}

function toTree(nodes: CategoryNode[], majorSelectable: boolean, prefix: string): TreeItem[] {
  return nodes.map((n) => ({
    // Component and event codes overlap (01 公用设施 / 01 市容环境): keep the values unique.
    value: `${prefix}${n.code}`,
    title: `${n.code} ${n.name}`,
    selectable: majorSelectable || n.level !== 'major',
    children: n.children?.length ? toTree(n.children, majorSelectable, prefix) : undefined,
  }));
}

export interface CategoryPickerProps {
  /** Only this kind's tree; without it both 部件 and 事件 (search page). */
  kind?: 'component' | 'event';
  value?: string;
  onChange?: (code: string | undefined) => void;
  /** Allow picking a 大类 too (search filters by prefix); reports need a 小类 or 细类. */
  majorSelectable?: boolean;
  placeholder?: string;
  id?: string;
  testId?: string;
}

/**
 * The category tree (大类 → 小类 → 细类) with search by name or code. With `kind` the value is the
 * plain code; without it the value is `kind:code` so 部件 and 事件 stay apart.
 */
export function CategoryPicker(props: CategoryPickerProps) {
  const { kind, value, onChange, majorSelectable = false, placeholder, id, testId } = props;
  const { t } = useTranslation('cases');
  const { data, isLoading } = useCategoryTree(kind);
  const treeData = useMemo(() => {
    const items = data?.items ?? [];
    if (kind) return toTree(items, majorSelectable, '');
    return (['event', 'component'] as const).map((k) => ({
      value: `${k}:`,
      title: t(`kind.${k}`),
      selectable: false,
      children: toTree(
        items.filter((n) => n.kind === k),
        majorSelectable,
        `${k}:`,
      ),
    }));
  }, [data, kind, majorSelectable, t]);
  return (
    <TreeSelect
      id={id}
      data-testid={testId ?? 'category-picker'}
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear
      loading={isLoading}
      treeData={treeData}
      value={value}
      onChange={(v) => onChange?.(v as string | undefined)}
      placeholder={placeholder ?? t('intakeForm.categoryPlaceholder')}
      popupMatchSelectWidth={false}
      listHeight={360}
      style={{ width: '100%' }}
    />
  );
}
