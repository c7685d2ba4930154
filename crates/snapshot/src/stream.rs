//! The fast path for the big files: a file's one top-level list is read a chunk at a time
//! into a reused buffer, its elements found with a cheap structural scan (`memchr` over
//! quotes and braces), and each batch of whole elements parsed and converted in parallel,
//! then appended in order. The file's bytes are never all in memory at once.
//!
//! Anything unexpected (bad JSON, a list key seen twice, a value the conversion rejects)
//! makes the fast path give up; the caller then reads the file whole the exact way, which
//! gives the same estate or the same error, with its JSON path, line and column.

use memchr::{memchr2, memchr3};
use rayon::prelude::*;
use serde::de::IgnoredAny;
use std::io::{self, Read};

/// Bytes read at a time; the buffer grows only if one element is larger.
const CHUNK: usize = 8 << 20;

/// The fast path gave up: read the file the exact way instead.
#[derive(Debug)]
pub(crate) enum GiveUp {
    /// Not what the fast path handles (or invalid): the exact path will say.
    Shape,
    /// Reading failed midway.
    Io(io::Error),
}

impl From<io::Error> for GiveUp {
    fn from(e: io::Error) -> Self {
        GiveUp::Io(e)
    }
}

/// What to do with each element of the list.
pub(crate) trait Elements: Sync {
    /// An element parsed and converted; may borrow from the element's bytes.
    type Item<'a>: Send;
    /// Parses and converts one element (`index` in the list); runs in parallel.
    fn convert<'a>(&self, index: usize, element: &'a [u8]) -> Result<Self::Item<'a>, GiveUp>;
}

enum Step {
    Done(usize),
    /// The buffer ended first: read more, then scan again from the same place.
    More,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

fn skip_ws(d: &[u8], mut i: usize) -> usize {
    while i < d.len() && is_ws(d[i]) {
        i += 1;
    }
    i
}

/// The end of the string starting at `d[start] == b'"'` (one past its closing quote).
fn string_end(d: &[u8], start: usize) -> Step {
    let mut i = start + 1;
    loop {
        match memchr2(b'"', b'\\', &d[i..]) {
            None => return Step::More,
            Some(k) => {
                let j = i + k;
                if d[j] == b'"' {
                    return Step::Done(j + 1);
                }
                if j + 1 >= d.len() {
                    return Step::More;
                }
                i = j + 2;
            }
        }
    }
}

/// The end of the object or array starting at `d[start]`: only its own kind of bracket is
/// counted (outside strings), which balances in any valid JSON; serde checks the rest.
fn nested_end(d: &[u8], start: usize) -> Step {
    let (open, close) = if d[start] == b'{' {
        (b'{', b'}')
    } else {
        (b'[', b']')
    };
    let mut depth = 0usize;
    let mut i = start;
    loop {
        match memchr3(b'"', open, close, &d[i..]) {
            None => return Step::More,
            Some(k) => {
                let j = i + k;
                if d[j] == b'"' {
                    match string_end(d, j) {
                        Step::Done(end) => i = end,
                        Step::More => return Step::More,
                    }
                } else if d[j] == open {
                    depth += 1;
                    i = j + 1;
                } else {
                    depth -= 1;
                    if depth == 0 {
                        return Step::Done(j + 1);
                    }
                    i = j + 1;
                }
            }
        }
    }
}

/// The end of any value starting at `d[start]`; `eof` says a number may end the buffer.
fn value_end(d: &[u8], start: usize, eof: bool) -> Step {
    match d[start] {
        b'"' => string_end(d, start),
        b'{' | b'[' => nested_end(d, start),
        _ => match d[start..]
            .iter()
            .position(|&b| matches!(b, b',' | b'}' | b']') || is_ws(b))
        {
            Some(k) => Step::Done(start + k),
            None if eof => Step::Done(d.len()),
            None => Step::More,
        },
    }
}

/// A reused buffer over a reader: `data[..filled]` holds bytes not yet dropped.
struct Buffer<R> {
    reader: R,
    data: Vec<u8>,
    filled: usize,
    eof: bool,
}

impl<R: Read> Buffer<R> {
    /// Drops `data[..keep]`, then reads until the buffer is full or the input ends;
    /// grows the buffer when nothing could be dropped and it is full.
    fn refill(&mut self, keep: usize) -> Result<(), GiveUp> {
        if self.eof {
            return Err(GiveUp::Shape);
        }
        self.data.copy_within(keep..self.filled, 0);
        self.filled -= keep;
        if self.filled == self.data.len() {
            let grown = self.data.len() * 2;
            self.data.resize(grown, 0);
        }
        while self.filled < self.data.len() {
            match self.reader.read(&mut self.data[self.filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(GiveUp::Io(e)),
            }
        }
        Ok(())
    }
}

/// Streams the JSON object in `reader`: every element of its list `key` goes through
/// `elements.convert`, batch by batch, and then, in order, to `apply`. Returns the
/// object's `NextToken` (other keys are checked and skipped, as serde skips them).
pub(crate) fn stream<R: Read, E: Elements>(
    reader: R,
    key: &str,
    elements: &E,
    apply: impl for<'a> FnMut(E::Item<'a>),
) -> Result<Option<String>, GiveUp> {
    stream_chunked(reader, key, elements, apply, CHUNK)
}

fn stream_chunked<R: Read, E: Elements>(
    reader: R,
    key: &str,
    elements: &E,
    mut apply: impl for<'a> FnMut(E::Item<'a>),
    chunk: usize,
) -> Result<Option<String>, GiveUp> {
    let mut buf = Buffer {
        reader,
        data: vec![0; chunk.max(1)],
        filled: 0,
        eof: false,
    };
    buf.refill(0)?;
    let open = loop {
        let d = &buf.data[..buf.filled];
        let i = skip_ws(d, 0);
        if i < d.len() {
            break i;
        }
        buf.refill(d.len())?;
    };
    if buf.data[open] != b'{' {
        return Err(GiveUp::Shape);
    }
    let mut pos = open + 1;
    let mut next_token: Option<Option<String>> = None;
    let mut seen_list = false;
    let mut first = true;
    loop {
        // One member's head (separator, key, colon), whole in the buffer; `pos` is where
        // it starts, and everything before `pos` may be dropped.
        let head = member_head(&buf.data[..buf.filled], pos, first)?;
        let (key_range, value_start) = match head {
            Head::More => {
                buf.refill(pos)?;
                pos = 0;
                continue;
            }
            Head::End(after) => return finish(&mut buf, after, seen_list, next_token),
            Head::Member(key, value) => (key, value),
        };
        first = false;
        let name = &buf.data[key_range.0 + 1..key_range.1 - 1];
        if name.contains(&b'\\') {
            // An escaped key could spell a field's name: the exact path decides.
            return Err(GiveUp::Shape);
        }
        let is_list = name == key.as_bytes();
        let is_token = name == b"NextToken";
        if is_list {
            if seen_list || buf.data[value_start] != b'[' {
                return Err(GiveUp::Shape);
            }
            seen_list = true;
            pos = list(&mut buf, value_start + 1, elements, &mut apply)?;
            continue;
        }
        // Any other member: its value checked by serde and skipped (NextToken kept).
        let mut start = value_start;
        let end = loop {
            match value_end(&buf.data[..buf.filled], start, buf.eof) {
                Step::Done(end) => break end,
                Step::More => {
                    buf.refill(start)?;
                    start = 0;
                }
            }
        };
        let value = &buf.data[start..end];
        if is_token {
            if next_token.is_some() {
                return Err(GiveUp::Shape);
            }
            let token: Option<String> = serde_json::from_slice(value).map_err(|_| GiveUp::Shape)?;
            next_token = Some(token);
        } else {
            serde_json::from_slice::<IgnoredAny>(value).map_err(|_| GiveUp::Shape)?;
        }
        pos = end;
    }
}

enum Head {
    /// The buffer ended within the head.
    More,
    /// The object's closing brace, and the position after it.
    End(usize),
    /// The key's range (quotes included) and where the value starts.
    Member((usize, usize), usize),
}

fn member_head(d: &[u8], pos: usize, first: bool) -> Result<Head, GiveUp> {
    let mut i = skip_ws(d, pos);
    if i >= d.len() {
        return Ok(Head::More);
    }
    if d[i] == b'}' {
        return Ok(Head::End(i + 1));
    }
    if !first {
        if d[i] != b',' {
            return Err(GiveUp::Shape);
        }
        i = skip_ws(d, i + 1);
        if i >= d.len() {
            return Ok(Head::More);
        }
    }
    if d[i] != b'"' {
        return Err(GiveUp::Shape);
    }
    let Step::Done(key_end) = string_end(d, i) else {
        return Ok(Head::More);
    };
    let colon = skip_ws(d, key_end);
    if colon >= d.len() {
        return Ok(Head::More);
    }
    if d[colon] != b':' {
        return Err(GiveUp::Shape);
    }
    let value = skip_ws(d, colon + 1);
    if value >= d.len() {
        return Ok(Head::More);
    }
    Ok(Head::Member((i, key_end), value))
}

/// After the top-level object: only whitespace may follow.
fn finish<R: Read>(
    buf: &mut Buffer<R>,
    mut pos: usize,
    seen_list: bool,
    next_token: Option<Option<String>>,
) -> Result<Option<String>, GiveUp> {
    if !seen_list {
        return Err(GiveUp::Shape);
    }
    loop {
        let d = &buf.data[..buf.filled];
        if skip_ws(d, pos) < d.len() {
            return Err(GiveUp::Shape);
        }
        if buf.eof {
            return Ok(next_token.flatten());
        }
        buf.refill(buf.filled)?;
        pos = 0;
    }
}

/// The elements of the list whose `[` is just before `pos`; returns the position after
/// its `]`.
fn list<R: Read, E: Elements>(
    buf: &mut Buffer<R>,
    mut pos: usize,
    elements: &E,
    apply: &mut impl for<'a> FnMut(E::Item<'a>),
) -> Result<usize, GiveUp> {
    let mut first = true;
    let mut index = 0usize;
    loop {
        // The whole elements in the buffer from `pos` on.
        let d = &buf.data[..buf.filled];
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut i = pos;
        let mut end_of_list = None;
        loop {
            let mut j = skip_ws(d, i);
            if j >= d.len() {
                break;
            }
            if d[j] == b']' {
                end_of_list = Some(j + 1);
                break;
            }
            if !first {
                if d[j] != b',' {
                    return Err(GiveUp::Shape);
                }
                j = skip_ws(d, j + 1);
                if j >= d.len() {
                    break;
                }
            }
            if d[j] != b'{' {
                return Err(GiveUp::Shape);
            }
            match nested_end(d, j) {
                Step::Done(end) => {
                    ranges.push((j, end));
                    first = false;
                    i = end;
                }
                Step::More => break,
            }
        }
        // Parse and convert the batch in parallel, then hand it over in order.
        let items: Vec<Result<E::Item<'_>, GiveUp>> = ranges
            .par_iter()
            .enumerate()
            .map(|(k, &(s, e))| elements.convert(index + k, &d[s..e]))
            .collect();
        index += items.len();
        for item in items {
            apply(item?);
        }
        if let Some(end) = end_of_list {
            return Ok(end);
        }
        // Keep what follows the last whole element; read more.
        buf.refill(i)?;
        pos = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    struct Values;

    impl Elements for Values {
        type Item<'a> = (usize, Value);
        fn convert<'a>(&self, i: usize, element: &'a [u8]) -> Result<Self::Item<'a>, GiveUp> {
            serde_json::from_slice(element)
                .map(|v| (i, v))
                .map_err(|_| GiveUp::Shape)
        }
    }

    /// The list and the token as streamed with `chunk`-byte reads.
    fn streamed(text: &str, chunk: usize) -> Result<(Vec<Value>, Option<String>), ()> {
        let mut got = Vec::new();
        let token = stream_chunked(
            text.as_bytes(),
            "Items",
            &Values,
            |(i, v)| {
                assert_eq!(i, got.len());
                got.push(v);
            },
            chunk,
        )
        .map_err(|_| ())?;
        Ok((got, token))
    }

    fn every_chunk_size(text: &str) -> Result<(Vec<Value>, Option<String>), ()> {
        let whole = streamed(text, CHUNK);
        for chunk in 1..=text.len() + 1 {
            assert_eq!(streamed(text, chunk), whole, "chunk {chunk}");
        }
        whole
    }

    #[test]
    fn elements_and_token_come_out_whatever_the_chunk_size() {
        let raw = r#"{
            "Other": {"a": [1, {"b": "}"}], "c": "\\\"{["},
            "Items": [
                {"Id": "a", "Nested": {"List": [1, 2, {"x": "]}"}]}, "Text": "quote \" brace } end"},
                {"Id": "b", "Tags": [], "Empty": {}},
                {"Id": "c\u00e9", "Escaped": "back\\slash\\"}
            ],
            "NextToken": "abc"
        }"#;
        let doc: Value = serde_json::from_str(raw).unwrap();
        let texts = [
            raw.to_string(),
            doc.to_string(),
            serde_json::to_string_pretty(&doc).unwrap(),
        ];
        for text in texts {
            let (items, token) = every_chunk_size(&text).unwrap();
            assert_eq!(Value::Array(items), doc["Items"]);
            assert_eq!(token.as_deref(), Some("abc"));
        }
    }

    #[test]
    fn empty_lists_and_absent_or_null_tokens() {
        assert_eq!(every_chunk_size(r#"{"Items": []}"#), Ok((vec![], None)));
        assert_eq!(
            every_chunk_size(" {\n\"Items\" : [ ] , \"NextToken\": null }\n\n"),
            Ok((vec![], None))
        );
        assert_eq!(
            every_chunk_size(r#"{"NextToken": "t", "Items": [{}]}"#),
            Ok((vec![json!({})], Some("t".to_string())))
        );
    }

    #[test]
    fn anything_unusual_gives_up() {
        for bad in [
            "",
            "[]",
            r#"{"Items": [{}]"#,
            r#"{"Items": [{}]} x"#,
            r#"{"Items": [{}],}"#,
            r#"{"Items": [{},]}"#,
            r#"{"Items": [{}] "NextToken": null}"#,
            r#"{"Items": [{}], "Items": []}"#,
            r#"{"Items": [1]}"#,
            r#"{"Items": null}"#,
            r#"{"Items": [{"a": }]}"#,
            r#"{"Items": [{}], "Other": [1,]}"#,
            r#"{"Items": [{}], "NextToken": 5}"#,
            r#"{"Items": [{}], "NextToken": "a", "NextToken": "b"}"#,
            r#"{"It\u0065ms": [{}]}"#,
            r#"{"Other": []}"#,
            r#"{"Items": [{"unterminated": "}]}"#,
        ] {
            assert!(every_chunk_size(bad).is_err(), "{bad}");
        }
    }
}
