/** Divisions and departments, loaded once and shared by the admin pages that pick them. */
import { useQuery } from '@tanstack/react-query';
import { ROLES } from '../../../../src/domain/access/permissions';
import { api } from '../../api/client';

/** Roles an admin manages in the console (service accounts are API keys). */
export const STAFF_ROLES = ROLES.filter((r) => r !== 'service');

export interface Division {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parentCode: string | null;
}

export interface Department {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  divisionCode: string;
  active: boolean;
}

export function useDivisions() {
  return useQuery({
    queryKey: ['admin', 'divisions'],
    queryFn: async () => (await api<{ items: Division[] }>('/divisions')).items,
    staleTime: 5 * 60_000,
  });
}

export function useDepartments() {
  return useQuery({
    queryKey: ['admin', 'departments'],
    queryFn: async () => (await api<{ items: Department[] }>('/departments')).items,
  });
}
