/** 编码体系对应与迁移: the GB/T 30428.2 ↔ GB/T 47678.5 mapping, and moving cases between the schemes. */
import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { MappingTable } from './MappingTable';
import { MovePanel } from './MovePanel';
import { AdminPage } from './shared';

export function MappingPage() {
  const { t } = useTranslation('admin');
  return (
    <AdminPage title={t('mapping.title')}>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'mapping', label: t('mapping.tab'), children: <MappingTable /> },
          { key: 'move', label: t('move.tab'), children: <MovePanel /> },
        ]}
      />
    </AdminPage>
  );
}
