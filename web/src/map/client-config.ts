import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

/** Deployment settings the browser needs (public: read before login too). */
export interface ClientConfig {
  baseMap: { url: string; attribution?: string } | null;
  map: { center: [number, number]; zoom: number; bounds: [number, number, number, number] | null };
  /** Demo mode: the demo accounts' shared password; null on a real deployment. */
  demo: { password: string } | null;
}

export function useClientConfig(): ClientConfig | undefined {
  return useQuery({
    queryKey: ['client-config'],
    queryFn: () => api<ClientConfig>('/client-config'),
    staleTime: Number.POSITIVE_INFINITY,
  }).data;
}
