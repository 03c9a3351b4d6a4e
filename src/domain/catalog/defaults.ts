/**
 * The seeded "立案、处置与结案标准及处置责任分解表": realistic defaults per 小类 from the limits
 * in force in Chinese cities (domain.md §4). Every city edits them; they are data, not rules.
 */
import type { TimeLimit } from '../timelimit/index.js';
import { CLOCK_STEPS, type ClockStep } from '../workflow/states.js';
import type { NationalClass } from './classes.js';
import { AREA_CLASSES, parseLimitText, type StepLimit, URGENCIES, type Urgency } from './limits.js';

export { URGENCIES, URGENCY_LABELS, type Urgency } from './limits.js';

export interface StandardContent {
  filingConditions: string;
  closingConditions: string;
  defaultUrgency: Urgency;
  departmentCodes: string[];
  /** 核查须拍照: the supervisor's 核查 (pass or fail) must carry photos of the site. */
  checkPhotos: boolean;
  limits: StepLimit[];
}

/** [A, B, C] limits as written in the table. */
type Abc = readonly [string, string, string];
const same = (text: string): Abc => [text, text, text];

/** Limits of every step but 处置 by urgency; 处置 comes from the class. */
const STEP_LIMITS: Record<Urgency, Record<Exclude<ClockStep, 'handle'>, Abc>> = {
  normal: {
    intake: same('1工作时'),
    verify: same('1工作时'),
    file: same('1工作时'),
    dispatch: same('1工作时'),
    claim: same('1工作日'),
    sign: same('2工作时'),
    request_check: same('1工作时'),
    check: same('4工作时'),
    close: same('2工作时'),
  },
  urgent: {
    intake: same('15分钟'),
    verify: same('30分钟'),
    file: same('15分钟'),
    dispatch: same('15分钟'),
    claim: same('2小时'),
    sign: same('30分钟'),
    request_check: same('30分钟'),
    check: same('2小时'),
    close: same('2小时'),
  },
  emergency: {
    intake: same('10分钟'),
    verify: same('20分钟'),
    file: same('10分钟'),
    dispatch: same('10分钟'),
    claim: same('1小时'),
    sign: same('15分钟'),
    request_check: same('30分钟'),
    check: same('1小时'),
    close: same('2小时'),
  },
};

interface Profile {
  departments: string[];
  urgency: Urgency;
  handle: Abc;
  filing: string;
  closing: string;
  /** 核查须拍照: a repaired or replaced facility (部件) is shown on a photo, not described. */
  checkPhotos: boolean;
}

const COVER: Omit<Profile, 'departments'> = {
  urgency: 'urgent',
  handle: same('6小时'),
  filing: '井盖破损、缺失、移位，面积大于0.01平方米或下沉超过2厘米',
  closing: '井盖恢复完好，安装牢固，周边无安全隐患',
  checkPhotos: true,
};
const FACILITY = (departments: string[], handle: Abc = ['1工作日', '2工作日', '3工作日']): Profile => ({
  departments,
  urgency: 'normal',
  handle,
  filing: '设施破损、缺失、倾斜或功能障碍，影响正常使用或存在安全隐患',
  closing: '设施修复或更换完好，功能正常，现场清理干净',
  checkPhotos: true,
});
const ORDER = (departments: string[], filing: string, closing: string, handle: Abc): Profile => ({
  departments,
  urgency: 'normal',
  handle,
  filing,
  closing,
  checkPhotos: false,
});
const EMERGENCY = (departments: string[], filing: string, closing: string, handle: Abc): Profile => ({
  departments,
  urgency: 'emergency',
  handle,
  filing,
  closing,
  checkPhotos: false,
});

/** Covers by owner: the department that maintains the network under them. */
const COVER_OWNERS: Record<string, string[]> = {
  '01': ['GS'],
  '02': ['SZ'],
  '03': ['SZ'],
  '04': ['SZ'],
  '05': ['GD'],
  '06': ['SZ'],
  '07': ['TX'],
  '08': ['TX'],
  '09': ['TX'],
  '10': ['SZ'],
  '11': ['RQ'],
  '12': ['JG'],
  '14': ['SZ'],
  '27': ['GS'],
  '28': ['JG'],
  '29': ['RQ'],
  '30': ['SZ'],
};

/** Per-class profiles keyed "c0101" (部件 01 01) / "e0102" (事件 01 02); the rest by major. */
const CLASS_PROFILES: Record<string, Profile> = {
  c0115: FACILITY(['TX']),
  c0116: FACILITY(['GD']),
  c0118: FACILITY(['SZ'], ['4工作时', '1工作日', '1工作日']),
  c0121: FACILITY(['ZF']),
  c0122: FACILITY(['TX']),
  c0124: FACILITY(['ZF']),
  c0125: FACILITY(['ZF']),
  c0131: FACILITY(['GS']),
  c0132: FACILITY(['GS']),
  c0133: FACILITY(['GD']),
  c0134: FACILITY(['GD']),
  c0135: FACILITY(['RQ'], same('4小时')),
  c0136: FACILITY(['JG']),
  c0137: FACILITY(['ZF']),
  c0138: FACILITY(['JG']),
  c0201: FACILITY(['JG']),
  c0205: FACILITY(['SZ']),
  c0206: FACILITY(['SZ']),
  c0207: FACILITY(['SZ']),
  c0208: FACILITY(['SZ']),
  c0216: FACILITY(['SZ']),
  c0306: FACILITY(['ZF']),
  c0307: FACILITY(['ZF']),
  c0501: FACILITY(['ZF']),
  c0603: FACILITY(['SZ']),
  c0604: FACILITY(['SZ']),
  c0606: FACILITY(['SZ']),
  e0101: ORDER(
    ['ZF'],
    '未经批准搭建建筑物、构筑物或其他设施',
    '违法建设已拆除，现场清理干净',
    same('5工作日'),
  ),
  e0102: ORDER(['HW'], '道路、绿地等公共场所有暴露垃圾，面积大于0.5平方米', '垃圾清运完毕，地面无残留', [
    '4工作时',
    '6工作时',
    '1工作日',
  ]),
  e0103: ORDER(['HW'], '公共场所积存垃圾、渣土超过0.5立方米', '积存垃圾、渣土清运完毕，现场整洁', [
    '1工作日',
    '1工作日',
    '2工作日',
  ]),
  e0104: ORDER(['HW'], '道路有明显污渍、泥沙或散落废弃物，影响市容', '道路清扫保洁干净，无明显污渍和废弃物', [
    '2工作时',
    '3工作时',
    '5工作时',
  ]),
  e0105: ORDER(
    ['HW'],
    '水面有漂浮垃圾、油污或水体明显发黑发臭',
    '水面漂浮物打捞干净，岸边整洁',
    same('1工作日'),
  ),
  e0106: ORDER(['YL'], '绿地内有垃圾、杂物堆放或明显脏乱', '绿地清理干净，无垃圾杂物', same('1工作日')),
  e0107: ORDER(
    ['JG'],
    '道路或公共场所停放无牌、破损且长期无人使用的车辆',
    '废弃车辆已拖移或处置',
    same('5工作日'),
  ),
  e0109: ORDER(['YL'], '树木上悬挂非装饰性物品，影响市容或安全', '树挂物全部清除', same('1工作日')),
  e0110: ORDER(['SZ'], '道路路面破损、坑槽面积大于0.1平方米或深度超过3厘米', '路面修复平整，无安全隐患', [
    '1工作日',
    '2工作日',
    '3工作日',
  ]),
  e0111: ORDER(['SZ'], '河堤护坡、护岸破损，存在安全隐患', '河堤修复完好，无安全隐患', same('5工作日')),
  e0113: ORDER(['ZF'], '建筑物外立面明显污损、乱涂乱画', '外立面清洗或粉刷干净', same('5工作日')),
  e0115: ORDER(['ZF'], '露天焚烧树叶、垃圾等产生烟尘', '焚烧行为已制止，现场清理干净', same('2工作时')),
  e0116: ORDER(
    ['ZF'],
    '餐饮经营油烟未经净化直排，影响周边环境',
    '已安装油烟净化设施或停止直排',
    same('5工作日'),
  ),
  e0117: ORDER(['HW'], '道路、公共场所有动物尸体', '动物尸体已清理并消毒', same('2工作时')),
  e0201: ORDER(
    ['ZF'],
    '在建筑物、设施、树木等处张贴、涂写、喷涂小广告',
    '小广告清除干净，无残留痕迹',
    same('1工作日'),
  ),
  e0302: ORDER(
    ['ZF'],
    '施工工地未采取围挡、覆盖、洒水等措施，扬尘明显',
    '防尘措施落实到位，无明显扬尘',
    same('4工作时'),
  ),
  e0305: ORDER(['SZ', 'ZF'], '未经许可挖掘城市道路', '违法掘路已制止，路面恢复', same('1工作日')),
  e0401: EMERGENCY(['SZ'], '路面出现塌陷或明显沉降，危及通行安全', '塌陷处已修复，路面通行安全', [
    '2小时',
    '4小时',
    '4小时',
  ]),
  e0402: EMERGENCY(['GS'], '自来水管破裂造成跑水、冒水', '管道修复，路面恢复，无积水', [
    '4小时',
    '6小时',
    '6小时',
  ]),
  e0403: EMERGENCY(['RQ'], '燃气管道破裂或泄漏', '泄漏点已封堵修复，检测无泄漏', ['2小时', '2小时', '4小时']),
  e0404: EMERGENCY(['SZ'], '下水道堵塞造成污水外溢，或管道破损', '管道疏通或修复，污水不再外溢', [
    '4小时',
    '6小时',
    '6小时',
  ]),
  e0405: EMERGENCY(['SZ'], '热力管道破裂造成泄漏或冒汽', '管道修复，无泄漏', ['4小时', '6小时', '6小时']),
  e0406: EMERGENCY(['SZ'], '道路积水深度超过15厘米，影响通行', '积水排除，道路恢复通行', [
    '2小时',
    '4小时',
    '4小时',
  ]),
  e0407: EMERGENCY(['HW'], '主次干道积雪结冰，影响通行安全', '积雪清除、冰面处理，道路通行安全', [
    '4小时',
    '6小时',
    '12小时',
  ]),
  e0408: EMERGENCY(['TX', 'GD'], '架空线缆断落、垂落，危及行人车辆安全', '线缆已修复或规整，无安全隐患', [
    '2小时',
    '4小时',
    '4小时',
  ]),
  e0409: EMERGENCY(['ZF'], '公共场所人员聚集，影响公共秩序', '人员疏散，秩序恢复', same('1小时')),
  e0505: ORDER(['JG'], '机动车在人行道、绿地或禁停区域停放，影响通行', '车辆已驶离或拖移', [
    '2工作时',
    '4工作时',
    '4工作时',
  ]),
  e0506: ORDER(['ZF'], '非机动车乱停乱放，影响行人通行', '车辆摆放整齐或清理', [
    '2工作时',
    '4工作时',
    '4工作时',
  ]),
};

function majorProfile(c: NationalClass): Profile {
  if (c.kind === 'component') {
    const owner = c.majorCode === '01' ? COVER_OWNERS[c.minorCode] : undefined;
    if (owner) return { ...COVER, departments: owner };
    const byMajor: Record<string, string[]> = {
      '01': ['SZ'],
      '02': ['JG'],
      '03': ['HW'],
      '04': ['YL'],
      '05': ['ZF'],
      '06': ['ZF'],
    };
    return FACILITY(byMajor[c.majorCode] ?? ['SZ']);
  }
  const fallback: Record<string, Profile> = {
    '01': ORDER(
      ['HW'],
      '公共场所存在影响市容环境的问题，经核实属实',
      '问题已处理，现场整洁',
      same('1工作日'),
    ),
    '02': ORDER(['ZF'], '违规设置、张贴或散发广告，影响市容', '违规广告已清除或整改', same('2工作日')),
    '03': ORDER(
      ['ZF'],
      '施工单位违反文明施工规定，影响周边环境',
      '违规行为已整改，现场符合文明施工要求',
      same('1工作日'),
    ),
    '04': EMERGENCY(['SZ'], '突发事件危及公共安全', '险情排除，现场恢复', same('4小时')),
    '05': ORDER(['ZF'], '占用道路或公共场所从事经营等活动，影响街面秩序', '违规行为已制止，现场恢复整洁', [
      '2工作时',
      '4工作时',
      '1工作日',
    ]),
  };
  return fallback[c.majorCode] ?? fallback['01']!;
}

export function profileOf(c: NationalClass): Profile {
  return CLASS_PROFILES[`${c.kind[0]}${c.majorCode}${c.minorCode}`] ?? majorProfile(c);
}

function limitOf(text: string): TimeLimit {
  const limit = parseLimitText(text);
  if (!limit) throw new Error(`bad default limit ${text}`);
  return limit;
}

/**
 * The default standard of one national 小类. The class's own limits (一般) are those of its
 * profile's urgency (a manhole cover's own sign limit is already the 紧急 30 minutes); the
 * stricter levels above it get their own rows for every step but 处置, whose limit depends on
 * the job and so falls back to the class's own (see URGENCY_FALLBACK).
 */
export function defaultStandard(c: NationalClass): StandardContent {
  return standardOf(profileOf(c));
}

/**
 * Defaults for GB/T 47678.5 classes that have nothing to derive from (derive.ts): a 井盖 of an
 * owner, another facility of a department, or an event like the 30428.2 event major's fallback.
 */
export const FALLBACK_STANDARDS = {
  cover: (department: string): StandardContent => standardOf({ ...COVER, departments: [department] }),
  facility: (department: string): StandardContent => standardOf(FACILITY([department])),
  event: (major30428: string): StandardContent =>
    standardOf(
      majorProfile({
        kind: 'event',
        majorCode: major30428,
        majorName: '',
        minorCode: '00',
        minorName: '',
        sources: 1,
      }),
    ),
};

function standardOf(p: Profile): StandardContent {
  const own = STEP_LIMITS[p.urgency];
  const stricter = URGENCIES.slice(URGENCIES.indexOf(p.urgency) + 1);
  const row = (step: ClockStep, abc: Abc, urgency: Urgency): StepLimit[] =>
    AREA_CLASSES.map((areaClass, i) => ({ step, areaClass, urgency, limit: limitOf(abc[i] ?? abc[0]) }));
  return {
    filingConditions: p.filing,
    closingConditions: p.closing,
    defaultUrgency: p.urgency,
    departmentCodes: p.departments,
    checkPhotos: p.checkPhotos,
    limits: [
      ...CLOCK_STEPS.flatMap((step) => row(step, step === 'handle' ? p.handle : own[step], 'normal')),
      ...stricter.flatMap((urgency) =>
        CLOCK_STEPS.filter((step) => step !== 'handle').flatMap((step) =>
          row(step, STEP_LIMITS[urgency][step as Exclude<ClockStep, 'handle'>], urgency),
        ),
      ),
    ],
  };
}
