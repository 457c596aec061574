//! Byte offsets in Rust strings to character offsets in Python strings.

/// Maps byte offsets of one text to character offsets, in one pass per call
/// for non-ASCII text.
pub struct CharOffsets<'t> {
    text: &'t str,
    ascii: bool,
}

impl<'t> CharOffsets<'t> {
    pub fn new(text: &'t str) -> Self {
        CharOffsets { text, ascii: text.is_ascii() }
    }

    /// The character offset of byte offset `byte` (a character boundary).
    pub fn chars(&self, byte: usize) -> usize {
        if self.ascii {
            byte
        } else {
            self.text[..byte].chars().count()
        }
    }
}
