import { describe, expect, it } from 'vitest';
import { isCameraDeviceId, parseDeviceId } from './device-id.js';

describe('GB/T 28181 device ids', () => {
  it('splits a 20-digit id into its parts', () => {
    expect(parseDeviceId('51010400001310000001')).toEqual({
      division: '510104',
      industry: '00',
      type: '131',
      network: '0',
      serial: '000001',
    });
  });

  it('refuses ids of the wrong length, with letters, or outside GB/T 2260 provinces', () => {
    expect(parseDeviceId('5101040000131000000')).toBeNull();
    expect(parseDeviceId('510104000013100000012')).toBeNull();
    expect(parseDeviceId('5101040000131000000A')).toBeNull();
    expect(parseDeviceId('99010400001310000001')).toBeNull();
    expect(parseDeviceId('05010400001310000001')).toBeNull();
  });

  it('knows a camera (131) or IPC (132) from a SIP server (200) or an alarm input (134)', () => {
    expect(isCameraDeviceId('51010400001310000001')).toBe(true);
    expect(isCameraDeviceId('51010400001326000001')).toBe(true);
    expect(isCameraDeviceId('51010400002000000001')).toBe(false);
    expect(isCameraDeviceId('51010400001340000001')).toBe(false);
  });
});
