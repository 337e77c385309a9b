/** An error under a field, announced when it appears and tied to the field by id. */
export function FieldMessage({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="field-error">
      {message}
    </p>
  );
}

/** Props that tie an input to its FieldMessage. */
export function errorProps(id: string, message: string | undefined) {
  return message ? { 'aria-invalid': true, 'aria-describedby': id } : { 'aria-invalid': false };
}
