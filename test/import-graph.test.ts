/**
 * Issue 14: no import circle among the actor files. Reads the import and
 * export-from statements of every source file under actors/ (type-only
 * imports included: a circle of types is still a circle a reader must hold
 * in their head) and fails on any cycle, printing it.
 */
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Graph = Map<string, string[]>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative specifiers of `import … from`, `export … from`, `import '…'` and `import('…')`. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /(?:^|[\s;])(?:import|export)\s[^;'"]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /(?:^|[\s;])import\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  // Comments may mention imports; they are not edges.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const p of patterns) for (const m of code.matchAll(p)) found.push(m[1]!);
  return found.filter((s) => s.startsWith('.'));
}

/** The import graph of the .ts files under `dir`, keyed by path relative to the repository, edges inside `dir` only. */
function importGraph(dir: string): Graph {
  const files = sources(dir);
  const known = new Set(files);
  const graph: Graph = new Map();
  for (const f of files) {
    const edges = specifiers(readFileSync(f, 'utf8'))
      .map((s) => resolve(dirname(f), s).replace(/\.js$/, '.ts'))
      .filter((target) => known.has(target));
    graph.set(relative(root, f), [...new Set(edges.map((e) => relative(root, e)))]);
  }
  return graph;
}

/** Every strongly connected component with a cycle (Tarjan), each given as one cycle through it and all its members. */
function cycles(graph: Graph): { cycle: string[]; members: string[] }[] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return components.map((c) => ({ cycle: cycleWithin(graph, new Set(c)), members: c.sort() }));
}

/** One cycle inside a component: a shortest path from its first member back to itself. */
function cycleWithin(graph: Graph, members: ReadonlySet<string>): string[] {
  const start = [...members].sort()[0]!;
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        for (let p = v; p !== start; p = from.get(p)!) path.unshift(from.get(p)!);
        return [...path, start];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

const show = ({ cycle, members }: { cycle: string[]; members: string[] }): string =>
  `${cycle.join(' -> ')}${members.length > cycle.length - 1 ? ` (one circle of ${members.length} files: ${members.join(', ')})` : ''}`;

t.test('the cycle finder finds and prints a planted cycle, and none in a tree', async (t) => {
  const planted: Graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a', 'd']],
    ['d', []],
    ['e', ['e']],
  ]);
  t.same(cycles(planted).map(show).sort(), ['a -> b -> c -> a', 'e -> e']);
  t.same(
    cycles(
      new Map([
        ['a', ['b', 'c']],
        ['b', ['a']],
        ['c', ['a']],
      ]),
    ).map(show),
    ['a -> b -> a (one circle of 3 files: a, b, c)'],
  );
  t.same(
    cycles(
      new Map([
        ['a', ['b', 'c']],
        ['b', ['c']],
        ['c', []],
      ]),
    ),
    [],
  );
  t.same(
    specifiers(
      "import type { A } from './a.js';\nimport {\n  B,\n} from '../b.js';\nexport { C } from './c.js';\nimport 'node:fs';\n// import { D } from './d.js';\n",
    ),
    ['./a.js', '../b.js', './c.js'],
  );
});

t.test('issue 14: no import circle among the actor files', async (t) => {
  const graph = importGraph(join(root, 'actors'));
  t.ok(graph.size > 30, `${graph.size} actor files read`);
  const found = cycles(graph);
  t.same(found.map(show), [], found.length ? `import cycles:\n${found.map(show).join('\n')}` : 'no import cycle');
});
