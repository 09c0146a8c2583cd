/**
 * A modal dialog of the desk: the native <dialog> shown modal (it keeps the
 * keyboard inside and closes on Escape), focused on its first field.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function Dialog(props: { title: string; testid: string; onClose(): void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (!d.open) d.showModal();
    d.querySelector<HTMLElement>('[data-autofocus], input, textarea, select, button')?.focus();
  }, []);
  return (
    <dialog
      ref={ref}
      class="desk-dialog"
      data-testid={props.testid}
      aria-label={props.title}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
