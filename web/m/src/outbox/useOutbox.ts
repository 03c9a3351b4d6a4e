import { useEffect, useState } from 'react';
import { allItems, type OutboxItem, onOutboxChange } from './store';

/** The outbox items of one owner (a username or 'public'), kept current. */
export function useOutbox(owner: string | null): OutboxItem[] | null {
  const [items, setItems] = useState<OutboxItem[] | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () =>
      allItems().then((all) => {
        if (alive) setItems(all.filter((i) => i.owner === owner));
      });
    void load();
    const off = onOutboxChange(() => void load());
    return () => {
      alive = false;
      off();
    };
  }, [owner]);
  return items;
}

/** Whether the browser believes it has a connection, kept current. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}
