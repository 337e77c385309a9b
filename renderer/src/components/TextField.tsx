import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';
import { errorProps, FieldMessage } from './FieldMessage';

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  /** The id of the error message, tied to the control by aria-describedby while there is an error. */
  errorId: string;
  /** A title on the label too, where the label may be cut short. */
  labelTitle?: string;
  /** The caller renders the FieldMessage itself, e.g. under a row of paired fields. */
  messageElsewhere?: boolean;
}

type InputAttributes = Pick<
  InputHTMLAttributes<HTMLInputElement>,
  | 'type'
  | 'name'
  | 'className'
  | 'placeholder'
  | 'title'
  | 'min'
  | 'max'
  | 'step'
  | 'inputMode'
  | 'autoComplete'
  | 'spellCheck'
  | 'autoFocus'
  | 'list'
  | 'disabled'
>;

type TextAreaAttributes = Pick<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'rows' | 'className' | 'placeholder' | 'title' | 'spellCheck' | 'autoFocus' | 'disabled'
>;

/** Label, one text or number input and its error message; the caller keeps the layout around them. */
export function TextField(props: FieldProps & InputAttributes) {
  const { id, label, value, onChange, error, errorId, labelTitle, messageElsewhere, type = 'text', ...attributes } = props;
  return (
    <Labelled id={id} label={label} labelTitle={labelTitle} error={error} errorId={errorId} messageElsewhere={messageElsewhere}>
      <input
        id={id}
        type={type}
        {...attributes}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        {...errorProps(errorId, error)}
      />
    </Labelled>
  );
}

/** Label, a textarea and its error message. */
export function TextAreaField(props: FieldProps & TextAreaAttributes) {
  const { id, label, value, onChange, error, errorId, labelTitle, messageElsewhere, ...attributes } = props;
  return (
    <Labelled id={id} label={label} labelTitle={labelTitle} error={error} errorId={errorId} messageElsewhere={messageElsewhere}>
      <textarea
        id={id}
        {...attributes}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        {...errorProps(errorId, error)}
      />
    </Labelled>
  );
}

function Labelled({
  id,
  label,
  error,
  errorId,
  labelTitle,
  messageElsewhere,
  children,
}: Omit<FieldProps, 'value' | 'onChange'> & { children: ReactNode }) {
  return (
    <>
      <label htmlFor={id} title={labelTitle}>
        {label}
      </label>
      {children}
      {!messageElsewhere && <FieldMessage id={errorId} message={error} />}
    </>
  );
}
