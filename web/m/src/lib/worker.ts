/** Registers the service worker that keeps the app shell for offline use (built as /m/sw.js). */
export function registerWorker(): void {
  // Only secure contexts (https, localhost) have service workers; the app still works without.
  // (`vite` in development serves no sw.js: registration fails there with a warning.)
  if (!('serviceWorker' in navigator)) return;
  const register = () =>
    navigator.serviceWorker.register('/m/sw.js', { scope: '/m/' }).catch((err: unknown) => {
      console.warn('service worker not registered', err);
    });
  // After the first screen is up, so the precache downloads do not compete with it.
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}
