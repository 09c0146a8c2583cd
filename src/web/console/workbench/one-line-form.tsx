/** A text field and its button, sent with Enter; the field empties once `onSubmit` says the server took it. */
import { useState } from 'preact/hooks';

export function OneLineForm(props: {
  label: string;
  button: string;
  testId: string;
  action: string;
  busy: boolean;
  /** Whether an empty field may be sent (a resolve's summary may be empty). */
  allowEmpty?: boolean;
  onSubmit: (text: string) => Promise<boolean>;
}) {
  const [text, setText] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const value = text.trim();
    if ((value || props.allowEmpty) && (await props.onSubmit(value))) setText('');
  };
  return (
    <form onSubmit={submit} class="wb-row">
      <input
        class="wb-input"
        data-testid={props.testId}
        aria-label={props.label}
        placeholder={props.label}
        value={text}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
      />
      <button type="submit" data-action={props.action} disabled={props.busy}>
        {props.button}
      </button>
    </form>
  );
}
