interface CorePickerProps {
  coreCount: number;
  cores: readonly number[];
  onChange(cores: number[]): void;
}

/** One checkbox per core: the cores the process may run on. */
export function CorePicker({ coreCount, cores, onChange }: CorePickerProps) {
  const toggle = (core: number, checked: boolean) =>
    onChange(checked ? [...cores.filter((c) => c !== core), core].sort((a, b) => a - b) : cores.filter((c) => c !== core));
  return (
    <div className="dialog-field core-checks" role="group" aria-label="Allowed cores">
      {Array.from({ length: coreCount }, (_, core) => (
        <label key={core} className="check">
          <input type="checkbox" checked={cores.includes(core)} onChange={(event) => toggle(core, event.target.checked)} />
          Core {core}
        </label>
      ))}
    </div>
  );
}
