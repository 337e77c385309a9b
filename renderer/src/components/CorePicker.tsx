import './corePicker.css';
import type { ReactNode } from 'react';
import { coreColor } from '../lib/cores';

/** A column after each core's checkbox, when the picker is a table (the CPU tab's usage and pinned jobs). */
export interface CoreColumn {
  header: string;
  cell(core: number): ReactNode;
  /** A tooltip for the cell, e.g. the whole text where it may be cut short. */
  title?(core: number): string | undefined;
  className?: string;
}

interface CorePickerProps {
  coreCount: number;
  /** The cores checked. */
  cores: readonly number[];
  /** Called with the cores checked after a click, in ascending order. */
  onChange(cores: number[]): void;
  /** The accessible name of the group (or table). */
  label: string;
  disabled?: boolean;
  /** Each core's colour beside its name, as the per-core chart draws it. */
  swatches?: boolean;
  /** With columns, one table row per core: its checkbox first, then these. */
  columns?: readonly CoreColumn[];
  className?: string;
}

/** Picks cores: one checkbox per core, named "Core N", wherever cores are chosen (launch, CPU tab, Set affinity). */
export function CorePicker({ coreCount, cores, onChange, label, disabled = false, swatches = false, columns, className = '' }: CorePickerProps) {
  const all = Array.from({ length: coreCount }, (_, core) => core);
  const toggle = (core: number, checked: boolean) => {
    const others = cores.filter((c) => c !== core);
    onChange((checked ? [...others, core] : others).sort((a, b) => a - b));
  };
  const checkbox = (core: number) => (
    <label key={core} className="check">
      <input type="checkbox" disabled={disabled} checked={cores.includes(core)} onChange={(event) => toggle(core, event.target.checked)} />
      {swatches && <span className="core-swatch" aria-hidden="true" style={{ background: coreColor(core) }} />}
      Core {core}
    </label>
  );

  if (!columns) {
    return (
      <div className={`core-checks ${className}`} role="group" aria-label={label}>
        {all.map(checkbox)}
      </div>
    );
  }
  return (
    <table className={`core-table ${className}`} aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Core</th>
          {columns.map((column) => (
            <th key={column.header} scope="col">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {all.map((core) => (
          <tr key={core}>
            <th scope="row">{checkbox(core)}</th>
            {columns.map((column) => (
              <td key={column.header} className={column.className} title={column.title?.(core)}>
                {column.cell(core)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
