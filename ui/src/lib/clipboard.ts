// Copies text to the clipboard; false when the webview gives no clipboard access, so the screen
// can show the text to copy by hand instead.

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
