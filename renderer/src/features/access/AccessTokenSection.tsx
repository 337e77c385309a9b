import { useState } from 'react';
import { call } from '../../api/procdeck';
import { useHostStore } from '../../stores/hostStore';

/**
 * Browser mode's access token, in Settings: rotating it (access.rotateToken) disconnects every
 * tab and script holding the current one; this tab then reloads on the new URL.
 */
export function AccessTokenSection() {
  const dataDir = useHostStore((state) => state.engineInfo?.dataDir);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string>();
  const rotate = async () => {
    const result = await call('access.rotateToken', {});
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    // The page reloads with the new token in its URL (the cookie follows), then takes it out of the address bar.
    window.location.assign(result.value.url);
  };
  return (
    <section aria-labelledby="settings-access-title">
      <h3 id="settings-access-title">Access token</h3>
      <p className="muted">
        Kept in <code>{dataDir ?? '<data dir>'}/browser-token</code> for the next start; the URL with it is in{' '}
        <code>{dataDir ?? '<data dir>'}/browser-url</code>. A new token disconnects every other tab, link and script that
        holds the current one: they need the new URL.
      </p>
      {asking ? (
        <p>
          <button type="button" className="danger" onClick={() => void rotate()}>
            Rotate now
          </button>{' '}
          <button type="button" onClick={() => setAsking(false)}>
            Keep the current token
          </button>
        </p>
      ) : (
        <button type="button" onClick={() => setAsking(true)}>
          Rotate access token…
        </button>
      )}
      {error && (
        <p className="field-error" role="alert">
          Could not rotate the token: {error}
        </p>
      )}
    </section>
  );
}
