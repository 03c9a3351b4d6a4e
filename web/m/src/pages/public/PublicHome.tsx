import { FileOutline, HistogramOutline, SearchOutline, UnorderedListOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes } from 'react-router';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { TabLayout } from '../../components/TabLayout';
import { PublicCases } from './PublicCases';
import { PublicReport } from './PublicReport';
import { PublicStats } from './PublicStats';
import { TrackPage } from './TrackPage';

/** 公众参与: report without an account, follow and rate by tracking code, see the city's cases. */
export function PublicHome() {
  const { t } = useTranslation('mobile');
  return (
    <TabLayout
      title={t('public.title')}
      base="/public"
      right={
        <span className="nav-right">
          <LanguageSwitch />
          <Link to="/login">{t('public.staff')}</Link>
        </span>
      }
      tabs={[
        { key: 'report', title: t('public.tab.report'), icon: <FileOutline /> },
        { key: 'track', title: t('public.tab.track'), icon: <SearchOutline /> },
        { key: 'cases', title: t('public.tab.cases'), icon: <UnorderedListOutline /> },
        { key: 'stats', title: t('public.tab.stats'), icon: <HistogramOutline /> },
      ]}
    >
      <Routes>
        <Route path="report" element={<PublicReport />} />
        <Route path="track" element={<TrackPage />} />
        <Route path="track/:code" element={<TrackPage />} />
        <Route path="cases" element={<PublicCases />} />
        <Route path="stats" element={<PublicStats />} />
        <Route path="*" element={<Navigate to="report" replace />} />
      </Routes>
    </TabLayout>
  );
}
