import { useRef, useState } from 'react';
import { downloadText } from '../../lib/download';

export const EXPORT_FILE_NAME = 'procdeck.yaml';

/** The definitions in force as YAML: read-only, to download as procdeck.yaml or copy. */
export function ConfigExport({ yaml }: { yaml: string }) {
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<string>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(yaml);
      setCopied('Copied to the clipboard.');
    } catch (error) {
      // No clipboard access (a page not served from loopback or https): the text is selected for Ctrl+C.
      textRef.current?.select();
      setCopied(`Could not copy (${error instanceof Error ? error.message : String(error)}); the text is selected: press Ctrl+C.`);
    }
  };
  return (
    <div className="config-export">
      <label htmlFor="config-export-yaml">Exported definitions (YAML)</label>
      <textarea id="config-export-yaml" ref={textRef} className="mono" rows={12} readOnly spellCheck={false} value={yaml} />
      <div className="dialog-buttons">
        <span role="status" className="muted">
          {copied}
        </span>
        <button type="button" onClick={() => downloadText(yaml, EXPORT_FILE_NAME, 'application/yaml')}>
          Download
        </button>
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
    </div>
  );
}
