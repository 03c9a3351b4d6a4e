import { DEFAULT_SCHEME, isScheme, SCHEMES, type Scheme } from '../../domain/catalog/index.js';

/**
 * The code scheme this deployment files cases under (`CATALOG_SCHEME`, default gbt30428). Read
 * here until the platform config carries it; an unknown value stops the caller with a clear message.
 */
export function activeScheme(env: NodeJS.ProcessEnv = process.env): Scheme {
  const raw = env.CATALOG_SCHEME?.trim();
  if (!raw) return DEFAULT_SCHEME;
  if (!isScheme(raw)) {
    throw new Error(`Invalid configuration 配置无效: CATALOG_SCHEME must be one of ${SCHEMES.join(', ')}`);
  }
  return raw;
}
