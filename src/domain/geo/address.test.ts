import { describe, expect, it } from 'vitest';
import {
  canonicalSegment,
  normaliseAddress,
  normaliseDoorNumber,
  parseAddress,
  parseRoadName,
} from './address.js';
import { chineseOrdinal, parseChineseNumber } from './numerals.js';

describe('parseAddress', () => {
  it.each([
    [
      '锦江区红星路二段88号',
      { district: '锦江区', road: '红星路', segment: '二段', number: '88号', numberMain: 88 },
    ],
    ['红星路88号', { road: '红星路', number: '88号', numberMain: 88 }],
    ['春熙路 IFS', { road: '春熙路', poi: 'IFS' }],
    ['ＩＦＳ　春熙路', { road: '春熙路', poi: 'IFS' }],
    ['青羊区 府南街道', { district: '青羊区', street: '府南街道' }],
    [
      '四川省成都市锦江区红星路2段88-1号',
      { district: '锦江区', road: '红星路', segment: '二段', number: '88-1号', numberMain: 88 },
    ],
    ['成都市红星路二段88号', { road: '红星路', segment: '二段', number: '88号', numberMain: 88 }],
    [
      '中国四川省成都市青羊区东城根中街14号',
      { district: '青羊区', road: '东城根中街', number: '14号', numberMain: 14 },
    ],
    ['海椒市社区', { community: '海椒市社区' }],
    ['盐市口街道', { street: '盐市口街道' }],
    ['东糠市街社区', { community: '东糠市街社区' }],
    ['督院街街道东大街3号', { street: '督院街街道', road: '东大街', number: '3号', numberMain: 3 }],
    ['人民南路四段一百零三号附近', { road: '人民南路', segment: '四段', number: '103号', numberMain: 103 }],
    ['蜀都大道东段12号', { road: '蜀都大道', segment: '东段', number: '12号', numberMain: 12 }],
    [
      '锦江区春熙路街道红星路社区红星路三段5号3栋2单元',
      {
        district: '锦江区',
        street: '春熙路街道',
        community: '红星路社区',
        road: '红星路',
        segment: '三段',
        number: '5号',
        numberMain: 5,
        detail: '3栋2单元',
      },
    ],
    ['华西医院', { poi: '华西医院' }],
    ['红星路二段88', { road: '红星路', segment: '二段', number: '88号', numberMain: 88 }],
    [
      '金牛区营门口路一段１２号',
      { district: '金牛区', road: '营门口路', segment: '一段', number: '12号', numberMain: 12 },
    ],
    ['下同仁路8号附2号', { road: '下同仁路', number: '8-2号', numberMain: 8 }],
    ['玉沙北路 总府路口', { road: '玉沙北路', poi: '总府路口' }],
    ['双流县东升镇', { district: '双流县', street: '东升镇' }],
    ['春熙路地铁站', { road: '春熙路', poi: '地铁站' }],
    ['天府广场', { poi: '天府广场' }],
    ['红星中路二段七十号', { road: '红星中路', segment: '二段', number: '70号', numberMain: 70 }],
  ])('%s', (text, parts) => {
    expect(parseAddress(text).parts).toEqual(parts);
  });

  it('keeps the text after the administrative parts as a possible place name', () => {
    expect(parseAddress('宽窄巷子').tail).toBe('宽窄巷子');
    expect(parseAddress('青羊区 宽窄巷子').tail).toBe('宽窄巷子');
    expect(parseAddress('锦江区 春熙路街道').tail).toBe('');
    expect(parseAddress('太古里附近').tail).toBe('太古里');
  });

  it('reads nothing from empty or punctuation-only text', () => {
    expect(parseAddress('   ').parts).toEqual({});
    expect(parseAddress('，。').parts).toEqual({});
  });
});

describe('normalisation', () => {
  it('folds full-width characters, spaces and the country/province/city prefix', () => {
    expect(normaliseAddress('  四川省成都市　锦江区  红星路２段８８号 ')).toBe('锦江区 红星路2段88号');
    expect(normaliseAddress('成都市盐市口')).toBe('盐市口');
    expect(normaliseAddress('盐市口街道')).toBe('盐市口街道');
  });

  it('normalises door numbers', () => {
    expect(normaliseDoorNumber('88')).toEqual({ text: '88号', main: 88 });
    expect(normaliseDoorNumber('88号')).toEqual({ text: '88号', main: 88 });
    expect(normaliseDoorNumber('８８－１号')).toEqual({ text: '88-1号', main: 88 });
    expect(normaliseDoorNumber('88号附1号')).toEqual({ text: '88-1号', main: 88 });
    expect(normaliseDoorNumber('八十八号')).toEqual({ text: '88号', main: 88 });
    for (const bad of ['0号', '号', 'A12号', '88-0号', '123456号', '88号楼', ''])
      expect(normaliseDoorNumber(bad)).toBeNull();
  });

  it('splits road names into base and segment', () => {
    expect(parseRoadName('红星路二段')).toEqual({ base: '红星路', segment: '二段' });
    expect(parseRoadName('人民南路4段')).toEqual({ base: '人民南路', segment: '四段' });
    expect(parseRoadName('蜀都大道')).toEqual({ base: '蜀都大道', segment: null });
    expect(parseRoadName('蜀都大道东段')).toEqual({ base: '蜀都大道', segment: '东段' });
    expect(canonicalSegment('12段')).toBe('十二段');
  });

  it('reads Chinese numerals', () => {
    expect(parseChineseNumber('八十八')).toBe(88);
    expect(parseChineseNumber('十二')).toBe(12);
    expect(parseChineseNumber('一百零三')).toBe(103);
    expect(parseChineseNumber('二〇八')).toBe(208);
    expect(parseChineseNumber('两千')).toBe(2000);
    expect(parseChineseNumber('abc')).toBeNull();
    expect(chineseOrdinal(21)).toBe('二十一');
    expect(chineseOrdinal(10)).toBe('十');
    expect(() => chineseOrdinal(0)).toThrow(RangeError);
  });
});
