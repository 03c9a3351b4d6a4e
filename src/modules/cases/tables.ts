// biome-ignore lint/suspicious/noEmptyInterface: the module's tables are added here as they are built
export interface CaseTables {}
