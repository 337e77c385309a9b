import { useWatchStore } from '../../stores/watchStore';
import { WatchedCard } from './WatchedCard';

/** Processes watched from the list: each with the same live charts as a job. */
export function WatchedPanel() {
  const watched = useWatchStore((state) => state.watched);
  const list = Object.values(watched).sort((a, b) => b.watchedAt - a.watchedAt);
  const today = new Date().toDateString();
  return (
    <section className="watched-panel" aria-label="Watched">
      <h2>Watched</h2>
      {list.length === 0 ? (
        <p className="muted">Nothing watched. Pick Watch on a process to chart it here.</p>
      ) : (
        list.map((entry) => <WatchedCard key={entry.id} watched={entry} today={today} />)
      )}
    </section>
  );
}
