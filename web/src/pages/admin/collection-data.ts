/** Outsourced information collection (信息采集外包): shapes of /collection/* and the queries the admin page shares. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export interface CollectionMember {
  userId: number;
  username: string;
  displayName: string;
}

export interface CollectionTeam {
  code: string;
  name: string;
  members: CollectionMember[];
}

export interface CollectionCompany {
  code: string;
  name: string;
  contractDailyHours: number;
  teams: CollectionTeam[];
}

export const COMPANIES_KEY = ['admin', 'collection', 'companies'] as const;

export function useCompanies() {
  return useQuery({
    queryKey: COMPANIES_KEY,
    queryFn: async ({ signal }) =>
      (await api<{ companies: CollectionCompany[] }>('/collection/companies', { signal })).companies,
  });
}

/** Codes of companies and teams (migrations/0015_collection.sql checks the same). */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/;
