import { host } from '../api/procdeck';
import { useHostStore } from '../stores/hostStore';
import { subscribeToEvents } from './eventSubscriptions';
import { reloadFromHost } from './reloadFromHost';
import { linkStores } from './storeLinks';

/**
 * Starts the renderer's plumbing once, before the first render: the links between stores, one
 * subscription per pushed event, and a reload of what the host knows on every (re)connection.
 */
export function startApp(): void {
  linkStores();
  subscribeToEvents(host.api);

  let wasOpen = false;
  const onStatus = () => {
    const status = host.getStatus();
    useHostStore.getState().setConnection(status);
    const isOpen = status.state === 'open';
    if (isOpen && !wasOpen) reloadFromHost();
    wasOpen = isOpen;
  };
  host.subscribe(onStatus);
  onStatus();
}
