// Workspace probes: per folder its go.mod / go.work, the nearest ones above it, and a bounded
// walk for .go files and nested modules. Reads only; never follows symlinks.
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as jsonc from 'jsonc-parser';
import type { FileText } from '../../engine/generated/FileText';
import type { Folder } from '../../engine/generated/Folder';
import type { GoFileHead } from '../../engine/generated/GoFileHead';
import type { LaunchTarget } from '../../engine/generated/LaunchTarget';
import type { SkippedProbe } from '../../engine/generated/SkippedProbe';

export const WALK_ENTRY_CAP = 20000;
export const GO_FILES_CAP = 50;
/** How many .go files the import scan reads, and how much of each. */
export const GO_SCAN_CAP = 1000;
export const GO_HEAD_BYTES = 8 * 1024;
const GO_HEAD_KEPT = 4 * 1024;
const SKIP_DIRS = new Set(['.git', 'node_modules', 'vendor']);

export async function readFileText(p: string): Promise<FileText | undefined> {
  try {
    return { path: p, text: await fs.promises.readFile(p, 'utf8') };
  } catch {
    return undefined;
  }
}

/** Cap on how much of vendor/modules.txt is read (big monorepos vendor thousands of packages). */
export const MODULES_TXT_CAP = 512 * 1024;

/**
 * The first `cap` bytes of a regular file (cut at the last full line when cut), or undefined.
 * Never blocks on a FIFO or device planted in the workspace (non-blocking open, then fstat).
 */
export async function readFileHead(p: string, cap: number): Promise<FileText | undefined> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(p, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    if (!(await fh.stat()).isFile()) return undefined;
    const buf = Buffer.alloc(cap);
    const { bytesRead } = await fh.read(buf, 0, cap, 0);
    let text = buf.subarray(0, bytesRead).toString('utf8');
    if (bytesRead === cap) text = text.slice(0, text.lastIndexOf('\n') + 1);
    return { path: p, text };
  } catch {
    return undefined;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** The nearest `name` in an ancestor of `dir` (not `dir` itself). */
export async function findInAncestors(dir: string, name: string): Promise<string | undefined> {
  let cur = path.dirname(dir);
  let prev = dir;
  while (cur !== prev) {
    const candidate = path.join(cur, name);
    if (await isFile(candidate)) return candidate;
    prev = cur;
    cur = path.dirname(cur);
  }
  return undefined;
}

export interface WalkResult {
  goFiles: string[];
  nestedModules: string[];
  filesVisited: number;
  walkCapped: boolean;
  /** Directories entered below the root (`.git`, `node_modules`, `vendor` are not entered). */
  dirsVisited: number;
  /** Directories that could not be listed (relative, `.` for the root) with the error code. */
  unreadable: { rel: string; code: string }[];
  /** Directories entered below each top-level subdirectory (itself included). */
  topDirs: Map<string, number>;
  /** The first GO_SCAN_CAP .go files met (relative), for the import scan. */
  scanGoFiles: string[];
}

/** How many top-level subdirectories `largestDirs` names. */
export const LARGEST_DIRS_SHOWN = 5;

/** How many unreadable directories are named in the skip reason. */
const UNREADABLE_SHOWN = 5;

/** Breadth-first walk below `root`, bounded by `cap` directory entries. */
export async function walkFolder(root: string, cap = WALK_ENTRY_CAP): Promise<WalkResult> {
  const result: WalkResult = { goFiles: [], nestedModules: [], filesVisited: 0, walkCapped: false, unreadable: [], dirsVisited: 0, topDirs: new Map(), scanGoFiles: [] };
  const queue: string[] = [''];
  let entries = 0;
  while (queue.length > 0) {
    const rel = queue.shift() as string;
    let dirents: fs.Dirent[];
    try {
      dirents = await fs.promises.readdir(path.join(root, rel), { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'ERROR';
      if (code !== 'ENOENT') result.unreadable.push({ rel: rel === '' ? '.' : rel, code });
      continue;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of dirents) {
      if (entries >= cap) {
        result.walkCapped = true;
        return result;
      }
      entries++;
      const childRel = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) {
        if (!SKIP_DIRS.has(d.name)) {
          queue.push(childRel);
          result.dirsVisited++;
          const slash = rel.indexOf('/');
          const top = rel === '' ? d.name : slash < 0 ? rel : rel.slice(0, slash);
          result.topDirs.set(top, (result.topDirs.get(top) ?? 0) + 1);
        }
      } else if (d.isFile()) {
        result.filesVisited++;
        if (d.name === 'go.mod' && rel !== '') result.nestedModules.push(rel);
        if (d.name.endsWith('.go') && result.goFiles.length < GO_FILES_CAP) result.goFiles.push(childRel);
        if (d.name.endsWith('.go') && result.scanGoFiles.length < GO_SCAN_CAP) result.scanGoFiles.push(childRel);
      }
      // Symbolic links are neither followed nor counted as files.
    }
  }
  return result;
}

/** golangci-lint's config file names, as its docs list them (it loads `.golangci.*` via viper). */
const GOLANGCI_CONFIGS = ['.golangci.yml', '.golangci.yaml', '.golangci.toml', '.golangci.json'];

async function readGolangciConfig(dir: string): Promise<FileText | undefined> {
  for (const name of GOLANGCI_CONFIGS) {
    const f = await readFileText(path.join(dir, name));
    if (f) return f;
  }
  return undefined;
}

/**
 * The head of a Go source file up to its first top-level declaration after the imports (build
 * constraints, package clause, import block), at most GO_HEAD_KEPT characters.
 */
export function goImportHead(text: string): string {
  const m = /^(func|type|var|const)\b/m.exec(text);
  const head = m ? text.slice(0, m.index) : text;
  return head.length > GO_HEAD_KEPT ? head.slice(0, GO_HEAD_KEPT) : head;
}

/** Heads of the .go files (relative to `root`) whose first GO_HEAD_BYTES mention "syscall/js". */
export async function scanSyscallJs(root: string, rels: string[]): Promise<FileText[]> {
  const out: FileText[] = [];
  const BATCH = 32;
  for (let i = 0; i < rels.length; i += BATCH) {
    const heads = await Promise.all(rels.slice(i, i + BATCH).map((r) => readFileHead(path.join(root, r), GO_HEAD_BYTES)));
    for (const h of heads) {
      if (h && h.text.includes('"syscall/js"')) out.push({ path: h.path, text: goImportHead(h.text) });
    }
  }
  return out;
}

/** Everything the engine needs to know about one workspace folder. Directories the walk could
 * not read are reported in `skipped` (probe `workspaceWalk`), for the rules that depend on it. */
export async function probeFolder(folderPath: string, skipped?: SkippedProbe[], workspaceFileText?: string): Promise<Folder> {
  const abs = path.resolve(folderPath);
  const launchJsonP = readFileText(path.join(abs, '.vscode', 'launch.json'));
  const vendorP = Promise.all([isDir(path.join(abs, 'vendor')), readFileHead(path.join(abs, 'vendor', 'modules.txt'), MODULES_TXT_CAP)]);
  // What the Go launch configurations' `program`s point at, alongside the walk.
  const launchTargetsP = launchJsonP.then((lj) => {
    const programs = [
      ...(lj ? goLaunchPrograms(lj.text, false) : []),
      ...(workspaceFileText ? goLaunchPrograms(workspaceFileText, true) : []),
    ];
    return programs.length > 0 ? probeLaunchTargets(programs, abs) : [];
  }).catch(() => []);
  const golangciP = readGolangciConfig(abs);
  const [goMod, goWork, ancestorGoMod, ancestorGoWork, walk] = await Promise.all([
    readFileText(path.join(abs, 'go.mod')),
    readFileText(path.join(abs, 'go.work')),
    findInAncestors(abs, 'go.mod'),
    findInAncestors(abs, 'go.work'),
    walkFolder(abs),
  ]);
  const folder: Folder = {
    uri: pathToFileURL(abs).href,
    path: abs,
    goFiles: walk.goFiles,
    nestedModules: walk.nestedModules,
    filesVisited: walk.filesVisited,
    walkCapped: walk.walkCapped,
    dirsVisited: walk.dirsVisited,
    largestDirs: [...walk.topDirs]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, LARGEST_DIRS_SHOWN)
      .map(([p, dirs]) => ({ path: p, dirs })),
  };
  const launchJson = await launchJsonP;
  if (launchJson) folder.launchJson = launchJson;
  const [[vendorDir, modulesTxt], jsFiles] = await Promise.all([vendorP, scanSyscallJs(abs, walk.scanGoFiles)]);
  folder.goFilesScanned = walk.scanGoFiles.length;
  if (jsFiles.length > 0) folder.syscallJsFiles = jsFiles;
  folder.vendorDir = vendorDir;
  if (modulesTxt) folder.vendorModulesTxt = modulesTxt;
  const launchTargets = await launchTargetsP;
  if (launchTargets.length > 0) folder.launchTargets = launchTargets;
  const golangci = await golangciP;
  if (golangci) folder.golangciConfig = golangci;
  if (skipped && walk.unreadable.length > 0) {
    const n = walk.unreadable.length;
    const shown = walk.unreadable.slice(0, UNREADABLE_SHOWN).map((u) => `${u.rel} (${u.code})`);
    if (n > UNREADABLE_SHOWN) shown.push(`and ${n - UNREADABLE_SHOWN} more`);
    skipped.push({
      probe: 'workspaceWalk',
      reason: `Could not read ${n === 1 ? 'a directory' : `${n} directories`} in ${abs}: ${shown.join(', ')}. Go files and modules in ${n === 1 ? 'it' : 'them'} were not seen.`,
    });
  }
  if (goMod) folder.goMod = goMod;
  if (goWork) folder.goWork = goWork;
  if (ancestorGoMod) folder.ancestorGoMod = ancestorGoMod;
  if (ancestorGoWork) folder.ancestorGoWork = ancestorGoWork;
  return folder;
}

// ---- Go launch configurations: what `program` points at (stat, first bytes, package clauses) ----

/** At most this many distinct `program` values are looked at per folder. */
export const LAUNCH_TARGETS_CAP = 20;
/** At most this many `.go` files of a program directory are read, each only its first bytes. */
export const PACKAGE_FILES_CAP = 50;
const HEAD_BYTES = 2048;

/** `program` of every Go `launch` configuration in a launch.json text, or in the `launch` block of
 * a `*.code-workspace` text. Unparseable input gives none. */
export function goLaunchPrograms(text: string, inWorkspaceFile: boolean): string[] {
  let root: unknown;
  try {
    root = jsonc.parse(text, [], { allowTrailingComma: true });
  } catch {
    return []; // nested too deeply for jsonc-parser's recursion
  }
  const obj = (v: unknown): Record<string, unknown> | undefined =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  const holder = inWorkspaceFile ? obj(obj(root)?.launch) : obj(root);
  const configs = holder?.configurations;
  if (!Array.isArray(configs)) return [];
  const out: string[] = [];
  for (const c of configs) {
    const o = obj(c);
    if (o && o.type === 'go' && o.request === 'launch' && typeof o.program === 'string' && !out.includes(o.program)) out.push(o.program);
  }
  return out;
}

/** vscode-go's test for a package import path (`example.com/cmd/x`), which it hands to the go
 * command as is unless a file or directory of that name exists (goDebugConfiguration.ts
 * `isPackageUrl`). */
const PACKAGE_PATH = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9](\.[a-zA-Z]{2,})+\//;

/** The absolute path `program` stands for in `folder`, as vscode-go resolves it before debugging
 * (`${workspaceFolder}` / `${workspaceRoot}`, relative paths against the folder); `undefined` when
 * it holds another variable (`${file}`, `${fileDirname}`, `${input:x}`, ...), known only at F5. */
export function resolveProgram(program: string, folder: string): string | undefined {
  const p = program.replace(/\$\{(workspaceFolder|workspaceRoot)\}/g, folder);
  if (p.includes('${') || p === '' || p.startsWith('~')) return undefined;
  return path.resolve(folder, p);
}

/** The package clause and `//go:build` line of a Go file's head (comments skipped). */
export function goFileHead(name: string, head: string): GoFileHead {
  const out: GoFileHead = { name };
  let i = 0;
  while (i < head.length) {
    const c = head[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\ufeff') {
      i++;
    } else if (head.startsWith('//', i)) {
      const end = head.indexOf('\n', i);
      const line = head.slice(i, end < 0 ? head.length : end);
      const m = /^\/\/go:build\s+(.*\S)/.exec(line);
      if (m && out.build === undefined) out.build = m[1];
      i = end < 0 ? head.length : end + 1;
    } else if (head.startsWith('/*', i)) {
      const end = head.indexOf('*/', i + 2);
      if (end < 0) return out;
      i = end + 2;
    } else {
      const m = /^package\s+([\p{L}_][\p{L}\p{Nd}_]*)/u.exec(head.slice(i, i + 200));
      if (m) out.package = m[1];
      return out;
    }
  }
  return out;
}

async function readHead(file: string, bytes: number): Promise<Buffer | undefined> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(file, 'r');
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** What one `program` points at. Reads only: stat, the first 4 bytes of a file, the first 2 KB of
 * up to PACKAGE_FILES_CAP `.go` files. `undefined` when it cannot be resolved. */
export async function probeLaunchTarget(program: string, folder: string): Promise<LaunchTarget | undefined> {
  const resolved = resolveProgram(program, folder);
  if (!resolved) return undefined;
  const t: LaunchTarget = { program, path: resolved, kind: 'missing', goFiles: [], goFilesCapped: false };
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(resolved);
  } catch (e) {
    if (PACKAGE_PATH.test(program)) return undefined; // an import path, not a file path
    t.error = (e as NodeJS.ErrnoException).code ?? 'ERROR';
    return t;
  }
  if (st.isFile()) {
    t.kind = 'file';
    t.mode = st.mode & 0o777;
    const magic = await readHead(resolved, 4);
    if (magic) t.magic = magic.toString('hex');
    if (resolved.endsWith('.go')) {
      const head = await readHead(resolved, HEAD_BYTES);
      t.goFiles.push(goFileHead(path.basename(resolved), head?.toString('utf8') ?? ''));
    }
    return t;
  }
  if (!st.isDirectory()) {
    t.kind = 'other';
    return t;
  }
  t.kind = 'dir';
  let names: string[];
  try {
    const dirents = await fs.promises.readdir(resolved, { withFileTypes: true });
    names = dirents.filter((d) => d.isFile() && d.name.endsWith('.go')).map((d) => d.name).sort();
  } catch (e) {
    t.error = (e as NodeJS.ErrnoException).code ?? 'ERROR';
    t.kind = 'other';
    return t;
  }
  if (names.length > PACKAGE_FILES_CAP) {
    t.goFilesCapped = true;
    names = names.slice(0, PACKAGE_FILES_CAP);
  }
  t.goFiles = await Promise.all(
    names.map(async (n) => goFileHead(n, (await readHead(path.join(resolved, n), HEAD_BYTES))?.toString('utf8') ?? '')),
  );
  return t;
}

/** Every resolvable `program` of a folder's Go launch configurations (capped). */
export async function probeLaunchTargets(programs: string[], folder: string): Promise<LaunchTarget[]> {
  const unique = [...new Set(programs)].slice(0, LAUNCH_TARGETS_CAP);
  const found = await Promise.all(unique.map((p) => probeLaunchTarget(p, folder)));
  return found.filter((t): t is LaunchTarget => t !== undefined);
}
