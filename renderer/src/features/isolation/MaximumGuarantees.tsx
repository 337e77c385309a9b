/** What the Maximum level promises, in the operator's terms (the engine's bwrap sandbox). */
export function MaximumGuarantees() {
  return (
    <div className="maximum-guarantees">
      <h4 id="maximum-guarantees-heading">Maximum guarantees</h4>
      <ul aria-labelledby="maximum-guarantees-heading">
        <li>Read-only system: / is visible but cannot be written; /root, /home and /run are hidden.</li>
        <li>Private /tmp, and a private working directory: the only places it can write.</li>
        <li>No network: its own empty network namespace, not even the host&apos;s 127.0.0.1.</li>
        <li>Its own pid namespace: it sees only its own processes.</li>
        <li>Dies with Procdeck, even if Procdeck is killed.</li>
      </ul>
      <p className="muted">Without bubblewrap on this machine, Maximum is refused, never silently weakened.</p>
    </div>
  );
}
