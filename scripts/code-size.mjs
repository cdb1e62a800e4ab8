// Lists functions longer than --max-fn lines and files longer than --max-file lines under src/.
// Used by test/meta/code-size.test.ts; run by hand: node scripts/code-size.mjs [--max-fn 100] [--max-file 400]
import ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every function-like node with its name, first line and length in lines. */
export function functionsOf(file) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      let name = node.name && ts.isIdentifier(node.name) ? node.name.text : undefined;
      if (!name && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) name = node.parent.name.text;
      if (!name && ts.isPropertyAssignment(node.parent) && ts.isIdentifier(node.parent.name)) name = node.parent.name.text;
      out.push({ name: name ?? '(anonymous)', start, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { lines: text.split('\n').length, functions: out };
}

export function measure(root, maxFn = 100, maxFile = 400) {
  const longFunctions = [];
  const longFiles = [];
  for (const f of walk(join(root, 'src'))) {
    const rel = relative(root, f);
    const { lines, functions } = functionsOf(f);
    if (lines > maxFile) longFiles.push({ file: rel, lines });
    for (const fn of functions) if (fn.lines > maxFn) longFunctions.push({ file: rel, ...fn });
  }
  return { longFunctions, longFiles };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k, d) => (process.argv.includes(k) ? Number(process.argv[process.argv.indexOf(k) + 1]) : d);
  const r = measure(process.cwd(), arg('--max-fn', 100), arg('--max-file', 400));
  for (const f of r.longFiles) console.log(`file ${f.file}: ${f.lines} lines`);
  for (const f of r.longFunctions.sort((a, b) => b.lines - a.lines)) console.log(`function ${f.file}:${f.start} ${f.name}: ${f.lines} lines`);
}
