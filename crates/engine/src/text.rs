//! Text positions: byte offsets (Rust) to UTF-16 line/character (VS Code, JavaScript).

use crate::protocol::{Position, Range};

/// Maps byte offsets of one text to UTF-16 positions.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        LineIndex { text, line_starts }
    }

    fn clamp(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while o > 0 && !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    fn utf16_len(s: &str) -> u32 {
        s.chars().map(|c| c.len_utf16() as u32).sum()
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = self.clamp(offset);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let character = self
            .text
            .get(start..offset)
            .map(Self::utf16_len)
            .unwrap_or(0);
        Position {
            line: line as u32,
            character,
        }
    }

    pub fn utf16_offset(&self, offset: usize) -> u32 {
        let offset = self.clamp(offset);
        self.text.get(..offset).map(Self::utf16_len).unwrap_or(0)
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range {
            start: self.position(start),
            end: self.position(end),
            start_offset: self.utf16_offset(start),
            end_offset: self.utf16_offset(end),
        }
    }
}

/// Convert a `file://` URI to a path for display (no decoding beyond `%20`-style escapes).
pub fn uri_to_path(uri: &str) -> String {
    let rest = uri.strip_prefix("file://").unwrap_or(uri);
    let mut out = String::with_capacity(rest.len());
    let bytes = rest.as_bytes();
    let mut i = 0;
    let mut buf = Vec::new();
    while i < bytes.len() {
        match (bytes.get(i), bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(b'%'), Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                let hex = [*h, *l];
                let v = std::str::from_utf8(&hex)
                    .ok()
                    .and_then(|s| u8::from_str_radix(s, 16).ok());
                match v {
                    Some(v) => buf.push(v),
                    None => buf.extend_from_slice(&hex),
                }
                i += 3;
            }
            (Some(b), _, _) => {
                buf.push(*b);
                i += 1;
            }
            _ => break,
        }
    }
    out.push_str(&String::from_utf8_lossy(&buf));
    // Windows: file:///c:/x -> c:/x
    if out.len() > 3 && out.starts_with('/') && out.as_bytes().get(2) == Some(&b':') {
        out.remove(0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_count_surrogate_pairs() {
        let text = "{\n  // 🦀 é\n  \"go.x\": 1\n}";
        let idx = LineIndex::new(text);
        let key = text.find("\"go.x\"").unwrap_or(0);
        let p = idx.position(key);
        assert_eq!(
            p,
            Position {
                line: 2,
                character: 2
            }
        );
        let crab_line_end = text.find("é").unwrap_or(0) + "é".len();
        // "  // " (5) + crab (2 UTF-16 units) + " " (1) + é (1) = 9
        assert_eq!(idx.position(crab_line_end).character, 9);
        assert_eq!(
            idx.utf16_offset(text.len()) as usize,
            text.encode_utf16().count()
        );
    }

    #[test]
    fn uri_to_path_decodes() {
        assert_eq!(uri_to_path("file:///home/a%20b/x.json"), "/home/a b/x.json");
        assert_eq!(uri_to_path("file:///c%3A/Users/x"), "c:/Users/x");
    }
}
