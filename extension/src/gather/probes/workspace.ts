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
const SKIP_DIRS = new Set(['.git', 'node_modules', 'vendor']);

export async function readFileText(p: string): Promise<FileText | undefined> {
  try {
    return { path: p, text: await fs.promises.readFile(p, 'utf8') };
  } catch {
    return undefined;
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
}

/** How many unreadable directories are named in the skip reason. */
const UNREADABLE_SHOWN = 5;

/** Breadth-first walk below `root`, bounded by `cap` directory entries. */
export async function walkFolder(root: string, cap = WALK_ENTRY_CAP): Promise<WalkResult> {
  const result: WalkResult = { goFiles: [], nestedModules: [], filesVisited: 0, walkCapped: false, unreadable: [], dirsVisited: 0 };
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
        }
      } else if (d.isFile()) {
        result.filesVisited++;
        if (d.name === 'go.mod' && rel !== '') result.nestedModules.push(rel);
        if (d.name.endsWith('.go') && result.goFiles.length < GO_FILES_CAP) result.goFiles.push(childRel);
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

/** Everything the engine needs to know about one workspace folder. Directories the walk could
 * not read are reported in `skipped` (probe `workspaceWalk`), for the rules that depend on it. */
export async function probeFolder(folderPath: string, skipped?: SkippedProbe[]): Promise<Folder> {
  const abs = path.resolve(folderPath);
  const launchJsonP = readFileText(path.join(abs, '.vscode', 'launch.json'));
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
  };
  const launchJson = await launchJsonP;
  if (launchJson) folder.launchJson = launchJson;
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
