// Findings carry file: URIs (the gatherer reads files from disk), but VS Code may show the same
// file under another URI: desktop VS Code opens the user settings.json ("Preferences: Open User
// Settings (JSON)") as vscode-userdata:<same path> (microsoft/vscode-chat-customizations-evaluation#107:
// user-data files "use the vscode-userdata scheme instead of file"). While such a document is
// open, its findings are published, opened and edited under the document's own URI, so the
// squiggle and the quick fix are in the editor the user has open; otherwise under file:.
import * as vscode from 'vscode';
import { openDocumentFor } from './model';

/** The URI of `uriText` as VS Code's editors know it right now. */
export function editorUri(uriText: string): vscode.Uri {
  const open = openDocumentFor(
    uriText,
    vscode.workspace.textDocuments.map((d) => d.uri.toString()),
  );
  return vscode.Uri.parse(open ?? uriText);
}
