/**
 * The 小类 a supervisor reports under: search by name or code, with the last choices on top
 * (a supervisor reports the same few classes all day). The list is reference data the service
 * worker keeps, so it opens without signal too.
 */
import { useQuery } from '@tanstack/react-query';
import { List, Popup, SearchBar, Tag } from 'antd-mobile';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../src/api/client';

export interface CategoryChoice {
  kind: 'component' | 'event';
  code: string;
  name: string;
  major: string;
}

interface Node {
  code: string;
  name: string;
  kind: 'component' | 'event';
  level: string;
  children: Node[];
}

const RECENT_KEY = 'cityloop.m.recentCategories';
const RECENT_MAX = 6;

export function recentCategories(): CategoryChoice[] {
  try {
    return JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as CategoryChoice[];
  } catch {
    return [];
  }
}

function rememberCategory(c: CategoryChoice) {
  const next = [c, ...recentCategories().filter((r) => !(r.code === c.code && r.kind === c.kind))];
  localStorage.setItem(RECENT_KEY, JSON.stringify(next.slice(0, RECENT_MAX)));
}

function useCategories() {
  return useQuery({
    queryKey: ['categories', 'minor'],
    queryFn: async () => {
      const tree = await api<{ items: Node[] }>('/catalog/categories', { query: { level: 'minor' } });
      return tree.items.flatMap((major) =>
        major.children.map((m) => ({ kind: m.kind, code: m.code, name: m.name, major: major.name })),
      );
    },
    staleTime: 60 * 60_000,
  });
}

export function CategoryPicker({
  value,
  onChange,
}: {
  value: CategoryChoice | null;
  onChange: (c: CategoryChoice) => void;
}) {
  const { t } = useTranslation('mobile');
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const all = useCategories();
  const recent = useMemo(() => (open ? recentCategories() : []), [open]);
  const found = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const list = all.data ?? [];
    return (
      needle ? list.filter((c) => c.name.toLowerCase().includes(needle) || c.code.includes(needle)) : list
    ).slice(0, 80);
  }, [all.data, q]);
  const choose = (c: CategoryChoice) => {
    rememberCategory(c);
    onChange(c);
    setOpen(false);
    setQ('');
  };
  const kindTag = (c: CategoryChoice) => (
    <Tag color={c.kind === 'component' ? 'primary' : 'success'} fill="outline">
      {t(`kind.${c.kind}`)}
    </Tag>
  );
  return (
    <>
      <List.Item
        data-testid="category-picker"
        onClick={() => setOpen(true)}
        extra={value ? `${value.code} ${value.name}` : t('category.choose')}
      >
        {t('category.label')}
      </List.Item>
      <Popup
        visible={open}
        onMaskClick={() => setOpen(false)}
        bodyStyle={{ height: '75vh', overflow: 'auto' }}
      >
        <div style={{ padding: 12 }}>
          <SearchBar
            placeholder={t('category.search')}
            value={q}
            onChange={setQ}
            data-testid="category-search"
          />
        </div>
        {!q && recent.length > 0 && (
          <List header={t('category.recent')}>
            {recent.map((c) => (
              <List.Item
                key={`r-${c.kind}-${c.code}`}
                onClick={() => choose(c)}
                extra={kindTag(c)}
                description={c.major}
              >
                {c.code} {c.name}
              </List.Item>
            ))}
          </List>
        )}
        <List header={q ? t('category.results', { n: found.length }) : t('category.all')}>
          {all.isLoading && <List.Item>{t('loading')}</List.Item>}
          {all.isError && <List.Item>{t('category.unavailable')}</List.Item>}
          {found.map((c) => (
            <List.Item
              key={`${c.kind}-${c.code}`}
              onClick={() => choose(c)}
              extra={kindTag(c)}
              description={c.major}
              data-testid={`category-${c.kind}-${c.code}`}
            >
              {c.code} {c.name}
            </List.Item>
          ))}
        </List>
      </Popup>
    </>
  );
}
