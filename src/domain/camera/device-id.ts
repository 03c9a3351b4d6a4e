/**
 * GB/T 28181 device ids: 20 digits = 中心编码 8 (行政区划 GB/T 2260 6 + 基层单位 2) + 行业 2 +
 * 类型 3 + 网络标识 1 + 序号 6 (integration.md §2.1). Kept as strings: leading zeros matter.
 */
export interface DeviceIdParts {
  division: string;
  industry: string;
  type: string;
  network: string;
  serial: string;
}

/** Front-end video devices an AI event may come from: 131 camera, 132 IPC. */
export const CAMERA_TYPES: Readonly<Record<string, string>> = { '131': '摄像机', '132': '网络摄像机 (IPC)' };

export function parseDeviceId(id: string): DeviceIdParts | null {
  if (!/^[0-9]{20}$/.test(id)) return null;
  const division = id.slice(0, 6);
  // A province code of GB/T 2260 is 11–82 (11 北京 … 82 澳门).
  const province = Number(division.slice(0, 2));
  if (province < 11 || province > 82) return null;
  return {
    division,
    industry: id.slice(8, 10),
    type: id.slice(10, 13),
    network: id.slice(13, 14),
    serial: id.slice(14),
  };
}

/** A well-formed id of a camera or IPC (what the registry holds). */
export function isCameraDeviceId(id: string): boolean {
  const parts = parseDeviceId(id);
  return parts !== null && parts.type in CAMERA_TYPES;
}
