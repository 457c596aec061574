//! An input of arbitrary bytes in pieces of any size, cut into chunks and checked line by line:
//! the lines counted equal a plain split on `\n`, numbered without a gap;
//! no line is kept past the bound; every line's leaks are on lines of its
//! chunk; a leaking line redacted by the guard leaks no more (in doubt aside).

use pii_core::engine::UNCHECKED_RULE;
use pii_core::linecheck::{check_chunk, check_record};
use pii_core::lines::{self, Chunker, MAX_LINE, MIN_LINE};
use crate::shipped;

// The input: three bytes, then the stream. The bytes give the bound on
// lines (0: the default, [`MAX_LINE`]), the size of the pieces the stream
// comes in (1 to 256) and about how many bytes a chunk holds (1 to 256).
// A bound under [`MIN_LINE`] is given as it is; the chunker takes it as that.
/// Panics unless `data` has the properties above.
pub fn check(data: &[u8]) {
    let engine = shipped();
    let [max_line, piece, chunk_bytes, ref whole @ ..] = *data else { return };
    let max_line = if max_line == 0 { MAX_LINE } else { max_line as usize };
    let plain = if whole.is_empty() { 0 } else { whole.split(|b| *b == b'\n').count() - usize::from(whole.ends_with(b"\n")) };
    let mut chunker = Chunker::new(max_line, 1 + chunk_bytes as usize);
    let max_line = max_line.max(MIN_LINE);
    let mut chunks: Vec<_> = whole.chunks(1 + piece as usize).flat_map(|p| chunker.push(p)).collect();
    chunks.extend(chunker.finish());
    assert_eq!(chunker.lines_seen(), plain as u64);
    let mut next = 1;
    for chunk in &chunks {
        assert_eq!(chunk.first_line, next, "lines numbered with a gap");
        let (counts, leaks) = check_chunk(engine, &chunk.data, &chunk.cut);
        let n = lines::split(&chunk.data).count();
        assert_eq!((counts.lines, counts.blank + counts.json + counts.text, counts.cut), (n, n, chunk.cut.len()));
        assert!(chunk.cut.windows(2).all(|w| w[0] < w[1]) && chunk.cut.iter().all(|&i| i < n), "cut {:?} of {n}", chunk.cut);
        assert!(leaks.iter().all(|l| l.line < n), "a leak past the chunk's lines");
        for line in lines::split(&chunk.data) {
            assert!(line.body.len() <= max_line, "a line of {} bytes kept (bound {max_line})", line.body.len());
            let (text, _) = lines::decode(line.whole);
            let (_, redacted) = check_record(engine, &text, true);
            if let Some(out) = redacted {
                let (again, _) = check_record(engine, &out, false);
                let sure = again.iter().filter(|f| engine.targets().get(f.target).rule != UNCHECKED_RULE).count();
                assert_eq!(sure, 0, "a redacted line still leaks");
            }
        }
        next += n as u64;
    }
    assert_eq!(next - 1, plain as u64, "lines counted differ from a plain split");
    if chunks.iter().all(|c| c.cut.is_empty()) {
        let joined: Vec<u8> = chunks.iter().flat_map(|c| c.data.iter().copied()).collect();
        assert_eq!(joined, whole, "lines lost or changed");
    }
}
