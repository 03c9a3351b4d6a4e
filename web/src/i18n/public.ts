/** Translations of public participation in the console: moderation of citizen text (先审后发). */
const zh = {
  menu: { moderation: '公众上报审核' },
  moderation: {
    title: '公众上报审核',
    hint: '公众上报的问题描述和评价留言经审核通过后才在公众地图和列表上显示。含敏感词或个人信息（手机号、身份证号）的内容排在最前。',
    states: { pending: '待审核', approved: '已通过', rejected: '已驳回' },
    kind: { description: '问题描述', comment: '评价留言' },
    columns: {
      createdAt: '提交时间',
      case: '案件',
      kind: '类型',
      body: '内容',
      flags: '提示',
      decision: '审核',
    },
    flags: { banned: '敏感词：{{word}}', phone: '含手机号', id_card: '含身份证号' },
    approve: '通过',
    reject: '驳回',
    publishPhotos: '同时公开照片',
    rejectTitle: '驳回理由',
    rejectPlaceholder: '例如：含个人信息（将告知上报人）',
    reasonRequired: '请填写驳回理由',
    approved: '已通过，内容将在公众端显示',
    rejected: '已驳回',
    decidedAt: '{{at}} 审核',
    reason: '理由：{{reason}}',
    empty: '没有待审核的内容',
  },
};

type Dict = typeof zh;

const en: Dict = {
  menu: { moderation: 'Public reports' },
  moderation: {
    title: 'Moderation of citizen text',
    hint: 'Descriptions and rating comments from citizens appear on the public map and list only once approved. Text with banned words or personal data (phone or ID numbers) comes first.',
    states: { pending: 'Pending', approved: 'Approved', rejected: 'Rejected' },
    kind: { description: 'Description', comment: 'Rating comment' },
    columns: {
      createdAt: 'Submitted',
      case: 'Case',
      kind: 'Kind',
      body: 'Text',
      flags: 'Flags',
      decision: 'Decision',
    },
    flags: { banned: 'Banned word: {{word}}', phone: 'Phone number', id_card: 'ID number' },
    approve: 'Approve',
    reject: 'Reject',
    publishPhotos: 'Publish the photos too',
    rejectTitle: 'Reason for rejecting',
    rejectPlaceholder: 'e.g. contains personal data (the reporter is told)',
    reasonRequired: 'Give a reason',
    approved: 'Approved: shown on the public portal',
    rejected: 'Rejected',
    decidedAt: 'decided {{at}}',
    reason: 'Reason: {{reason}}',
    empty: 'Nothing waiting for moderation',
  },
};

export default { zh, en };
