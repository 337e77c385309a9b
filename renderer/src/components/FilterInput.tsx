interface FilterInputProps {
  /** The accessible name. */
  label: string;
  value: string;
  onChange(value: string): void;
  id?: string;
  placeholder?: string;
  disabled?: boolean;
  type?: 'text' | 'search';
}

/** A filter or search field: Esc clears it, as the help says. */
export function FilterInput({ label, value, onChange, id, placeholder, disabled, type = 'text' }: FilterInputProps) {
  return (
    <input
      type={type}
      id={id}
      className="filter"
      aria-label={label}
      placeholder={placeholder}
      value={value}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onChange('');
      }}
    />
  );
}
