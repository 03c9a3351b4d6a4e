/**
 * Start-up failures a person can act on, as one line each (what went wrong, what to do), in
 * place of a stack trace: the database that does not exist or refuses, a port already taken.
 */
import type { Config } from './config.js';

interface SystemError {
  code?: string;
  address?: string;
  port?: number;
  message?: string;
}

/** Where DATABASE_URL points, without its password. */
function databaseOf(url: string): { where: string; name: string } {
  try {
    const u = new URL(url);
    return {
      where: `${u.hostname}:${u.port || '5432'}`,
      name: decodeURIComponent(u.pathname.slice(1)) || u.username,
    };
  } catch {
    return { where: 'DATABASE_URL', name: '' };
  }
}

export function startupProblem(
  err: unknown,
  config: Pick<Config, 'databaseUrl' | 'port' | 'host'>,
): string | null {
  const e = (err ?? {}) as SystemError;
  if (e.code === 'EADDRINUSE') {
    return `port ${config.port} on ${config.host} is already taken (another CityLoop or another program): stop it or start with PORT=<free port>. 端口已被占用。`;
  }
  if (e.code === 'EACCES' && e.port !== undefined) {
    return `no permission to listen on port ${config.port}: use a port above 1024 (PORT=3000). 无权使用该端口。`;
  }
  if (!config.databaseUrl) return null;
  const db = databaseOf(config.databaseUrl);
  switch (e.code) {
    case 'ECONNREFUSED':
      return `PostgreSQL at ${db.where} refused the connection: is it running? Start it, or fix DATABASE_URL. 数据库拒绝连接。`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the database host in DATABASE_URL (${db.where}) is not known: fix DATABASE_URL. 数据库主机名无法解析。`;
    case 'ETIMEDOUT':
      return `PostgreSQL at ${db.where} did not answer in time: check the address and the firewall. 数据库连接超时。`;
    case '3D000':
      return `database "${db.name}" does not exist on ${db.where}: create it (createdb ${db.name}) or fix DATABASE_URL. 数据库不存在。`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${db.where} refused the login: check the user and password in DATABASE_URL. 数据库登录被拒绝。`;
    case '42501':
      return `the database user may not do what CityLoop needs (${e.message ?? 'permission denied'}): grant it the rights to create tables and extensions. 数据库权限不足。`;
    default:
      return null;
  }
}
