/** The panel's look; loaded with the panel. At 360 px and below it takes the whole width (WEB-7). */
export const panelCss = `
.panel{pointer-events:auto;display:flex;flex-direction:column;width:360px;max-width:calc(100vw - 32px);height:520px;max-height:calc(100vh - 104px);background:#fff;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.22);overflow:hidden;border:1px solid #e5e7eb}
.head{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:12px 14px;background:var(--sb-accent);color:#fff}
.head-title{font-weight:600;font-size:15px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.close{border:0;background:transparent;color:#fff;font-size:24px;line-height:24px;width:32px;height:32px;border-radius:6px;cursor:pointer;padding:0}
.close:focus-visible,.send:focus-visible,.star:focus-visible,textarea:focus-visible,.log:focus-visible{outline:3px solid #111827;outline-offset:1px}
.status{padding:8px 14px;font-size:13px;background:#eff6ff;color:#1e3a8a;border-bottom:1px solid #dbeafe}
.status.warn{background:#fef3c7;color:#78350f;border-color:#fde68a}
.log{flex:1;overflow-y:auto;padding:12px 14px;display:flex;flex-direction:column;gap:8px;background:#f9fafb}
.msg{max-width:80%;display:flex;flex-direction:column}
.msg .text{padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.mine{align-self:flex-end;align-items:flex-end}
.mine .text{background:var(--sb-accent);color:#fff;border-bottom-right-radius:4px}
.theirs{align-self:flex-start}
.theirs .text{background:#fff;border:1px solid #e5e7eb;border-bottom-left-radius:4px}
.pending .text{opacity:.6}
.meta{font-size:11px;color:#6b7280;margin-top:2px}
.notice{align-self:center;text-align:center;font-size:12px;color:#4b5563;margin:2px 8px;white-space:pre-wrap}
.typing{font-size:12px;color:#6b7280;font-style:italic}
.survey{display:flex;align-items:center;gap:6px;padding:8px 14px;border-top:1px solid #e5e7eb;flex-wrap:wrap}
.star{width:32px;height:32px;border-radius:16px;border:1px solid var(--sb-accent);background:#fff;color:var(--sb-accent);cursor:pointer;font-weight:600}
.composer{display:flex;gap:8px;padding:10px;border-top:1px solid #e5e7eb;background:#fff}
textarea{flex:1;resize:none;font:inherit;padding:8px 10px;border:1px solid #d1d5db;border-radius:8px;min-height:40px;color:#111827;background:#fff}
.send{border:0;border-radius:8px;padding:0 14px;background:var(--sb-accent);color:#fff;font:inherit;font-weight:600;cursor:pointer}
.send:disabled{opacity:.5;cursor:default}
.attach{border:0;background:transparent;color:#4b5563;width:36px;border-radius:8px;cursor:pointer;padding:0;display:flex;align-items:center;justify-content:center}
.attach:hover{background:#f3f4f6}
.attach:focus-visible,.thumb:focus-visible,.file:focus-visible,.link:focus-visible,input:focus-visible,.form textarea:focus-visible{outline:3px solid #111827;outline-offset:1px}
.picker{display:none}
.panel{position:relative}
.form{display:flex;flex-direction:column;min-height:0;background:#fff;border-top:1px solid #e5e7eb}
.form.prechat{flex:1;border-top:0}
.form.leave{flex:0 1 auto;max-height:68%;box-shadow:0 -4px 12px rgba(0,0,0,.06)}
.form-body{overflow-y:auto;display:flex;flex-direction:column;gap:10px;padding:12px 14px}
.form-foot{padding:10px 14px;border-top:1px solid #f3f4f6}
.form-intro{margin:0 0 2px;color:#374151}
.field{display:flex;flex-direction:column;gap:4px}
.field label{font-size:13px;font-weight:600;color:#374151}
.optional{font-weight:400;color:#6b7280}
.field input,.form textarea{font:inherit;padding:8px 10px;border:1px solid #d1d5db;border-radius:8px;color:#111827;background:#fff;width:100%}
.field [aria-invalid=true]{border-color:#dc2626}
.field-error{font-size:12px;color:#b91c1c;margin:0}
.send.wide{padding:10px 14px;width:100%}
.thumb{display:block;border:1px solid #e5e7eb;border-radius:12px;padding:0;background:#fff;cursor:zoom-in;overflow:hidden;max-width:200px}
.thumb img{display:block;max-width:200px;max-height:160px;object-fit:cover}
.thumb-wait{display:block;width:120px;height:90px;background:#e5e7eb}
.file{display:flex;align-items:center;gap:8px;border:1px solid #e5e7eb;border-radius:12px;padding:8px 12px;background:#fff;color:#111827;font:inherit;cursor:pointer;text-align:left}
.file-icon{flex:none;color:var(--sb-accent)}
.file-name{font-weight:600;overflow-wrap:anywhere}
.file-size{font-size:12px;color:#6b7280;font-weight:400}
.upload{min-width:200px;padding:8px 12px;border-radius:14px;background:#fff;border:1px solid #e5e7eb;display:flex;flex-direction:column;gap:6px}
.bar{height:6px;border-radius:3px;background:#e5e7eb;overflow:hidden}
.bar-fill{height:100%;background:var(--sb-accent);transition:width .15s}
.upload-error{font-size:12px;color:#b91c1c}
.link{border:0;background:none;padding:0;color:#1d4ed8;text-decoration:underline;cursor:pointer;font:inherit}
.viewer{position:absolute;inset:0;background:rgba(17,24,39,.88);display:flex;align-items:center;justify-content:center;padding:16px;cursor:zoom-out;z-index:2}
.viewer img{max-width:100%;max-height:100%;border-radius:6px}
.viewer-close{position:absolute;top:8px;right:8px}
.drop{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;background:rgba(239,246,255,.92);border:3px dashed var(--sb-accent);border-radius:14px;color:#1e3a8a;font-weight:600;z-index:2;pointer-events:none}
.thanks{padding:8px 14px;margin:0;background:#ecfdf5;color:#065f46;align-self:stretch;border-top:1px solid #d1fae5}
@media (max-width:420px){.panel{width:calc(100vw - 32px);max-width:none;height:calc(100vh - 96px);max-height:none}}
`;
