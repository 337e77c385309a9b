import './isolation.css';
import { useState } from 'react';
import { SettingsDialog } from './SettingsDialog';

/** Opens the settings: default isolation, command policy, what this machine can enforce. */
export function SettingsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" title="Default isolation level and command policy" onClick={() => setOpen(true)}>
        Settings
      </button>
      {open && <SettingsDialog onClose={() => setOpen(false)} />}
    </>
  );
}
