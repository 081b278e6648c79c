// Workspace probes: per folder its go.mod / go.work, the nearest ones above it, and a bounded
// walk for .go files and nested modules. Reads only; never follows symlinks.
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { FileText } from '../../engine/generated/FileText';
import type { Folder } from '../../engine/generated/Folder';
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

/**
 * The head of a Go source file up to its first top-level declaration after the imports (build
 * constraints, package clause, import block), at most GO_HEAD_KEPT characters.
 */
export function goFileHead(text: string): string {
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
      if (h && h.text.includes('"syscall/js"')) out.push({ path: h.path, text: goFileHead(h.text) });
    }
  }
  return out;
}

/** Everything the engine needs to know about one workspace folder. Directories the walk could
 * not read are reported in `skipped` (probe `workspaceWalk`), for the rules that depend on it. */
export async function probeFolder(folderPath: string, skipped?: SkippedProbe[]): Promise<Folder> {
  const abs = path.resolve(folderPath);
  const launchJsonP = readFileText(path.join(abs, '.vscode', 'launch.json'));
  const vendorP = Promise.all([isDir(path.join(abs, 'vendor')), readFileHead(path.join(abs, 'vendor', 'modules.txt'), MODULES_TXT_CAP)]);
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
