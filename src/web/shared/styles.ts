/**
 * Puts a style sheet into a shadow root. Constructed sheets are not inline
 * <style> elements, so a host page's strict CSP (style-src without
 * 'unsafe-inline') does not block them; browsers without them get a <style>.
 */
export function adoptStyles(root: ShadowRoot, css: string): void {
  if (
    'adoptedStyleSheets' in root &&
    typeof CSSStyleSheet !== 'undefined' &&
    'replaceSync' in CSSStyleSheet.prototype
  ) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.appendChild(style);
}

const adoptedCss = new Set<string>();

/** The same for the whole document, once per sheet (a page's lazily loaded parts bring their own). */
export function adoptDocumentStyles(css: string): void {
  if (adoptedCss.has(css)) return;
  adoptedCss.add(css);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
