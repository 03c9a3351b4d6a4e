/**
 * Road and place names for the demo gazetteer: real names from Chengdu's core, laid on the
 * demo lattice in an invented arrangement (the demo city is not a map of Chengdu).
 */

/** Main roads, cut into 一段/二段/三段 of 2 km: vertical (north → south), then horizontal (west → east). */
export const MAIN_VERTICAL = [
  '清江路',
  '人民南路',
  '青华路',
  '西安路',
  '抚琴路',
  '营门口路',
  '府青路',
  '建设路',
  '双林路',
  '锦绣路',
  '龙舟路',
  '金沙路',
  '红星路',
  '沙湾路',
  '星辉路',
  '交大路',
] as const;
export const MAIN_HORIZONTAL = [
  '蜀都大道',
  '东大街',
  '府南河路',
  '春熙路',
  '光华大道',
  '金牛大道',
  '新华大道',
  '蜀汉路',
  '解放路',
  '一环路',
  '永丰路',
  '科华路',
  '锦华路',
] as const;

/** Minor streets: each 2 km piece is its own street, e.g. 玉沙北路 / 玉沙中路 / 玉沙南路. */
export const MINOR_VERTICAL = [
  '总府',
  '提督',
  '玉沙',
  '文翁',
  '青年',
  '暑袜',
  '华兴',
  '梨花',
  '长顺',
  '东城根',
  '西御',
  '汪家拐',
  '同仁',
  '宁夏',
  '太升',
] as const;
export const MINOR_HORIZONTAL = [
  '西玉龙',
  '小关庙',
  '锦官驿',
  '水井',
  '书院',
  '和平',
  '耿家',
  '镋钯',
  '天涯石',
  '红照壁',
  '草市',
  '八宝',
  '白丝',
] as const;

/** Place categories and how a generated name is built from its road ('{road}' = road without 路/街). */
export const POI_KINDS = [
  { category: '学校', suffix: '小学' },
  { category: '医院', suffix: '社区卫生服务中心' },
  { category: '商场', suffix: '购物中心' },
  { category: '公园', suffix: '公园' },
  { category: '地铁站', suffix: '站' },
  { category: '学校', suffix: '中学' },
  { category: '超市', suffix: '超市' },
  { category: '银行', suffix: '支行' },
  { category: '酒店', suffix: '酒店' },
  { category: '农贸市场', suffix: '农贸市场' },
  { category: '学校', suffix: '幼儿园' },
  { category: '政府机构', suffix: '派出所' },
] as const;

/** Well-known places with aliases, placed behind a door of a demo road (odd: west/north side). */
export const LANDMARKS = [
  { name: '成都国际金融中心', aliases: ['IFS', '国金中心'], category: '商场', road: '春熙路二段', door: 31 },
  { name: '远洋太古里', aliases: ['太古里'], category: '商场', road: '春熙路二段', door: 44 },
  { name: '天府广场', aliases: [], category: '广场', road: '人民南路二段', door: 9 },
  { name: '人民公园', aliases: [], category: '公园', road: '东大街二段', door: 12 },
  { name: '四川大学华西医院', aliases: ['华西医院'], category: '医院', road: '人民南路三段', door: 17 },
  { name: '四川省人民医院', aliases: ['省医院'], category: '医院', road: '蜀汉路一段', door: 61 },
  { name: '宽窄巷子', aliases: [], category: '景区', road: '长顺中路', door: 33 },
  { name: '文殊院', aliases: [], category: '景区', road: '蜀都大道二段', door: 26 },
  { name: '大慈寺', aliases: [], category: '景区', road: '春熙路三段', door: 7 },
  { name: '杜甫草堂', aliases: ['草堂'], category: '景区', road: '光华大道一段', door: 20 },
  { name: '青羊宫', aliases: [], category: '景区', road: '金牛大道一段', door: 55 },
  { name: '百花潭公园', aliases: [], category: '公园', road: '新华大道一段', door: 42 },
  { name: '浣花溪公园', aliases: [], category: '公园', road: '解放路一段', door: 11 },
  { name: '望江楼公园', aliases: ['望江楼'], category: '公园', road: '一环路三段', door: 70 },
  { name: '成都石室中学', aliases: ['石室中学', '文庙'], category: '学校', road: '红照壁中街', door: 23 },
  { name: '成都七中', aliases: ['七中'], category: '学校', road: '永丰路二段', door: 36 },
  { name: '树德中学', aliases: [], category: '学校', road: '东城根中街', door: 14 },
  { name: '成都市第二人民医院', aliases: ['市二医院'], category: '医院', road: '红星路二段', door: 86 },
  { name: '成都火车站', aliases: ['火车北站'], category: '交通枢纽', road: '蜀都大道一段', door: 78 },
  { name: '九眼桥', aliases: [], category: '地标', road: '科华路三段', door: 19 },
  { name: '合江亭', aliases: [], category: '地标', road: '锦华路三段', door: 28 },
  { name: '水井坊博物馆', aliases: ['水井坊'], category: '博物馆', road: '水井中街', door: 53 },
] as const;
