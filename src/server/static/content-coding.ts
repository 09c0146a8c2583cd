/**
 * Picks the precompressed variant a client accepts (Accept-Encoding, with
 * q-values): brotli before gzip before none.
 */
export type Coding = 'br' | 'gzip' | 'identity';

export function acceptedCodings(header: string): Set<Coding> {
  const accepted = new Set<Coding>(['identity']);
  let star: boolean | undefined;
  const refused = new Set<string>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    const ok = Number.isFinite(weight) && weight > 0;
    if (name === '*') star = ok;
    else if (!ok) refused.add(name);
    else if (name === 'br' || name === 'gzip') accepted.add(name);
    else if (name === 'x-gzip') accepted.add('gzip');
  }
  if (star) for (const c of ['br', 'gzip'] as const) if (!refused.has(c)) accepted.add(c);
  return accepted;
}

export function chooseCoding(header: string, available: { br: boolean; gzip: boolean }): Coding {
  const accepted = acceptedCodings(header);
  if (available.br && accepted.has('br')) return 'br';
  if (available.gzip && accepted.has('gzip')) return 'gzip';
  return 'identity';
}
