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
  // — request input (platform/http/input-guard) —
  JSON_TOO_DEEP: {
    status: 400,
    zh: '请求体 JSON 嵌套层数过多',
    en: 'The JSON request body is nested too deeply',
  },
  URI_TOO_LONG: { status: 414, zh: '请求地址过长', en: 'The request URL is too long' },
  HEADERS_TOO_LARGE: { status: 431, zh: '请求头过大', en: 'The request headers are too large' },
  REQUEST_TIMEOUT: { status: 408, zh: '请求超时', en: 'The request timed out' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Authentication required' },
  SESSION_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'The session has expired; log in again' },
  INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  INVALID_API_KEY: { status: 401, zh: 'API 密钥无效或已吊销', en: 'The API key is invalid or revoked' },
  APIKEY_NOT_SERVICE_ACCOUNT: {
    status: 400,
    zh: 'API 密钥只能发给服务账号',
    en: 'API keys are issued to service accounts only',
  },
  APIKEY_PERMISSION_NOT_IN_ROLE: {
    status: 400,
    zh: '授予的权限超出该服务账号角色的权限',
    en: "A granted permission is not among the service account's role permissions",
  },
  SERVICE_ACCOUNT_NO_PASSWORD: {
    status: 400,
    zh: '服务账号没有登录密码，只能通过 API 密钥访问',
    en: 'Service accounts have no password; they use API keys',
  },
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
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    zh: '请先修改初始密码',
    en: 'Change the one-time password first',
  },
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
  CATALOG_CODE_INVALID: { status: 400, zh: '类别代码格式错误', en: 'Malformed category code' },
  CATALOG_PARENT_INVALID: { status: 400, zh: '上级类别不正确', en: 'Invalid parent category' },
  CATALOG_CATEGORY_NOT_LOCAL: {
    status: 409,
    zh: '国家标准类别不能修改，只能修改本地扩展类别',
    en: 'Only local categories can be changed, not national ones',
  },
  CATALOG_CATEGORY_HAS_CHILDREN: {
    status: 409,
    zh: '该类别下还有启用的下级类别',
    en: 'The category still has active sub-categories',
  },
  CATALOG_MAPPING_INVALID: { status: 400, zh: '类别对应关系不正确', en: 'Invalid category mapping' },
  CATALOG_MAPPING_CONFLICT: {
    status: 409,
    zh: '该类别已标记为无对应类别，或已有对应类别',
    en: 'The class is marked as having no counterpart, or already has one',
  },
  CATALOG_MOVE_UNRESOLVED: {
    status: 400,
    zh: '迁移方案不完整或有误，未迁移任何案卷',
    en: 'The move leaves classes unresolved or names bad targets; no case was moved',
  },
  CATALOG_MOVE_CHANGED: {
    status: 409,
    zh: '预览后案卷有变化，请重新预览后再执行',
    en: 'Cases changed since the preview; preview again before applying',
  },
  CATALOG_DEPARTMENT_UNKNOWN: { status: 400, zh: '责任部门不存在', en: 'Unknown responsible department' },
  CATALOG_VERSION_PUBLISHED: {
    status: 409,
    zh: '已发布的标准版本不可修改',
    en: 'A published standards version cannot be changed',
  },
  CATALOG_EFFECTIVE_DATE_PAST: {
    status: 400,
    zh: '生效日期不能早于今天',
    en: 'The effective date cannot be in the past',
  },
  CATALOG_EFFECTIVE_DATE_TAKEN: {
    status: 409,
    zh: '该日期已有标准版本生效',
    en: 'Another version already takes effect on that date',
  },
  CATALOG_NO_EFFECTIVE_VERSION: {
    status: 404,
    zh: '该时间没有生效的标准版本',
    en: 'No standards version is in effect at that time',
  },
  CATALOG_FILE_UNREADABLE: {
    status: 400,
    zh: '文件不是有效的 xlsx 表格',
    en: 'The file is not a readable .xlsx workbook',
  },
  CATALOG_IMPORT_INVALID: {
    status: 400,
    zh: '标准表有错误，未导入任何数据',
    en: 'The standards table has errors; nothing was imported',
  },
  // — grid import and history —
  GRID_IMPORT_FILE: { status: 400, zh: '网格文件无法读取', en: 'The grid file cannot be read' },
  GRID_IMPORT_INVALID: {
    status: 400,
    zh: '网格文件未通过校验，未写入任何数据',
    en: 'The grid file failed validation; nothing was written',
  },
  GRID_CRS_UNKNOWN: {
    status: 400,
    zh: '坐标系无法识别或不受支持',
    en: 'Unknown or unsupported coordinate system',
  },
  GRID_CRS_CONFLICT: {
    status: 400,
    zh: '声明的坐标系与文件中的坐标系不一致',
    en: 'The declared coordinate system differs from the one in the file',
  },
  GRID_CRS_OUT_OF_RANGE: {
    status: 400,
    zh: '坐标超出所声明坐标系的取值范围',
    en: 'Coordinates lie outside the range of the declared coordinate system',
  },
  GRID_OUTSIDE_COMMUNITY: {
    status: 400,
    zh: '单元网格超出所属社区边界',
    en: 'The grid lies outside its community',
  },
  GRID_NOT_CURRENT: { status: 409, zh: '单元网格已停用', en: 'The grid is no longer current' },
  GRID_SPLIT_INVALID: { status: 400, zh: '单元网格拆分无效', en: 'Invalid grid split' },
  GRID_MERGE_INVALID: { status: 400, zh: '单元网格合并无效', en: 'Invalid grid merge' },
  GRID_SEQUENCE_EXHAUSTED: {
    status: 409,
    zh: '社区内已无可用的网格序号',
    en: 'The community has no free grid sequence number left',
  },
  // — components —
  COMPONENT_CODE_FORMAT: { status: 400, zh: '部件编码格式错误', en: 'Malformed component id' },
  COMPONENT_FIELD_INVALID: { status: 400, zh: '部件属性不合法', en: 'Invalid component attribute' },
  COMPONENT_CATEGORY_UNKNOWN: {
    status: 400,
    zh: '部件小类不在类别目录中',
    en: 'The component class is not in the catalog',
  },
  COMPONENT_GRID_INVALID: {
    status: 400,
    zh: '部件位置与单元网格不一致',
    en: 'The component position does not match a unit grid',
  },
  COMPONENT_DEPARTMENT_UNKNOWN: { status: 400, zh: '部门不存在', en: 'Unknown department' },
  COMPONENT_ID_TAKEN: { status: 409, zh: '部件编码已存在', en: 'The component id is already taken' },
  // — IoT (issue 15) —
  IOT_DEVICE_TAKEN: { status: 409, zh: '设备编号已登记', en: 'The device id is already registered' },
  IOT_DEVICE_TYPE_UNKNOWN: { status: 400, zh: '设备类型不存在', en: 'Unknown device type' },
  // — 井盖专项 (covers) —
  COVER_NOT_A_COVER: {
    status: 400,
    zh: '该部件不是井盖类部件',
    en: 'The component is not of a manhole-cover class',
  },
  COVER_TAKEN: { status: 409, zh: '该井盖已登记', en: 'The cover is already registered' },
  COVER_DEPARTMENT_UNKNOWN: {
    status: 400,
    zh: '权属或养护单位不存在',
    en: 'Unknown owner or maintainer department',
  },
  COVER_LIMITS_INVALID: { status: 400, zh: '井盖处置时限不合理', en: 'The cover limits are not valid' },
  COVER_CASE_NOT_COVER: {
    status: 400,
    zh: '该案卷不是已登记井盖的部件案卷',
    en: 'The case is not a component case of a registered cover',
  },
  COVER_CASE_CLOSED: { status: 409, zh: '案卷已结束，不能再开始应急处置', en: 'The case has ended' },
  COVER_FLOW_EXISTS: { status: 409, zh: '该案卷已开始井盖应急处置', en: 'The case already has a cover flow' },
  COVER_STEP_OUT_OF_ORDER: {
    status: 409,
    zh: '应急处置须按 警示围挡→临时覆盖→修复→核查 的顺序进行',
    en: 'Steps go in order: barrier, temporary cover, repair, check',
  },
  COVER_STEP_BEFORE_PREVIOUS: {
    status: 400,
    zh: '处置时间不能早于上一步',
    en: 'A step cannot be earlier than the step before it',
  },
  COVER_STEP_IN_FUTURE: { status: 400, zh: '处置时间不能晚于当前时间', en: 'A step cannot be in the future' },
  COVER_STEP_NOT_YOURS: {
    status: 403,
    zh: '该步骤须由井盖权属（养护）单位或网格监督员记录',
    en: "This step is recorded by the cover's owner (or maintainer), or the check by the grid's supervisor",
  },
  COVER_EXCEPTION_REASON_REQUIRED: {
    status: 400,
    zh: '延长至例外时限须说明原因（至少 4 个字）',
    en: 'The exception needs a reason (4 characters or more)',
  },
  COVER_EXCEPTION_ALREADY_TAKEN: { status: 409, zh: '已申请例外时限', en: 'The exception is already taken' },
  COVER_EXCEPTION_AFTER_REPAIR: {
    status: 409,
    zh: '已修复，不能再申请例外时限',
    en: 'The cover is already repaired',
  },
  COVER_EXCEPTION_TOO_LATE: {
    status: 409,
    zh: '修复时限已过，不能再申请例外时限',
    en: 'The repair limit has passed; the exception is no longer possible',
  },
  COVER_INSPECTION_PHOTOS_REQUIRED: {
    status: 400,
    zh: '发现病害须附现场照片',
    en: 'A defect found needs a photo',
  },
  COVER_INSPECTION_NOT_IN_TASK: {
    status: 400,
    zh: '该井盖不在本次巡查任务中',
    en: 'The cover is not in this inspection task',
  },
  COMPONENT_SEQUENCE_EXHAUSTED: {
    status: 409,
    zh: '该区划该小类已无可用的部件序号',
    en: 'No free component sequence number is left for this division and class',
  },
  COMPONENT_IMPORT_FORMAT: { status: 400, zh: '部件文件无法读取', en: 'The component file cannot be read' },
  COMPONENT_IMPORT_INVALID: {
    status: 400,
    zh: '部件文件未通过校验，未写入任何数据',
    en: 'The component file failed validation; nothing was written',
  },
  COMPONENT_EXPORT_TOO_LARGE: {
    status: 400,
    zh: '导出的部件过多，请增加筛选条件',
    en: 'Too many components to export; add filters',
  },
  // — geocoding and gazetteer —
  GAZETTEER_IMPORT_INVALID: {
    status: 400,
    zh: '导入数据有误，未写入任何记录',
    en: 'The import has errors; nothing was written',
  },
  GAZETTEER_ENTRY_INVALID: { status: 400, zh: '地名地址数据不合法', en: 'Invalid gazetteer entry' },
  GAZETTEER_ROAD_IN_USE: {
    status: 409,
    zh: '该道路仍有门牌地址，不能删除',
    en: 'The road still has door addresses and cannot be deleted',
  },
  // — map layers —
  LAYER_UNKNOWN: { status: 404, zh: '地图图层不存在', en: 'No such map layer' },
  LAYER_UNAVAILABLE: {
    status: 404,
    zh: '该地图图层的数据尚未启用',
    en: 'The data behind this map layer is not available',
  },
  TILE_OUT_OF_RANGE: { status: 400, zh: '瓦片坐标超出范围', en: 'Tile coordinates out of range' },
  TOO_MANY_FEATURES: {
    status: 400,
    zh: '范围内要素过多，请缩小范围或改用矢量瓦片',
    en: 'Too many features in this area; narrow it or use vector tiles',
  },
  // — cases —
  CASE_VERSION_CONFLICT: {
    status: 409,
    zh: '案卷已被他人更新，请刷新后重试',
    en: 'The case was changed by someone else; reload and try again',
  },
  CASE_ACTION_NOT_ALLOWED: {
    status: 409,
    zh: '案卷当前状态不能执行此操作',
    en: 'Not possible in the current state',
  },
  CASE_ROLE_NOT_ALLOWED: { status: 403, zh: '当前角色不能执行此操作', en: 'Your role cannot do this' },
  CASE_GUARD_FAILED: {
    status: 422,
    zh: '不满足执行此操作的条件',
    en: 'A condition of this action is not met',
  },
  CASE_LOCATION_UNKNOWN: {
    status: 400,
    zh: '该位置不在任何单元网格内',
    en: 'No unit grid covers this point',
  },
  LOCATION_OUT_OF_SCOPE: {
    status: 400,
    zh: '该位置不在您的辖区内',
    en: 'This point lies outside your area',
  },
  CASE_CATEGORY_UNKNOWN: { status: 400, zh: '类别不存在或未启用', en: 'Unknown or inactive category' },
  CASE_DEPARTMENT_UNKNOWN: { status: 400, zh: '处置部门不存在', en: 'Unknown department' },
  CASE_PHOTO_UNKNOWN: { status: 400, zh: '照片不存在，请先上传', en: 'Unknown photo; upload it first' },
  CASE_TARGET_INVALID: { status: 400, zh: '合并目标案卷无效', en: 'Invalid case to merge into' },
  MEDIA_TYPE_MISMATCH: {
    status: 415,
    zh: '文件内容与声明的图片类型不符',
    en: 'The file content does not match the declared image type',
  },
  CALENDAR_INVALID: { status: 400, zh: '工作日历不合法', en: 'The working calendar is not valid' },
  CALENDAR_FILE_UNREADABLE: {
    status: 400,
    zh: '文件不是有效的 CSV 或 xlsx 表格',
    en: 'The file is not a readable CSV or .xlsx table',
  },
  CALENDAR_IMPORT_INVALID: {
    status: 400,
    zh: '节假日安排表有错误，未导入任何数据',
    en: 'The holiday table has errors; nothing was imported',
  },
  CLOCK_RULES_INVALID: { status: 400, zh: '时限规则不合法', en: 'The clock rules are not valid' },
  // — dispatch (责任分解表) and collaboration (权属确认) —
  RESPONSIBILITY_CATEGORY_UNKNOWN: {
    status: 400,
    zh: '类别不存在、未启用或不是小类/细类',
    en: 'Unknown or inactive category, or not a minor/detail class',
  },
  RESPONSIBILITY_AREA_UNKNOWN: { status: 400, zh: '区域（行政区划）不存在', en: 'Unknown area (division)' },
  RESPONSIBILITY_DEPARTMENT_UNKNOWN: {
    status: 400,
    zh: '责任部门不存在或已停用',
    en: 'Unknown or inactive responsible department',
  },
  RESPONSIBILITY_VALIDITY_INVALID: {
    status: 400,
    zh: '有效期不正确：结束日期不能早于开始日期',
    en: 'Invalid validity: the end date is before the start date',
  },
  RESPONSIBILITY_RULE_EXISTS: {
    status: 409,
    zh: '该类别在该区域已有责任规则，请修改原规则',
    en: 'A rule for this class and area already exists; edit it instead',
  },
  CASE_DEPARTMENT_OUT_OF_SCOPE: {
    status: 400,
    zh: '该部门的辖区不包含案卷位置',
    en: "The case lies outside the department's area",
  },
  COLLAB_CANDIDATES_INVALID: { status: 400, zh: '候选部门不正确', en: 'Invalid candidate departments' },
  COLLAB_DEADLINE_INVALID: {
    status: 400,
    zh: '认领截止时间须晚于现在且不超过30天',
    en: 'The claim deadline must be in the future and within 30 days',
  },
  COLLAB_CLAIM_DEADLINE_PASSED: {
    status: 409,
    zh: '已过认领截止时间，请等待协调员裁定',
    en: 'The claim deadline has passed; the coordinator will decide',
  },
  COLLAB_ALREADY_ANSWERED: {
    status: 409,
    zh: '本部门已答复该权属确认',
    en: 'Your department has already answered',
  },
  COLLAB_ATTACHMENT_UNKNOWN: {
    status: 400,
    zh: '会议纪要附件不存在，请先上传',
    en: 'Unknown meeting attachment; upload it first',
  },
  // — patrol (supervisor duty and positions) and live feed —
  PATROL_NOT_ON_DUTY: { status: 409, zh: '当前不在岗', en: 'You are not on duty' },
  PATROL_POSITION_OFF_DUTY: {
    status: 409,
    zh: '位置点的时间不在任何在岗时段内',
    en: 'A position was taken outside any of your duty shifts',
  },
  PATROL_POSITION_IN_FUTURE: {
    status: 400,
    zh: '位置点的时间晚于当前时间',
    en: 'A position is dated in the future',
  },
  PATROL_POSITION_OUT_OF_BOUNDS: {
    status: 400,
    zh: '位置点不在本市范围内',
    en: 'A position lies outside the city',
  },
  PATROL_RANGE_INVALID: {
    status: 400,
    zh: '查询时段不正确（开始须早于结束，且不超过7天）',
    en: 'Invalid time range (from before to, at most 7 days)',
  },
  // — exports (xlsx of lists) —
  EXPORT_TOO_MANY_ROWS: {
    status: 400,
    zh: '导出的行数超过上限，请缩小筛选范围',
    en: 'Too many rows to export; narrow the filter',
  },
  // — background jobs (platform/jobs) —
  JOB_NOT_FINISHED: {
    status: 409,
    zh: '任务尚未完成，暂无结果',
    en: 'The job has not finished; there is no result yet',
  },
  JOB_ALREADY_FINISHED: {
    status: 409,
    zh: '任务已结束，无法取消',
    en: 'The job has already finished and cannot be cancelled',
  },
  // — evaluation —
  EVALUATION_PERIOD_INVALID: {
    status: 400,
    zh: '评价周期不正确（开始须早于结束，且不超过一年）',
    en: 'Invalid evaluation period (from before to, at most a year)',
  },
  EVALUATION_PERIOD_NOT_OVER: {
    status: 409,
    zh: '评价周期尚未结束，不能发布',
    en: 'The evaluation period has not ended yet; it cannot be published',
  },
  EVALUATION_FILTER_INVALID: { status: 400, zh: '筛选条件不正确', en: 'Invalid filter' },
  EVALUATION_SCHEME_UNKNOWN: { status: 404, zh: '评价方案不存在', en: 'Unknown evaluation scheme' },
  EVALUATION_SCHEME_EXISTS: { status: 409, zh: '评价方案编号已存在', en: 'The scheme id is already taken' },
  EVALUATION_SCHEME_INVALID: {
    status: 400,
    zh: '评价方案不合法（指标、权重、分档或等级有误）',
    en: 'The evaluation scheme is not valid (indicators, weights, bands or grades)',
  },
  EVALUATION_SCHEME_SUBJECT_MISMATCH: {
    status: 400,
    zh: '评价方案的评价对象类型与请求不一致',
    en: 'The scheme is for another subject type',
  },
  EVALUATION_INDICATOR_UNKNOWN: {
    status: 400,
    zh: '该评价对象类型没有此指标',
    en: 'No such indicator for this subject type',
  },
  EVALUATION_SUBJECT_TYPE_NOT_ALLOWED: {
    status: 403,
    zh: '只能查看本部门的评价结果',
    en: "You may read your own department's results only",
  },
  // — outsourced collection (信息采集外包) —
  COLLECTION_COMPANY_EXISTS: {
    status: 409,
    zh: '外包公司编码已存在',
    en: 'A collection company with this code already exists',
  },
  COLLECTION_TEAM_EXISTS: {
    status: 409,
    zh: '作业组编码已存在',
    en: 'A collection team with this code already exists',
  },
  COLLECTION_COMPANY_NOT_FOUND: { status: 404, zh: '外包公司不存在', en: 'No such collection company' },
  COLLECTION_TEAM_NOT_FOUND: { status: 404, zh: '作业组不存在', en: 'No such collection team' },
  COLLECTION_NOT_SUPERVISOR: {
    status: 400,
    zh: '只有监督员可以加入作业组',
    en: 'Only supervisors can be members of a collection team',
  },
  HISTORY_NO_DEMO_CITY: {
    status: 409,
    zh: '数据库中没有示范城市，无法生成历史案卷',
    en: 'The database holds no demo city to generate history for',
  },
  HISTORY_ALREADY_PRESENT: {
    status: 409,
    zh: '该时间范围内已有案卷，未写入历史数据',
    en: 'Cases already exist in that range; no history was written',
  },
  // — embedded store —
  STORE_LOCKED: {
    status: 503,
    zh: '嵌入式数据目录正被另一个 CityLoop 进程使用（同一目录只能有一个进程写入）：请通过运行中的服务器操作（控制台或 API），或先停止它',
    en: 'The embedded data directory is in use by another CityLoop process (one writer per directory): act through the running server (console or API), or stop it first',
  },
  // — public participation and idempotency —
  IDEMPOTENCY_KEY_INVALID: {
    status: 400,
    zh: 'Idempotency-Key 格式错误（1–100 个字母、数字或 _-:. 字符）',
    en: 'Malformed Idempotency-Key (1–100 letters, digits or _-:.)',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    zh: '该 Idempotency-Key 已用于另一个不同的请求',
    en: 'This Idempotency-Key was already used for a different request',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    zh: '使用该 Idempotency-Key 的请求仍在处理中，请稍后重试',
    en: 'A request with this Idempotency-Key is still being processed; retry later',
  },
  IDEMPOTENCY_NOT_SUPPORTED: {
    status: 400,
    zh: '该接口不接受 Idempotency-Key（其应答含有不能保存的密码或令牌）',
    en: 'This endpoint takes no Idempotency-Key (its answer holds a password or token that is never stored)',
  },
  IDEMPOTENCY_NOT_COMMITTED: {
    status: 503,
    zh: '请求未能保存，未产生任何更改；请使用同一 Idempotency-Key 重试',
    en: 'The request could not be saved and changed nothing; retry it with the same Idempotency-Key',
  },
  MEDIA_IMAGE_MALFORMED: {
    status: 415,
    zh: '图片文件已损坏或结构不正确',
    en: 'The image file is damaged or malformed',
  },
  PUBLIC_DEVICE_ID_INVALID: {
    status: 400,
    zh: '设备标识 X-Device-Id 格式错误（8–64 个字母、数字或 _-）',
    en: 'Malformed X-Device-Id (8–64 letters, digits, _ or -)',
  },
  PUBLIC_CATEGORY_UNKNOWN: {
    status: 400,
    zh: '问题类别不存在，请从列表中选择',
    en: 'Unknown problem category; pick one from the list',
  },
  PUBLIC_LOCATION_REQUIRED: {
    status: 400,
    zh: '请在地图上选择位置或填写地址',
    en: 'Pick a place on the map or give an address',
  },
  PUBLIC_ADDRESS_NOT_FOUND: {
    status: 400,
    zh: '找不到该地址，请在地图上选择位置',
    en: 'The address was not found; pick the place on the map',
  },
  PUBLIC_LOCATION_OUTSIDE: {
    status: 400,
    zh: '该位置不在本市管理范围内',
    en: 'This place is outside the city’s area',
  },
  PUBLIC_PHOTO_UNKNOWN: {
    status: 400,
    zh: '照片不存在，请先上传照片',
    en: 'Unknown photo; upload it first',
  },
  PUBLIC_TRACKING_CODE_UNKNOWN: {
    status: 404,
    zh: '查询码不存在，请核对后重试',
    en: 'Unknown tracking code',
  },
  PUBLIC_RATING_NOT_CLOSED: {
    status: 409,
    zh: '问题尚未办结，办结后才能评价',
    en: 'The report can be rated once it is closed',
  },
  PUBLIC_RATING_EXISTS: { status: 409, zh: '该问题已经评价过了', en: 'This report has already been rated' },
  PUBLIC_OUTSIDE_CITY: {
    status: 422,
    zh: '该位置不在本市城市管理范围内',
    en: 'This point lies outside the city’s managed area',
  },
  PUBLIC_MODERATION_DECIDED: {
    status: 409,
    zh: '该内容已审核，不能重复审核',
    en: 'This item has already been moderated',
  },
  PUBLIC_PHONE_VERIFY_DISABLED: {
    status: 404,
    zh: '本市未开启手机号验证',
    en: 'Phone verification is not enabled here',
  },
  PUBLIC_PHONE_CODE_REQUIRED: {
    status: 400,
    zh: '留下手机号需先获取并填写短信验证码',
    en: 'A phone number needs the code sent to it',
  },
  PUBLIC_PHONE_CODE_WRONG: { status: 400, zh: '验证码不正确', en: 'Wrong verification code' },
  PUBLIC_PHONE_CODE_EXPIRED: {
    status: 400,
    zh: '验证码已失效（过期、已使用或错误次数过多），请重新获取',
    en: 'The code is no longer valid (expired, used or too many attempts); request a new one',
  },
  // — channels: 12345 hotline, camera AI events (issue 14) —
  HOTLINE_SYSTEM_UNKNOWN: {
    status: 403,
    zh: '该 API 密钥的账号不是已登记的 12345 热线系统',
    en: "The API key's account is not a registered 12345 hotline system",
  },
  HOTLINE_ORDER_UNKNOWN: { status: 404, zh: '12345 工单不存在', en: 'No such 12345 work order' },
  HOTLINE_ORDER_STATE: {
    status: 409,
    zh: '工单当前状态下不能执行此操作',
    en: 'The work order is not in a state that allows this',
  },
  HOTLINE_RETURN_WINDOW_PASSED: {
    status: 409,
    zh: '已超过退单时限，不能退单',
    en: 'The window for returning this work order has passed',
  },
  HOTLINE_CASE_NOT_FINISHED: {
    status: 409,
    zh: '案卷尚未办结（结案或不予立案），不能答复该办理结果',
    en: 'The case is not finished (closed, or rejected for 不办理退单); this result cannot be replied yet',
  },
  HOTLINE_ADDRESS_NOT_FOUND: {
    status: 400,
    zh: '工单未给坐标，且诉求地址无法定位',
    en: 'The work order has no coordinates and its address cannot be located',
  },
  HOTLINE_EXTENSION_NOT_ASKED: {
    status: 409,
    zh: '该工单没有待答复的延期申请',
    en: 'No extension request of this work order is awaiting an answer',
  },
  CAMERA_DEVICE_ID_INVALID: {
    status: 400,
    zh: '设备编码应为 20 位 GB/T 28181 编码',
    en: 'The device id must be a 20-digit GB/T 28181 code',
  },
  CAMERA_UNKNOWN: {
    status: 400,
    zh: '摄像机未登记，请先在摄像机台账中登记',
    en: 'The camera is not registered; add it to the camera registry first',
  },
  CAMERA_EVENT_CODE_UNKNOWN: {
    status: 400,
    zh: '事件类型未配置对应的案卷类别',
    en: 'The event type is not mapped to a case category',
  },
  CAMERA_SNAPSHOT_INVALID: {
    status: 400,
    zh: '抓拍图片无效（须为 JPEG/PNG/WebP 图片或可访问的图片地址）',
    en: 'The snapshot is not valid (a JPEG/PNG/WebP image, inline or at a reachable URL)',
  },
  CAMERA_EVENT_NOT_IN_REVIEW: {
    status: 409,
    zh: '该事件不在待审核队列中',
    en: 'The event is not waiting for review',
  },
  // — Open311 GeoReport v2 and outbound (src/modules/open311, src/modules/outbound) —
  OPEN311_PARAM_INVALID: {
    status: 400,
    zh: 'Open311 请求参数不合法',
    en: 'An Open311 parameter is not valid',
  },
  OPEN311_API_KEY_REQUIRED: { status: 403, zh: '缺少 api_key', en: 'api_key is required' },
  OPEN311_API_KEY_INVALID: {
    status: 403,
    zh: 'api_key 无效、已吊销或未登记为 Open311 客户端',
    en: 'The api_key is invalid, revoked or not registered as an Open311 client',
  },
  OPEN311_SERVICE_UNKNOWN: { status: 404, zh: '没有该服务代码', en: 'No such service_code' },
  OPEN311_SERVICE_CODE_INVALID: { status: 400, zh: '没有该服务代码', en: 'service_code not found' },
  OPEN311_ATTRIBUTE_INVALID: { status: 400, zh: '服务属性不合法', en: 'An attribute is not valid' },
  OPEN311_LOCATION_REQUIRED: {
    status: 400,
    zh: '需要 lat 与 long、address_string 或 address_id 之一',
    en: 'lat & long, address_string or address_id is required',
  },
  OPEN311_LOCATION_OUTSIDE: {
    status: 400,
    zh: '该位置不在本市管理范围内',
    en: 'The location is outside the area served',
  },
  OPEN311_ADDRESS_UNKNOWN: { status: 400, zh: '找不到该地址', en: 'The address was not found' },
  OPEN311_REQUEST_UNKNOWN: { status: 404, zh: '没有该服务请求', en: 'No such service request' },
  OPEN311_TOKEN_UNKNOWN: { status: 404, zh: '没有该令牌', en: 'No such token' },
  OPEN311_DATE_RANGE: {
    status: 400,
    zh: '时间范围不合法（结束须晚于开始，跨度不超过 90 天）',
    en: 'The date range is not valid (end after start, at most 90 days)',
  },
  OPEN311_FORMAT_UNKNOWN: { status: 404, zh: '格式只能是 xml 或 json', en: 'The format is xml or json' },
  OPEN311_EXTERNAL_ID_REUSED: {
    status: 400,
    zh: '该外部编号已用于另一内容不同的请求',
    en: 'This external id was already used for a different request',
  },
  OPEN311_CLIENT_UNKNOWN: { status: 404, zh: 'Open311 客户端不存在', en: 'No such Open311 client' },
  OPEN311_CLIENT_KEY_TAKEN: {
    status: 409,
    zh: '该 API 密钥已登记为 Open311 客户端',
    en: 'This API key is already an Open311 client',
  },
  OPEN311_ATTRIBUTE_TAKEN: {
    status: 409,
    zh: '该服务已有此属性代码',
    en: 'The service already has this attribute code',
  },
  WEBHOOK_SUBSCRIPTION_UNKNOWN: { status: 404, zh: '订阅不存在', en: 'No such webhook subscription' },
  WEBHOOK_DELIVERY_NOT_DEAD: {
    status: 409,
    zh: '只有死信投递可以重投',
    en: 'Only dead-lettered deliveries can be redelivered',
  },
  NOTIFY_CHANNEL_UNKNOWN: { status: 404, zh: '通知渠道不存在', en: 'No such notification channel' },
  // — 月度分析报告 (modules/report) —
  REPORT_MONTH_INVALID: { status: 400, zh: '报告月份应为 YYYY-MM', en: 'The report month must be YYYY-MM' },
  REPORT_MONTH_IN_FUTURE: {
    status: 409,
    zh: '该月份尚未开始，不能生成报告',
    en: 'That month has not begun; no report can be made for it',
  },
  REPORT_PDF_UNAVAILABLE: {
    status: 503,
    zh: '服务器未安装 LibreOffice（soffice），无法生成 PDF；请安装 libreoffice-writer-nogui，或下载 Word 版',
    en: 'LibreOffice (soffice) is not installed on the server, so no PDF can be made; install libreoffice-writer-nogui or download the Word version',
  },
  REPORT_PDF_FAILED: {
    status: 500,
    zh: 'LibreOffice 转换 PDF 失败',
    en: 'LibreOffice failed to convert the report to PDF',
  },
  REPORT_CJK_FONT_MISSING: {
    status: 503,
    zh: '服务器缺少中文字体，无法绘制报告图表；请安装 fonts-wqy-microhei 或设置 REPORT_CJK_FONT',
    en: 'No CJK font on the server to draw the report charts; install fonts-wqy-microhei or set REPORT_CJK_FONT',
  },
  REPORT_TEXT_UNKNOWN_KEY: {
    status: 400,
    zh: '报告模板没有此段文字',
    en: 'The report template has no such text',
  },
  REPORT_TEXT_PLACEHOLDER_UNKNOWN: {
    status: 400,
    zh: '文字中含有此段不支持的占位符',
    en: 'The text names a placeholder this text does not offer',
  },
  NOTIFY_RULE_UNKNOWN: { status: 404, zh: '通知规则不存在', en: 'No such notice rule' },
  FRAUD_FLAG_REVIEWED: {
    status: 409,
    zh: '该疑点已复核，不能再次复核',
    en: 'This flag has already been reviewed',
  },
  FRAUD_SCAN_RANGE: {
    status: 400,
    zh: '扫描时间范围不合法（结束须晚于开始，跨度不超过 366 天）',
    en: 'The scan range is not valid (end after start, at most 366 days)',
  },
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
