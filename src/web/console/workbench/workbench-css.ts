/**
 * The workbench's styles, adopted by the document as a constructed sheet
 * (the console's CSP allows no inline <style>), loaded with the workbench
 * so an agent's console never fetches them. Class names start with `wb-`;
 * colours come from the console sheet's custom properties. Laid out for 1280 px and
 * up (WEB-7): the wall's cards in columns, the watched conversation beside.
 */
const css = `
.wb{flex:1;min-height:0;overflow:auto;padding:12px 16px;color:var(--ink,#1f2937);display:flex;flex-direction:column;gap:10px;min-width:0}
.wb *,.wb *::before,.wb *::after{box-sizing:border-box}
.wb-head{display:flex;align-items:center;gap:12px}
.wb-head h1{font-size:18px;margin:0}
.wb-conn{font-size:12px;color:#b45309}
.wb-body{display:grid;grid-template-columns:minmax(0,1fr);gap:12px;align-items:start}
.wb-body.wb-with-watch{grid-template-columns:minmax(0,1fr) 420px}
.wb-wall{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:12px;min-width:0}
.wb-card{background:var(--panel,#fff);border:1px solid var(--line,#e5e7eb);border-radius:8px;padding:12px 14px;min-width:0}
.wb-card h2{font-size:16px;margin:0 0 8px}
.wb-card h3{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted,#6b7280);margin:12px 0 4px}
.wb-figures{display:grid;grid-template-columns:repeat(3,1fr);gap:6px;margin:0}
.wb-figure{background:#f9fafb;border-radius:6px;padding:6px 8px}
.wb-figure dt{font-size:11px;color:var(--muted,#6b7280)}
.wb-figure dd{margin:0;font-size:18px;font-weight:600;font-variant-numeric:tabular-nums}
.wb-figure.wb-warn{background:#fef3c7}
.wb-figure.wb-warn dd{color:#92400e}
.wb-agents,.wb-convs,.wb-notes ul{list-style:none;margin:0;padding:0}
.wb-agent{display:grid;grid-template-columns:12px minmax(0,1fr) 64px 110px 64px;align-items:center;gap:6px;padding:4px 0;border-bottom:1px solid #f3f4f6}
.wb-agent-name{font-weight:500;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.wb-agent-status{font-size:12px;color:#4b5563}
.wb-dot{width:10px;height:10px;border-radius:5px;background:#9ca3af}
.wb-dot.wb-online{background:#16a34a}.wb-dot.wb-busy{background:#d97706}.wb-dot.wb-away{background:#a855f7}.wb-dot.wb-offline{background:#9ca3af}
.wb-load{display:flex;align-items:center;gap:6px;font-variant-numeric:tabular-nums;font-size:13px}
.wb-bar{display:inline-block;width:56px;height:8px;border-radius:4px;background:#e5e7eb;overflow:hidden}
.wb-fill{display:block;height:100%;background:var(--accent,#2563eb)}
.wb-fill.wb-full{background:#dc2626}
.wb-conv{display:grid;grid-template-columns:96px 70px minmax(0,1fr);grid-template-areas:"id chip who" "act act act";gap:4px 6px;align-items:center;padding:6px 0;border-bottom:1px solid #f3f4f6}
.wb-conv.wb-watched{background:#eff6ff;border-radius:6px;padding:6px}
.wb-conv-id{grid-area:id;font-family:ui-monospace,monospace;font-size:12px}
.wb-chip{grid-area:chip;font-size:11px;border-radius:10px;padding:1px 8px;text-align:center;background:#e5e7eb}
.wb-chip.wb-queued,.wb-chip.wb-new{background:#fef3c7;color:#92400e}
.wb-chip.wb-assigned{background:#dcfce7;color:#166534}
.wb-conv-who{grid-area:who;font-size:13px;color:#374151;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.wb-actions{grid-area:act;display:flex;flex-wrap:wrap;gap:4px}
.wb button{font:inherit;font-size:13px;border:1px solid #d1d5db;background:var(--panel,#fff);border-radius:6px;padding:4px 10px;cursor:pointer;color:#111827}
.wb button:hover{background:#f3f4f6}
.wb button:disabled{opacity:.5;cursor:default}
.wb button:focus-visible,.wb input:focus-visible,.wb select:focus-visible,.wb textarea:focus-visible,.wb-log:focus-visible{outline:3px solid #2563eb;outline-offset:1px}
.wb button.wb-small{font-size:12px;padding:2px 8px}
.wb button.wb-primary{background:var(--accent,#2563eb);border-color:var(--accent,#2563eb);color:var(--accent-ink,#fff)}
.wb button.wb-link{border:0;background:none;text-decoration:underline;padding:0 4px}
.wb-muted{color:var(--muted,#6b7280);font-size:13px;margin:4px 0}
.wb-flash-slot{position:sticky;top:0;z-index:30}
.wb-flash{display:flex;justify-content:space-between;align-items:center;gap:8px;border-radius:6px;padding:8px 12px;font-size:14px}
.wb-flash.wb-ok{background:#ecfdf5;border:1px solid #a7f3d0;color:#065f46}
.wb-flash.wb-error{background:#fef2f2;border:1px solid #fecaca;color:#991b1b}
.wb-watch{background:var(--panel,#fff);border:1px solid var(--line,#e5e7eb);border-radius:8px;padding:12px;display:flex;flex-direction:column;gap:8px;position:sticky;top:8px;max-height:calc(100vh - 24px)}
.wb-watch-head{display:flex;justify-content:space-between;align-items:center}
.wb-watch-head h2{font-size:15px;margin:0;font-family:ui-monospace,monospace}
.wb-mode{margin:0;font-size:13px;color:#1d4ed8}
.wb-watch-actions{display:flex;gap:6px;flex-wrap:wrap}
.wb-log{margin:0;padding:8px;background:#f9fafb;border-radius:6px;overflow:auto;min-height:160px;flex:1}
.wb-lines{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.wb-msg{display:flex;flex-direction:column;max-width:85%;padding:6px 10px;border-radius:10px;background:var(--panel,#fff);border:1px solid var(--line,#e5e7eb)}
.wb-msg.wb-from-visitor{align-self:flex-start}
.wb-msg.wb-from-agent{align-self:flex-end;background:#dbeafe;border-color:#bfdbfe}
.wb-msg.wb-from-system{align-self:center;background:#f3f4f6;font-size:12px}
.wb-msg-meta{font-size:11px;color:var(--muted,#6b7280)}
.wb-msg-text{white-space:pre-wrap;word-break:break-word}
.wb-event{align-self:center;font-size:12px;color:var(--muted,#6b7280)}
.wb-end{height:0}
.wb-notes h3{font-size:12px;color:var(--muted,#6b7280);margin:0 0 4px}
.wb-notes li{font-size:13px;background:#fffbeb;border-left:3px solid #f59e0b;padding:4px 8px;margin-bottom:4px}
.wb-write{display:flex;flex-direction:column;gap:6px}
.wb-row{display:flex;gap:6px}
.wb-input{flex:1;font:inherit;border:1px solid #d1d5db;border-radius:6px;padding:6px 8px}
.wb-backdrop{position:fixed;inset:0;background:rgba(17,24,39,.4);display:flex;align-items:center;justify-content:center;z-index:20}
.wb-dialog{background:var(--panel,#fff);border-radius:10px;padding:16px 18px;width:460px;max-width:calc(100vw - 32px);box-shadow:0 10px 30px rgba(0,0,0,.25)}
.wb-dialog h2{font-size:16px;margin:0 0 12px}
.wb-form{display:flex;flex-direction:column;gap:10px}
.wb-choice{border:0;padding:0;margin:0;display:grid;grid-template-columns:auto 1fr;gap:8px;align-items:center}
.wb-field{display:flex;flex-direction:column;gap:4px;font-size:13px}
.wb select,.wb textarea,.wb input[type=number]{font:inherit;border:1px solid #d1d5db;border-radius:6px;padding:5px 8px}
.wb-buttons{display:flex;justify-content:flex-end;gap:8px}
`;

let adopted = false;

export function adoptWorkbenchStyles(): void {
  if (adopted) return;
  adopted = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
