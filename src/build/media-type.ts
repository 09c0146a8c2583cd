/** Media types of the files the web build produces, by extension. An unknown one is a build error, never a guess. */
const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export function mediaTypeOf(file: string): string {
  const dot = file.lastIndexOf('.');
  const type = dot >= 0 ? types[file.slice(dot).toLowerCase()] : undefined;
  if (!type) throw new Error(`web build: no media type for ${file}`);
  return type;
}
