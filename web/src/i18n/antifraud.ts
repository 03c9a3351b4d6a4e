/** Translations of the collector anti-fraud review (信息采集质量). */
const zh = {
  menu: { review: '采集质量疑点复核' },
  status: { open: '待复核', confirmed: '确认造假', dismissed: '已排除', all: '全部' },
  kind: '疑点类型',
  case: '案卷',
  reporter: '监督员',
  company: '采集公司',
  evidence: '依据',
  related: '关联案卷',
  reportedAt: '上报时间',
  photos: '照片',
  actions: '复核',
  confirm: '确认造假',
  dismiss: '排除',
  reason: '复核理由',
  reasonRequired: '请填写理由',
  reviewed: '已复核',
  empty: '没有疑点',
  summary: '{{label}}：待复核 {{open}} · 确认 {{confirmed}} · 排除 {{dismissed}}',
};

const en: typeof zh = {
  menu: { review: 'Collection quality flags' },
  status: { open: 'Open', confirmed: 'Confirmed fraud', dismissed: 'Dismissed', all: 'All' },
  kind: 'Flag',
  case: 'Case',
  reporter: 'Supervisor',
  company: 'Company',
  evidence: 'Evidence',
  related: 'Related case',
  reportedAt: 'Reported',
  photos: 'Photos',
  actions: 'Review',
  confirm: 'Confirm fraud',
  dismiss: 'Dismiss',
  reason: 'Reason',
  reasonRequired: 'A reason is required',
  reviewed: 'Reviewed',
  empty: 'No flags',
  summary: '{{label}}: open {{open}} · confirmed {{confirmed}} · dismissed {{dismissed}}',
};

export default { zh, en };
