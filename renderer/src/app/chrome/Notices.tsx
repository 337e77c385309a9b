import { useNoticesStore } from '../../stores/noticesStore';

/** Errors of row actions and engine notices (e.g. recovery after a crash), until dismissed. */
export function Notices() {
  const notices = useNoticesStore((state) => state.notices);
  if (notices.length === 0) return null;
  return (
    <ul className="notices" aria-label="Notices">
      {notices.map((notice) => (
        <li key={notice.id} className="notice" data-kind={notice.kind} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button type="button" className="quiet" aria-label="Dismiss" onClick={() => useNoticesStore.getState().dismissNotice(notice.id)}>
            ✕
          </button>
        </li>
      ))}
    </ul>
  );
}
