import { useEffect, useState } from 'react';

/** The browser clock, refreshed every `intervalMs` while `active`: for elapsed times that move between events. */
export function useNow(active: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const refresh = () => setNow(Date.now());
    const timer = setInterval(refresh, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}
