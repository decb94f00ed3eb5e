// Where focus goes when the control that had it is removed or disabled.

/** Focus is lost: on the page body, or on an element no longer in the document. */
export function focusLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || !active.isConnected;
}

/** Moves focus to `target` only when focus was lost, so it never pulls focus from where the user went. */
export function recoverFocus(target: HTMLElement | null | undefined): void {
  if (target && focusLost()) target.focus();
}
