/**
 * The reviewed mapping GB/T 30428.2 → GB/T 47678.5, class by class. Many-to-many: a class may
 * split (立杆 → five 立杆 classes, 广告牌匾 → 户外广告 + 牌匾标识), several old classes may land on
 * one new class, and some have no counterpart (most of 事件 04 突发事件, 人防工事, 工地 …).
 *
 * Started from shared/data/gbt30428-to-47678-by-name.csv (automatic name match: exact or
 * "contains"), then reviewed against both lists read in full. `basis`:
 * - 'name': the automatic match, kept as it is (same name, or one name contains the other and
 *   the review confirms it is the same class);
 * - 'reviewed': differs from the automatic match (a renamed class it missed, a loose "contains"
 *   hit replaced, a split added, or no counterpart): `note` says why.
 * Both kinds map within their kind: a 部件 case stays a 部件 case. (47678.5 also lists each
 * component's problem as 管理事项 01–05 "<部件>异常" under the same code; those follow the
 * component, see derive.ts.)
 */
import type { Kind } from './codes.js';

export type MappingBasis = 'name' | 'reviewed';

export interface ReviewedMapping {
  kind: Kind;
  /** GB/T 30428.2 小类 code (4 digits). */
  from: string;
  /** GB/T 47678.5 小类 codes (5 digits); empty: no counterpart. */
  to: readonly string[];
  basis: MappingBasis;
  /** Why the row differs from the automatic match (required for 'reviewed'). */
  note?: string;
}

type Row = readonly [kind: 'c' | 'e', from: string, to: readonly string[], note?: string];

const name = (k: 'c' | 'e', from: string, ...to: string[]): Row => [k, from, to];
const review = (k: 'c' | 'e', from: string, to: readonly string[], note: string): Row => [k, from, to, note];

const EMERGENCY =
  '47678.5 无「突发事件」大类，也无同义事项：此类险情由应急与管线权属单位处置，迁移时由管理员指定或保留原类别';

const ROWS: readonly Row[] = [
  // — 部件 01 公用设施 → 01 市政公用设施 —
  review('c', '0101', ['01001'], '更名：上水井盖 → 供水井盖（同一设施，名称自动匹配未命中）'),
  name('c', '0102', '01002'),
  name('c', '0103', '01003'),
  name('c', '0104', '01004'),
  name('c', '0105', '01005'),
  name('c', '0106', '01006'),
  review('c', '0107', ['01007'], '更名：通讯井盖 → 通信井盖（通讯/通信同义）'),
  name('c', '0108', '01008'),
  name('c', '0109', '01009'),
  name('c', '0110', '01010'),
  name('c', '0111', '01011'),
  name('c', '0112', '01012'),
  name('c', '0113', '01013'),
  review('c', '0114', ['01023'], '更名：无主井盖 → 不明井盖（权属不明的井盖）'),
  review('c', '0115', ['01027'], '更名：通讯交接箱 → 通信交接箱（通讯/通信同义）'),
  name('c', '0116', '01028'),
  // 立杆 splits by owner; a moved case needs the admin's choice.
  name('c', '0117', '01030', '01031', '01032', '01033', '01034'),
  name('c', '0118', '01037'),
  name('c', '0119', '01038'),
  name('c', '0120', '01039'),
  name('c', '0121', '01040'),
  name('c', '0122', '01041'),
  name('c', '0123', '01042'),
  name('c', '0124', '01043'),
  name('c', '0125', '01045'),
  name('c', '0126', '01046'),
  name('c', '0127', '01019'),
  name('c', '0128', '01020'),
  name('c', '0129', '01021'),
  name('c', '0130', '01022'),
  name('c', '0131', '01024'),
  name('c', '0132', '01025'),
  name('c', '0133', '01047'),
  name('c', '0134', '01048'),
  name('c', '0135', '01049'),
  name('c', '0136', '01050'),
  name('c', '0137', '01044'),
  name('c', '0138', '01051'),
  // — 部件 02 道路交通 → 02 交通设施 —
  name('c', '0201', '02001'),
  review('c', '0202', ['02003'], '更名：停车咪表 → 停车计费设备（咪表即停车计费表）'),
  review('c', '0203', ['02004'], '扩展：公交站亭 → 公交站设施（站亭属于公交站设施）'),
  review('c', '0204', ['02005'], '更名：出租车站牌 → 出租车停靠站'),
  name('c', '0205', '02006'),
  name('c', '0206', '02007'),
  name('c', '0207', '02008'),
  name('c', '0208', '02009'),
  name('c', '0209', '02010'),
  name('c', '0210', '02014'),
  name('c', '0211', '02017'),
  name('c', '0212', '02027'),
  name('c', '0213', '02012'),
  name('c', '0214', '02015'),
  name('c', '0215', '02023'),
  name('c', '0216', '02024'),
  name('c', '0217', '02016'),
  // — 部件 03 市容环境 → 03 市容环卫设施 —
  name('c', '0301', '03001'),
  name('c', '0302', '03003'),
  name('c', '0303', '03002'),
  name('c', '0304', '03004'),
  name('c', '0305', '03005'),
  review(
    'c',
    '0306',
    ['03006', '03007'],
    '拆分：灯箱霓虹灯在 47678.5 按用途归户外广告或牌匾标识（名称自动匹配未命中）',
  ),
  review('c', '0307', ['03006', '03007'], '拆分：广告牌匾 → 户外广告 + 牌匾标识（47678.5 分列两类）'),
  name('c', '0308', '03010'),
  name('c', '0309', '03009'),
  name('c', '0310', '03011'),
  name('c', '0311', '03013'),
  // — 部件 04 园林绿化 → 04 园林绿化设施 —
  name('c', '0401', '04001'),
  name('c', '0402', '04002'),
  name('c', '0403', '04004'),
  name('c', '0404', '04005'),
  name('c', '0405', '04013'),
  name('c', '0406', '04006'),
  review('c', '0407', ['04007'], '异体字：街头坐椅 → 街头座椅'),
  name('c', '0408', '04008'),
  review(
    'c',
    '0409',
    ['04009'],
    '改正：自动匹配「绿地」过宽（只是名称包含）；绿地内的维护设施即绿地附属设施',
  ),
  name('c', '0410', '04010'),
  // — 部件 05 房屋土地 / 06 其他设施: spread over 01–05 —
  name('c', '0501', '03008'),
  review('c', '0502', [], '无对应：47678.5 部件目录不含人防工事'),
  name('c', '0503', '05002'),
  review('c', '0601', [], '无对应：47678.5 部件目录不含重大危险源'),
  review('c', '0602', [], '无对应：47678.5 不把工地列为部件，施工问题见管理事项 08 施工管理类'),
  name('c', '0603', '01069'),
  name('c', '0604', '01070'),
  name('c', '0605', '02031'),
  name('c', '0606', '01071'),
  // — 事件 01 市容环境 → 06 市容环境类 —
  name('e', '0101', '06001'),
  name('e', '0102', '06010'),
  name('e', '0103', '06011'),
  name('e', '0104', '06012'),
  name('e', '0105', '06025'),
  name('e', '0106', '06017'),
  name('e', '0107', '06034'),
  name('e', '0108', '06035'),
  review('e', '0109', ['06019'], '扩展：非装饰性树挂 → 非装饰性吊挂（不限于树木）'),
  name('e', '0110', '06013'),
  review('e', '0111', ['06023'], '更名：河堤破损 → 堤岸破损'),
  name('e', '0112', '06014'),
  review('e', '0113', ['06004'], '更名：建筑物外立面不洁 → 建筑物外立面污损'),
  review('e', '0114', ['06024'], '更名：水域秩序问题 → 水域秩序乱象'),
  review('e', '0115', ['06020'], '语序：焚烧树叶垃圾 → 焚烧垃圾、树叶'),
  name('e', '0116', '06027'),
  name('e', '0117', '06037'),
  review('e', '0118', ['06038'], '同义：私自饲养家禽家畜 → 擅自饲养家禽家畜'),
  // — 事件 02 宣传广告 → 07 宣传广告类 —
  name('e', '0201', '07001'),
  review(
    'e',
    '0202',
    ['07003', '07006'],
    '拆分：违章张贴悬挂广告牌匾 → 违规户外广告 + 违规牌匾标识（47678.5 分列两类）',
  ),
  review('e', '0203', ['07003'], '归并：占道设置的广告牌属于违规户外广告'),
  name('e', '0204', '07002'),
  review(
    'e',
    '0205',
    ['03006', '03007'],
    '改归：广告招牌破损在 47678.5 是部件异常（户外广告异常 / 牌匾标识异常）',
  ),
  // — 事件 03 施工管理 → 08 施工管理类 —
  name('e', '0301', '08001'),
  name('e', '0302', '08004'),
  name('e', '0303', '08005'),
  name('e', '0304', '08002'),
  name('e', '0305', '08003'),
  // — 事件 04 突发事件: no major in 47678.5; two classes live on in 10 其他事项类 —
  review('e', '0401', [], EMERGENCY),
  review('e', '0402', [], EMERGENCY),
  review('e', '0403', [], EMERGENCY),
  review('e', '0404', [], EMERGENCY),
  review('e', '0405', [], EMERGENCY),
  review('e', '0406', [], EMERGENCY),
  name('e', '0407', '10001'),
  review('e', '0408', ['10002'], '更名：架空线缆损坏 → 架空线缆脱落（47678.5 其他事项类）'),
  review('e', '0409', [], EMERGENCY),
  // — 事件 05 街面秩序 → 09 街面秩序类 (some to 06) —
  name('e', '0501', '09001'),
  name('e', '0502', '09003'),
  review('e', '0503', ['09004'], '更名：占道废品收购 → 废品收购乱象'),
  name('e', '0504', '09005'),
  name('e', '0505', '09009'),
  name('e', '0506', '09010'),
  review('e', '0507', ['06036'], '更名并改归市容环境类：乱堆物堆料 → 乱堆杂物'),
  review('e', '0508', ['06028'], '扩展：商业噪音 → 噪声扰民（不限于商业噪声）'),
  review('e', '0509', [], '无对应：47678.5 不含黑车拉客（属交通执法）'),
  name('e', '0510', '06029'),
  name('e', '0511', '06007'),
  name('e', '0512', '09008'),
];

export const REVIEWED_MAPPING: readonly ReviewedMapping[] = ROWS.map(([k, from, to, note]) => ({
  kind: k === 'c' ? 'component' : 'event',
  from,
  to,
  basis: note === undefined ? 'name' : 'reviewed',
  ...(note === undefined ? {} : { note }),
}));
