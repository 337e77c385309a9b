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
  /** The id of another message about the field (a warning), also tied to it by aria-describedby. */
  describedBy?: string | undefined;
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
  | 'readOnly'
>;

type TextAreaAttributes = Pick<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'rows' | 'className' | 'placeholder' | 'title' | 'spellCheck' | 'autoFocus' | 'disabled'
>;

/** Label, one text or number input and its error message; the caller keeps the layout around them. */
export function TextField(props: FieldProps & InputAttributes) {
  const { id, label, value, onChange, error, errorId, labelTitle, messageElsewhere, describedBy, type = 'text', ...attributes } = props;
  const tied = errorProps(errorId, error);
  return (
    <Labelled id={id} label={label} labelTitle={labelTitle} error={error} errorId={errorId} messageElsewhere={messageElsewhere}>
      <input
        id={id}
        type={type}
        {...attributes}
        data-autofocus={attributes.autoFocus || undefined}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        {...tied}
        aria-describedby={describedByOf(tied, describedBy)}
      />
    </Labelled>
  );
}

/** Label, a textarea and its error message. */
export function TextAreaField(props: FieldProps & TextAreaAttributes) {
  const { id, label, value, onChange, error, errorId, labelTitle, messageElsewhere, describedBy, ...attributes } = props;
  const tied = errorProps(errorId, error);
  return (
    <Labelled id={id} label={label} labelTitle={labelTitle} error={error} errorId={errorId} messageElsewhere={messageElsewhere}>
      <textarea
        id={id}
        {...attributes}
        data-autofocus={attributes.autoFocus || undefined}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        {...tied}
        aria-describedby={describedByOf(tied, describedBy)}
      />
    </Labelled>
  );
}

/** The error's id and another message's, as one aria-describedby. */
function describedByOf(tied: ReturnType<typeof errorProps>, other: string | undefined): string | undefined {
  return ['aria-describedby' in tied ? tied['aria-describedby'] : undefined, other].filter(Boolean).join(' ') || undefined;
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
