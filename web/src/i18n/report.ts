/**
 * Translations of the monthly report page (owned by pages/report), added to i18next as their own
 * namespace when the area's routes load, so the shared namespace list is left alone.
 */
import i18n from './index';

const zh = {
  menu: { reports: '月度分析报告', screen: '指挥大屏' },
  title: '月度分析报告',
  month: '月份',
  format: '格式',
  generate: '生成报告',
  generating: '报告在后台生成，可关闭本窗口稍后回来下载。',
  download: '下载',
  archive: '已生成的报告',
  origin: { schedule: '月末自动', request: '手动生成' },
  created: '生成时间',
  size: '大小',
  texts: '报告模板文字',
  textsHelp: '可使用的占位符（原样保留花括号）：',
  save: '保存',
  reset: '恢复默认',
  saved: '已保存',
};
const en: typeof zh = {
  menu: { reports: 'Monthly report', screen: 'Big screen' },
  title: 'Monthly analysis report',
  month: 'Month',
  format: 'Format',
  generate: 'Make report',
  generating: 'The report is made in the background; you may close this window and download it later.',
  download: 'Download',
  archive: 'Reports made',
  origin: { schedule: 'Month end (automatic)', request: 'On demand' },
  created: 'Made at',
  size: 'Size',
  texts: 'Template wording',
  textsHelp: 'Placeholders this text may use (keep the braces):',
  save: 'Save',
  reset: 'Back to default',
  saved: 'Saved',
};
i18n.addResourceBundle('zh', 'report', zh);
i18n.addResourceBundle('en', 'report', en);

export default { zh, en };
