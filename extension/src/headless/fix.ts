// `--fix`: apply the `safe` fixes' file edits to the files on disk. A file is only touched if
// it still has exactly the text the snapshot saw; a fix is applied whole or not at all; fixes
// whose edits collide with an earlier one wait for the next round (after a re-diagnosis).
import * as fs from 'fs';
import * as jsonc from 'jsonc-parser';
import { pathToFileURL } from 'url';
import type { Fix } from '../engine/generated/Fix';
import type { Report } from '../engine/generated/Report';
import type { Snapshot } from '../engine/generated/Snapshot';
import type { TextEdit } from '../engine/generated/TextEdit';
import { uriToPath } from './render';

export interface AppliedFix {
  code: string;
  title: string;
  file: string;
}

export interface RefusedFix {
  code: string;
  title: string;
  file: string;
  reason: string;
}

export interface FixResult {
  applied: AppliedFix[];
  refused: RefusedFix[];
  /** Safe fixes held back because they touch text an applied fix changed; re-diagnose and retry. */
  deferred: number;
}

/** The texts the snapshot saw, by file URI. */
function snapshotTexts(snapshot: Snapshot): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of snapshot.settings) if (typeof l.text === 'string') m.set(l.uri, l.text);
  const add = (p: string | undefined, text: string | undefined) => {
    if (p !== undefined && text !== undefined) m.set(pathToFileURL(p).href, text);
  };
  for (const f of snapshot.workspace.folders) {
    add(f.goMod?.path, f.goMod?.text);
    add(f.goWork?.path, f.goWork?.text);
    add(f.launchJson?.path, f.launchJson?.text);
  }
  add(snapshot.goEnvFile?.path, snapshot.goEnvFile?.text);
  return m;
}

/** Apply edits by UTF-16 offsets, from the end to the start. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.range.startOffset - a.range.startOffset || b.range.endOffset - a.range.endOffset);
  let out = text;
  for (const e of sorted) {
    const start = Math.min(e.range.startOffset, out.length);
    const end = Math.max(start, Math.min(e.range.endOffset, out.length));
    out = out.slice(0, start) + e.newText + out.slice(end);
  }
  return out;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Touching edits count as colliding: each was computed against the original text alone.
  return a.range.startOffset <= b.range.endOffset && b.range.startOffset <= a.range.endOffset;
}

function parseErrorCount(text: string): number {
  const errors: jsonc.ParseError[] = [];
  try {
    jsonc.parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch {
    return Number.POSITIVE_INFINITY; // nested too deeply for jsonc-parser's recursion
  }
  return errors.length;
}

const isJsonc = (file: string) => /\.(json|jsonc|code-workspace)$/i.test(file);

interface Pending {
  code: string;
  fix: Fix;
  edits: TextEdit[];
}

/** Apply every safe fix's `editFile` actions. Never throws for a file problem; it refuses. */
export async function applySafeFixes(snapshot: Snapshot, report: Report): Promise<FixResult> {
  const result: FixResult = { applied: [], refused: [], deferred: 0 };
  const texts = snapshotTexts(snapshot);
  const byFile = new Map<string, Pending[]>();
  for (const finding of report.findings) {
    for (const fix of finding.fixes) {
      if (fix.applicability !== 'safe') continue;
      const edits = fix.actions.filter((a) => a.kind === 'editFile');
      // A fix editing several files is not split: it goes to the first file's group only if it
      // edits a single file (all engine fixes do today).
      const uris = [...new Set(edits.map((a) => (a.kind === 'editFile' ? a.uri : '')))];
      if (uris.length !== 1) {
        if (uris.length > 1) result.refused.push({ code: finding.code, title: fix.title, file: uris.map(uriToPath).join(', '), reason: 'edits several files' });
        continue;
      }
      const all = edits.flatMap((a) => (a.kind === 'editFile' ? a.edits : []));
      const list = byFile.get(uris[0]) ?? [];
      list.push({ code: finding.code, fix, edits: all });
      byFile.set(uris[0], list);
    }
  }

  for (const [uri, pending] of byFile) {
    const file = uriToPath(uri);
    const refuseAll = (reason: string) => {
      for (const p of pending) result.refused.push({ code: p.code, title: p.fix.title, file, reason });
    };
    const original = texts.get(uri);
    if (original === undefined) {
      refuseAll('the snapshot has no text for this file');
      continue;
    }
    let current: string;
    let bom = '';
    try {
      const bytes = await fs.promises.readFile(file);
      current = bytes.toString('utf8');
      // Invalid UTF-8 decodes to U+FFFD: writing the text back would change bytes the fix
      // never meant to touch.
      if (!Buffer.from(current, 'utf8').equals(bytes)) {
        refuseAll('it is not valid UTF-8; writing it back would change bytes outside the fix');
        continue;
      }
      if (current.charCodeAt(0) === 0xfeff) {
        bom = '\ufeff';
        current = current.slice(1);
      }
    } catch (e) {
      refuseAll(`cannot read it: ${(e as Error).message}`);
      continue;
    }
    if (current !== original) {
      refuseAll('the file changed since it was diagnosed');
      continue;
    }
    const chosen: Pending[] = [];
    for (const p of pending) {
      const collides = p.edits.some((e) => chosen.some((c) => c.edits.some((x) => overlaps(e, x))));
      if (collides) result.deferred++;
      else chosen.push(p);
    }
    let updated = applyTextEdits(original, chosen.flatMap((c) => c.edits));
    if (isJsonc(file) && chosen.length > 1 && parseErrorCount(updated) > parseErrorCount(original)) {
      // Together they break the file: apply the first alone, retry the rest after re-diagnosis.
      result.deferred += chosen.length - 1;
      chosen.splice(1);
      updated = applyTextEdits(original, chosen[0].edits);
    }
    if (isJsonc(file) && parseErrorCount(updated) > parseErrorCount(original)) {
      for (const c of chosen) result.refused.push({ code: c.code, title: c.fix.title, file, reason: 'the edit would leave invalid JSON' });
      continue;
    }
    try {
      await fs.promises.writeFile(file, bom + updated, 'utf8');
    } catch (e) {
      for (const c of chosen) result.refused.push({ code: c.code, title: c.fix.title, file, reason: `cannot write it: ${(e as Error).message}` });
      continue;
    }
    for (const c of chosen) result.applied.push({ code: c.code, title: c.fix.title, file });
  }
  return result;
}
