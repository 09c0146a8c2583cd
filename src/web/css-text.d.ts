/** A style sheet imported by a browser module is its text (esbuild's `text` loader, src/build/web.ts). */
declare module '*.css' {
  const text: string;
  export default text;
}
