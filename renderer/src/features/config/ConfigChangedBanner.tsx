import { useConfigStore } from '../../stores/configStore';
import { useDialogStore } from '../../stores/dialogStore';
import { countsOf, fileNameOf, hasChanges, plural } from './configText';

/** The file in force changed on disk: what applying it would change (or that it no longer loads), until reviewed and applied or dismissed. */
export function ConfigChangedBanner() {
  const change = useConfigStore((state) => state.change);
  const dismissed = useConfigStore((state) => state.dismissed);
  if (!change || dismissed || (change.diff && !hasChanges(change.diff))) return null;
  const name = fileNameOf(change.file);
  const text = change.diff
    ? `${name} changed on disk: ${countsOf(change.diff)}`
    : `${name} changed on disk and does not load: ${plural(change.errors.length, 'error')}; the definitions in force stay`;
  return (
    <div className="config-banner" data-kind={change.diff ? 'change' : 'error'} role={change.diff ? 'status' : 'alert'} aria-label="Config file changed">
      <span title={change.file}>{text} — </span>
      <button type="button" onClick={() => useDialogStore.getState().setConfigDialog('review')}>
        Review
      </button>
      <span className="spacer" />
      <button type="button" className="quiet" aria-label="Dismiss until the file changes again" onClick={() => useConfigStore.getState().dismiss()}>
        ✕
      </button>
    </div>
  );
}
