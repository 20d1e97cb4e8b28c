//! A streaming CSV reader and writer for `utmforge tag --csv`, built for throughput: one
//! record in memory at a time, reused buffers, and a tight scan over unquoted text.
//!
//! The reader reads what the `csv` crate reads with its defaults (`flexible`): fields split by
//! `,`; records end at `\n`, `\r\n` or `\r`; empty lines are skipped; a field that starts with
//! `"` is quoted (`""` inside is one quote; commas and line breaks inside are data; text after
//! the closing quote is appended); a `"` inside an unquoted field is data; a UTF-8 byte-order
//! mark at the start is dropped. A property test holds it to the `csv` crate on random input.
//!
//! The writer quotes a field only when it must (it holds `,`, `"`, `\r` or `\n`), doubling
//! quotes, and ends records with `\n`, as the `csv` crate's writer does.

use std::io::{self, BufRead, Write};

/// Largest record, in bytes: a longer one (a quote left open swallows the rest of the file) is
/// an error naming its line, not a record that grows with the file.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Reads CSV records one at a time.
pub struct RecordReader<R> {
    input: R,
    /// The current record's unescaped bytes, fields one after the other.
    data: Vec<u8>,
    /// Where each field of the current record starts and ends in `data`.
    fields: Vec<(usize, usize)>,
    /// Whether `data` is the record's line as written (it had no quotes): fields are then
    /// separated by commas in it.
    plain: bool,
    /// Line (1-based) on which the current record starts.
    line: u64,
    /// Line breaks seen so far.
    newlines: u64,
    at_start: bool,
    /// Bytes read while looking for a byte-order mark, to parse first.
    prefix: Vec<u8>,
}

/// The parser's state while it reads one record.
struct Scan<'a> {
    state: State,
    data: &'a mut Vec<u8>,
    fields: &'a mut Vec<(usize, usize)>,
    field_start: usize,
    newlines: &'a mut u64,
    line: &'a mut u64,
}

impl Scan<'_> {
    fn end_field(&mut self) {
        self.fields.push((self.field_start, self.data.len()));
        self.field_start = self.data.len();
    }

    /// Parses bytes of the current record. Returns how many it used and whether the record
    /// ended (its line break is left for the next record to skip).
    fn chunk(&mut self, chunk: &[u8]) -> (usize, bool) {
        let n = chunk.len();
        let mut i = 0;
        while i < n {
            match self.state {
                State::StartRecord => match chunk[i] {
                    b'\n' => {
                        *self.newlines += 1;
                        i += 1;
                    }
                    b'\r' => i += 1,
                    _ => {
                        *self.line = *self.newlines + 1;
                        self.state = State::StartField;
                    }
                },
                State::StartField => {
                    if chunk[i] == b'"' {
                        self.state = State::Quoted;
                        i += 1;
                    } else {
                        self.state = State::Unquoted;
                    }
                }
                State::Unquoted => {
                    let start = i;
                    i = memchr::memchr3(b',', b'\n', b'\r', &chunk[i..]).map_or(n, |at| i + at);
                    self.data.extend_from_slice(&chunk[start..i]);
                    if i < n {
                        self.end_field();
                        if chunk[i] == b',' {
                            self.state = State::StartField;
                            i += 1;
                        } else {
                            return (i, true);
                        }
                    }
                }
                State::Quoted => {
                    let start = i;
                    i = memchr::memchr(b'"', &chunk[i..]).map_or(n, |at| i + at);
                    let text = &chunk[start..i];
                    *self.newlines += text.iter().filter(|&&b| b == b'\n').count() as u64;
                    self.data.extend_from_slice(text);
                    if i < n {
                        self.state = State::QuoteInQuoted;
                        i += 1;
                    }
                }
                State::QuoteInQuoted => {
                    if chunk[i] == b'"' {
                        self.data.push(b'"');
                        self.state = State::Quoted;
                        i += 1;
                    } else {
                        self.state = State::Unquoted;
                    }
                }
            }
        }
        (n, false)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    Unquoted,
    Quoted,
    /// A `"` was seen inside a quoted field: `""` or the end of the quotes.
    QuoteInQuoted,
}

impl<R: BufRead> RecordReader<R> {
    pub fn new(input: R) -> Self {
        RecordReader {
            input,
            data: Vec::with_capacity(1024),
            fields: Vec::with_capacity(16),
            plain: false,
            line: 0,
            newlines: 0,
            at_start: true,
            prefix: Vec::new(),
        }
    }

    /// Reads the next record; `false` at the end of the input.
    pub fn read_record(&mut self) -> io::Result<bool> {
        self.data.clear();
        self.fields.clear();
        self.plain = false;
        if self.at_start {
            self.at_start = false;
            self.skip_byte_order_mark()?;
        }
        if self.prefix.is_empty() && self.read_plain_line()? {
            return Ok(true);
        }
        let mut scan = Scan {
            state: State::StartRecord,
            data: &mut self.data,
            fields: &mut self.fields,
            field_start: 0,
            newlines: &mut self.newlines,
            line: &mut self.line,
        };
        if !self.prefix.is_empty() {
            let (used, done) = scan.chunk(&self.prefix);
            self.prefix.drain(..used);
            if done {
                return Ok(true);
            }
        }
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                if scan.state == State::StartRecord {
                    return Ok(false);
                }
                scan.end_field();
                return Ok(true);
            }
            let (used, done) = scan.chunk(chunk);
            self.input.consume(used);
            if done {
                return Ok(true);
            }
            if scan.data.len() > MAX_RECORD_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "the record that starts on line {} is over {} MiB: is a quote left open?",
                        *scan.line,
                        MAX_RECORD_BYTES >> 20
                    ),
                ));
            }
        }
    }

    /// The fast path, for the usual record: a whole line in the buffer, with no quotes. Skips
    /// empty lines first. `false` (having used nothing of the record) for anything else.
    fn read_plain_line(&mut self) -> io::Result<bool> {
        let chunk = self.input.fill_buf()?;
        let breaks = chunk
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        self.newlines += chunk[..breaks].iter().filter(|&&b| b == b'\n').count() as u64;
        let rest = &chunk[breaks..];
        let line = match memchr::memchr2(b'\n', b'\r', rest) {
            Some(len) if memchr::memchr(b'"', &rest[..len]).is_none() => &rest[..len],
            _ => {
                self.input.consume(breaks);
                return Ok(false);
            }
        };
        self.data.extend_from_slice(line);
        let mut start = 0;
        for comma in memchr::memchr_iter(b',', line) {
            self.fields.push((start, comma));
            start = comma + 1;
        }
        self.fields.push((start, line.len()));
        self.plain = true;
        self.line = self.newlines + 1;
        // The line break is left for the next record to skip.
        let used = breaks + line.len();
        self.input.consume(used);
        Ok(true)
    }

    /// Drops a UTF-8 byte-order mark, even one split across reads; bytes read that turn out
    /// not to be one are kept in `prefix`.
    fn skip_byte_order_mark(&mut self) -> io::Result<()> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        while self.prefix.len() < BOM.len() {
            let chunk = self.input.fill_buf()?;
            let Some(&b) = chunk.first() else { break };
            if b != BOM[self.prefix.len()] {
                break;
            }
            self.prefix.push(b);
            self.input.consume(1);
        }
        if self.prefix == BOM {
            self.prefix.clear();
        }
        Ok(())
    }

    /// The line on which the current record starts.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The current record as text, or the number (0-based) of the first field that is not
    /// valid UTF-8.
    pub fn record(&self) -> Result<Record<'_>, usize> {
        match std::str::from_utf8(&self.data) {
            // A field boundary inside a character means two invalid fields.
            Ok(text)
                if self
                    .fields
                    .iter()
                    .all(|&(a, b)| text.is_char_boundary(a) && text.is_char_boundary(b)) =>
            {
                Ok(Record {
                    text,
                    fields: &self.fields,
                    plain: self.plain,
                })
            }
            _ => Err(self
                .fields
                .iter()
                .position(|&(a, b)| std::str::from_utf8(&self.data[a..b]).is_err())
                .unwrap_or(0)),
        }
    }
}

/// One record's fields, borrowed from the reader.
#[derive(Clone, Copy)]
pub struct Record<'r> {
    text: &'r str,
    fields: &'r [(usize, usize)],
    plain: bool,
}

impl<'r> Record<'r> {
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&'r str> {
        let &(start, end) = self.fields.get(i)?;
        Some(&self.text[start..end])
    }

    /// The line as written, when writing the fields again gives the same text (no field
    /// needed quotes).
    pub fn as_written(&self) -> Option<&'r str> {
        self.plain.then_some(self.text)
    }

    pub fn iter(&self) -> impl Iterator<Item = &'r str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// Writes CSV records.
pub struct RecordWriter<W: Write> {
    out: W,
    first_field: bool,
}

impl<W: Write> RecordWriter<W> {
    pub fn new(out: W) -> Self {
        RecordWriter {
            out,
            first_field: true,
        }
    }

    /// Writes one field of the current record.
    pub fn field(&mut self, value: &str) -> io::Result<()> {
        if !self.first_field {
            self.out.write_all(b",")?;
        }
        self.first_field = false;
        let bytes = value.as_bytes();
        let special = memchr::memchr3(b',', b'"', b'\n', bytes).is_some()
            || memchr::memchr(b'\r', bytes).is_some();
        if !special {
            return self.out.write_all(bytes);
        }
        self.out.write_all(b"\"")?;
        for (i, part) in value.split('"').enumerate() {
            if i > 0 {
                self.out.write_all(b"\"\"")?;
            }
            self.out.write_all(part.as_bytes())?;
        }
        self.out.write_all(b"\"")
    }

    /// Writes fields already in CSV form, such as [`Record::as_written`].
    pub fn fields_as_written(&mut self, csv: &str) -> io::Result<()> {
        if !self.first_field {
            self.out.write_all(b",")?;
        }
        self.first_field = false;
        self.out.write_all(csv.as_bytes())
    }

    /// Ends the current record.
    pub fn end_record(&mut self) -> io::Result<()> {
        self.first_field = true;
        self.out.write_all(b"\n")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ours(input: &[u8], chunk: usize) -> Vec<Result<Vec<String>, usize>> {
        let mut reader = RecordReader::new(io::BufReader::with_capacity(chunk, input));
        let mut records = Vec::new();
        while reader.read_record().unwrap() {
            if let Ok(record) = reader.record() {
                if let Some(line) = record.as_written() {
                    // Writing the fields one by one gives the line as written.
                    let mut writer = RecordWriter::new(Vec::new());
                    record.iter().for_each(|f| writer.field(f).unwrap());
                    assert_eq!(String::from_utf8(writer.out).unwrap(), line);
                }
            }
            records.push(
                reader
                    .record()
                    .map(|r| r.iter().map(str::to_string).collect()),
            );
        }
        records
    }

    fn theirs(input: &[u8]) -> Vec<Result<Vec<String>, usize>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut records = Vec::new();
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let fields: Result<Vec<String>, usize> = record
                .iter()
                .enumerate()
                .map(|(i, f)| String::from_utf8(f.to_vec()).map_err(|_| i))
                .collect();
            records.push(fields);
        }
        records
    }

    #[test]
    fn reads_what_spreadsheets_write() {
        let input = "\u{feff}url,campaign\r\n\"https://example.com/?a=1,2\",\"Say \"\"hi\"\"\"\r\n\r\nhttps://x.com,\"two\nlines\"\n";
        assert_eq!(
            ours(input.as_bytes(), 8),
            vec![
                Ok(vec!["url".to_string(), "campaign".to_string()]),
                Ok(vec![
                    "https://example.com/?a=1,2".to_string(),
                    "Say \"hi\"".to_string()
                ]),
                Ok(vec!["https://x.com".to_string(), "two\nlines".to_string()]),
            ]
        );
    }

    #[test]
    fn reports_the_line_and_the_invalid_field() {
        let input = b"a,b\n\"x\ny\",1\nok,\xff\n";
        let mut reader = RecordReader::new(&input[..]);
        let mut seen = Vec::new();
        while reader.read_record().unwrap() {
            seen.push((reader.line(), reader.record().err()));
        }
        assert_eq!(seen, [(1, None), (2, None), (4, Some(1))]);
    }

    #[test]
    fn writes_what_the_csv_crate_writes() {
        let fields = ["plain", "", "a,b", "say \"hi\"", "two\nlines", "cr\r", "é"];
        let mut ours = RecordWriter::new(Vec::new());
        for f in fields {
            ours.field(f).unwrap();
        }
        ours.end_record().unwrap();
        let mut theirs = csv::Writer::from_writer(Vec::new());
        theirs.write_record(fields).unwrap();
        assert_eq!(
            String::from_utf8(ours.out).unwrap(),
            String::from_utf8(theirs.into_inner().unwrap()).unwrap()
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// On any input, including broken quoting and invalid UTF-8, and whatever the buffer
        /// size, the reader returns the records the `csv` crate returns.
        #[test]
        fn reads_what_the_csv_crate_reads(
            bytes in prop::collection::vec(prop::sample::select(
                &b"ab ,,\"\"\n\r\xc3\xa9\xff"[..]), 0..60),
            chunk in prop_oneof![1usize..16, Just(64)],
            bom in any::<bool>(),
        ) {
            let bytes = if bom { [&b"\xEF\xBB\xBF"[..], &bytes].concat() } else { bytes };
            prop_assert_eq!(ours(&bytes, chunk), theirs(&bytes));
        }

        #[test]
        fn writes_fields_that_read_back(fields in prop::collection::vec("[a-z,\"\r\n é]{0,8}", 2..6)) {
            let mut writer = RecordWriter::new(Vec::new());
            for f in &fields {
                writer.field(f).unwrap();
            }
            writer.end_record().unwrap();
            let written = writer.out;
            let mut theirs = csv::Writer::from_writer(Vec::new());
            theirs.write_record(&fields).unwrap();
            prop_assert_eq!(&written, &theirs.into_inner().unwrap());
        }
    }
}
