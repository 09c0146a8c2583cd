/**
 * The host element and the bubble. `:host` declarations marked !important
 * win over the host page's !important rules (the inner context wins for
 * important declarations), and `all: initial` stops the page's inherited
 * fonts and sizes at the boundary. Sizes are in px, never rem (rem follows
 * the host page's root font size).
 */
export const baseCss = `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important;bottom:16px!important;right:16px!important;left:auto!important;top:auto!important;width:auto!important;height:auto!important;margin:0!important;padding:0!important;border:0!important;transform:none!important;opacity:1!important;visibility:visible!important;pointer-events:none!important;contain:layout style!important}
:host([data-position=left]){left:16px!important;right:auto!important}
*,*::before,*::after{box-sizing:border-box}
.root{display:flex!important;flex-direction:column;align-items:flex-end;gap:12px;font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2937;pointer-events:none}
:host([data-position=left]) .root{align-items:flex-start}
.bubble{pointer-events:auto;position:relative;display:flex;align-items:center;justify-content:center;width:56px;height:56px;border-radius:28px;border:0;background:var(--sb-accent);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);padding:0;margin:0}
.bubble:focus-visible{outline:3px solid #111827;outline-offset:3px}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font:700 12px/22px system-ui,sans-serif;text-align:center;border:2px solid #fff}
`;
