/**
 * The error catalogue. Services throw AppError with a stable code; the HTTP layer maps it to
 * `{ "error": { "code", "message", "messages": { zh, en }, "details" } }`. Domain code never
 * throws HTTP exceptions.
 */
export interface Message {
  zh: string;
  en: string;
}

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: '请求参数不合法', en: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的请求内容类型', en: 'Unsupported content type' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Authentication required' },
  SESSION_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'The session has expired; log in again' },
  INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  INVALID_API_KEY: { status: 401, zh: 'API 密钥无效或已吊销', en: 'The API key is invalid or revoked' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '连续登录失败次数过多，账号已临时锁定',
    en: 'Too many failed logins; the account is temporarily locked',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'The account is disabled' },
  FORBIDDEN: { status: 403, zh: '没有执行此操作的权限', en: 'You are not allowed to do this' },
  NOT_FOUND: { status: 404, zh: '资源不存在', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不支持该请求方法', en: 'Method not allowed' },
  CONFLICT: { status: 409, zh: '数据冲突', en: 'Conflict with existing data' },
  USERNAME_TAKEN: { status: 409, zh: '用户名已存在', en: 'The username is already taken' },
  PASSWORD_WEAK: { status: 400, zh: '密码不符合安全策略', en: 'The password does not meet the policy' },
  PASSWORD_WRONG: { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  GRID_CODE_FORMAT: { status: 400, zh: '单元网格编码格式错误', en: 'Malformed unit grid code' },
  GRID_CODE_COMMUNITY_MISMATCH: {
    status: 400,
    zh: '单元网格编码与所属社区不一致',
    en: 'The grid code does not match its community',
  },
  GRID_CODE_SEQUENCE: { status: 400, zh: '单元网格顺序码无效', en: 'Invalid grid sequence number' },
  GRID_GEOMETRY_INVALID: { status: 400, zh: '单元网格图形无效', en: 'The grid polygon is invalid' },
  DIVISION_INVALID: { status: 400, zh: '行政区划编码或层级不正确', en: 'Invalid division code or level' },
  ORG_UNIT_INVALID: { status: 400, zh: '所属机构不正确', en: 'Invalid organisation unit' },
  // — catalog (categories, standards, xlsx) —
  // — grid import and history —
  // — components —
  // — geocoding and gazetteer —
  // — map layers —
  // — cases —
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  DATABASE_UNAVAILABLE: { status: 503, zh: '数据库暂不可用', en: 'The database is unavailable' },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
} as const satisfies Record<string, { status: number } & Message>;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly status: number;
  readonly messages: Message;
  readonly details: unknown;

  constructor(
    readonly code: ErrorCode,
    options: { details?: unknown; message?: Partial<Message> } = {},
  ) {
    const base = ERRORS[code];
    const messages = { zh: options.message?.zh ?? base.zh, en: options.message?.en ?? base.en };
    super(messages.en);
    this.status = base.status;
    this.messages = messages;
    this.details = options.details;
  }
}

export const notFound = (what?: string) =>
  new AppError('NOT_FOUND', what ? { details: { resource: what } } : {});
export const forbidden = (permission?: string) =>
  new AppError('FORBIDDEN', permission ? { details: { permission } } : {});
