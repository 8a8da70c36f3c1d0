//! Raw deflate (RFC 1951) streamed into a writer: the zip entries' method 8.
//!
//! A thin loop over `miniz_oxide`'s streaming compressor, the same one the
//! `flate2` crate drives with its pure-Rust backend; calling it directly
//! spares the zip writer a crate and its build (flate2's writers and
//! readers, gzip and zlib framing: none of which a zip uses). The bytes are
//! the same as flate2's `DeflateEncoder` at the same level: the compressor
//! decides where blocks end from what it has buffered, never from how the
//! input was cut into calls.

use std::io::Write;

use miniz_oxide::deflate::core::CompressorOxide;
use miniz_oxide::deflate::stream::deflate;
use miniz_oxide::{DataFormat, MZFlush, MZStatus};

/// The output buffer's size: what is handed to the writer at a time.
const OUT: usize = 32 * 1024;

/// Deflates what is written to it into `out`; [`Deflater::finish`] ends
/// the stream.
pub(crate) struct Deflater<W: Write> {
    out: W,
    state: Box<CompressorOxide>,
    buf: Vec<u8>,
}

impl<W: Write> Deflater<W> {
    /// A compressor at `level` (0 to 10; 1 is the fast level).
    pub(crate) fn new(out: W, level: u8) -> Self {
        let mut state: Box<CompressorOxide> = Box::default();
        state.set_format_and_level(DataFormat::Raw, level);
        Deflater {
            out,
            state,
            buf: vec![0; OUT],
        }
    }

    /// Compresses all of `input`; what the compressor has ready is written
    /// out, the rest stays buffered until more input or the end.
    pub(crate) fn write_all(&mut self, mut input: &[u8]) -> std::io::Result<()> {
        while !input.is_empty() {
            let consumed = self.step(input, MZFlush::None)?.0;
            input = &input[consumed..];
        }
        Ok(())
    }

    /// Ends the stream: writes what is buffered and the final block, and
    /// gives the writer back.
    pub(crate) fn finish(mut self) -> std::io::Result<W> {
        while !self.step(&[], MZFlush::Finish)?.1 {}
        Ok(self.out)
    }

    /// One call of the compressor: returns the input bytes it took and
    /// whether the stream has ended.
    fn step(&mut self, input: &[u8], flush: MZFlush) -> std::io::Result<(usize, bool)> {
        let r = deflate(&mut self.state, input, &mut self.buf, flush);
        self.out.write_all(&self.buf[..r.bytes_written])?;
        match r.status {
            Ok(MZStatus::StreamEnd) => Ok((r.bytes_consumed, true)),
            Ok(_) => Ok((r.bytes_consumed, false)),
            // `Buf` means no progress was possible, which a call with input
            // or with `Finish` and room for output never meets.
            Err(e) => Err(std::io::Error::other(format!("deflate failed: {e:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Deflater;
    use miniz_oxide::inflate::decompress_to_vec;

    fn deflated(chunks: &[&[u8]]) -> Vec<u8> {
        let mut d = Deflater::new(Vec::new(), 1);
        for c in chunks {
            d.write_all(c).expect("into a Vec");
        }
        d.finish().expect("into a Vec")
    }

    fn sample(n: usize) -> Vec<u8> {
        let mut x: u32 = 0x1234_5678;
        (0..n)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                // Half random bytes, half a repeating text: both kinds of block.
                if (i / 4096) % 2 == 0 {
                    x as u8
                } else {
                    b"formwork "[i % 9]
                }
            })
            .collect()
    }

    #[test]
    fn round_trips_whatever_the_size() {
        for n in [0, 1, 100, 32 * 1024, 32 * 1024 + 1, 200_000, 1_000_003] {
            let data = sample(n);
            let z = deflated(&[&data]);
            assert_eq!(
                decompress_to_vec(&z).expect("valid deflate"),
                data,
                "{n} bytes"
            );
        }
    }

    #[test]
    fn the_bytes_do_not_depend_on_how_the_input_is_cut() {
        let data = sample(300_000);
        let whole = deflated(&[&data]);
        let pieces: Vec<&[u8]> = data.chunks(4093).collect();
        assert_eq!(deflated(&pieces), whole);
        let (a, b) = data.split_at(65_536);
        assert_eq!(deflated(&[a, &[], b]), whole);
    }

    #[test]
    fn compresses_text() {
        let data = b"formwork ".repeat(10_000);
        assert!(deflated(&[&data]).len() < data.len() / 50);
    }
}
