// The import graph of the source tree, read with the TypeScript compiler: every static
// import and re-export, `import type`, dynamic `import()`, `require()` and `typeof import()`,
// each resolved the way `tsc` resolves it (tsconfig.json's options). An import counts as
// "ours" when it lands on a file of the repository outside node_modules; packages and node
// built-ins are not ours.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** The importing file, relative to the root, with `/` separators. */
  from: string;
  line: number;
  /** As written in the source. */
  specifier: string;
  kind: 'import' | 'export' | 'dynamic import' | 'require' | 'import type';
  /** Our file it lands on, relative to the root; undefined for a package or a node built-in. */
  target?: string;
}

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

/** Every source file under root, skipping node_modules and dot-folders (.git, .serverless, .esbuild, .data). */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && SOURCE.test(entry.name)) out.push(toPosix(relative(root, path)));
    }
  };
  walk(root);
  return out.sort();
}

/** The compiler options of the root's tsconfig.json, or of `fallbackTsconfig` when the root has none. */
export function compilerOptionsOf(root: string, fallbackTsconfig = join(root, 'tsconfig.json')): ts.CompilerOptions {
  const file = ts.sys.fileExists(join(root, 'tsconfig.json')) ? join(root, 'tsconfig.json') : fallbackTsconfig;
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config, ts.sys, dirname(file)).options;
}

export function importGraph(root: string, options: ts.CompilerOptions = compilerOptionsOf(root)): ImportEdge[] {
  const host = ts.createCompilerHost(options);
  const cache = ts.createModuleResolutionCache(root, (f) => f, options);
  const edges: ImportEdge[] = [];
  for (const from of sourceFiles(root)) {
    const file = join(root, from);
    for (const found of importsIn(file, readFileSync(file, 'utf8'))) {
      edges.push({ from, ...found, target: ourTarget(root, file, found.specifier, options, host, cache) });
    }
  }
  return edges;
}

function ourTarget(root: string, file: string, specifier: string, options: ts.CompilerOptions, host: ts.CompilerHost, cache: ts.ModuleResolutionCache): string | undefined {
  const resolved = ts.resolveModuleName(specifier, file, options, host, cache).resolvedModule;
  let path: string | undefined;
  if (resolved && !resolved.isExternalLibraryImport) path = resolved.resolvedFileName;
  // A relative import the compiler cannot resolve (a file of another kind, or one that is
  // gone) still points into the tree: judge it by where it points.
  else if (!resolved && /^\.{1,2}(\/|$)/.test(specifier)) path = resolve(dirname(file), specifier);
  if (!path) return undefined;
  const inTree = toPosix(relative(root, path));
  if (inTree.startsWith('../') || inTree.split('/').includes('node_modules')) return undefined;
  return inTree;
}

type FoundImport = Pick<ImportEdge, 'line' | 'specifier' | 'kind'>;

/** The module specifiers one file names, with the line each is on. */
export function importsIn(fileName: string, text: string): FoundImport[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
  const found: FoundImport[] = [];
  const add = (literal: ts.Node, kind: FoundImport['kind']) => {
    if (!ts.isStringLiteralLike(literal)) return;
    found.push({ specifier: literal.text, kind, line: source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1 });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, node.importClause?.isTypeOnly ? 'import type' : 'import');
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node.moduleSpecifier, 'export');
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression, 'require');
    else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], 'dynamic import');
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') add(node.arguments[0], 'require');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, 'import type');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  switch (extname(fileName)) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

const toPosix = (path: string) => path.split(sep).join('/');
