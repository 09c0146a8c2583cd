/**
 * The stable script of a full-page app (/console.js, /admin.js): a page's
 * `<script src>` cannot name a content-hashed module, so this classic script
 * imports the app's module, whose hashed URL the build writes in as
 * __APP_ENTRY__. A module that cannot load leaves the page's own
 * "cannot load" text in place and says so (WEB-7: never a blank page).
 */
declare const __APP_ENTRY__: string;

(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const base = new URL(script?.src ?? location.href, location.href);
  import(new URL(__APP_ENTRY__, base).href).catch(() => {
    const root = document.getElementById('app');
    const failed = root?.getAttribute('data-load-failed');
    if (root && failed) root.textContent = failed;
  });
})();
