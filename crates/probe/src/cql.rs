//! The CQL native protocol, both sides, as far as a handshake needs: envelopes (the
//! 9-byte header and body of v4, and of v5 before and inside framing), the notations
//! (`[string]`, `[string map]`, `[string multimap]`), and v5's self-contained segments.
//! Written from `native_protocol_v4.spec` and `native_protocol_v5.spec`.

use crate::crc::{crc24, crc32};

pub const ERROR: u8 = 0x00;
pub const STARTUP: u8 = 0x01;
pub const READY: u8 = 0x02;
pub const AUTHENTICATE: u8 = 0x03;
pub const OPTIONS: u8 = 0x05;
pub const SUPPORTED: u8 = 0x06;
pub const AUTH_CHALLENGE: u8 = 0x0E;
pub const AUTH_RESPONSE: u8 = 0x0F;
pub const AUTH_SUCCESS: u8 = 0x10;
/// `ERROR` code of bad credentials.
pub const BAD_CREDENTIALS: i32 = 0x0100;

/// The `[bytes]` token PasswordAuthenticator takes: SASL PLAIN, `\0user\0password`.
pub fn plain_token(user: &str, password: &str) -> Vec<u8> {
    let mut token = Vec::with_capacity(user.len() + password.len() + 2);
    token.push(0);
    token.extend_from_slice(user.as_bytes());
    token.push(0);
    token.extend_from_slice(password.as_bytes());
    let mut body = Vec::with_capacity(token.len() + 4);
    body.extend_from_slice(&(token.len() as i32).to_be_bytes());
    body.extend_from_slice(&token);
    body
}

/// The `(user, password)` of a PLAIN token body, as a server reads it.
pub fn parse_plain_token(body: &[u8]) -> Option<(String, String)> {
    let len = usize::try_from(i32::from_be_bytes(body.get(..4)?.try_into().ok()?)).ok()?;
    let token = body.get(4..4 + len)?;
    let mut parts = token.split(|b| *b == 0);
    let _authzid = parts.next()?;
    let user = String::from_utf8(parts.next()?.to_vec()).ok()?;
    let password = String::from_utf8(parts.next()?.to_vec()).ok()?;
    Some((user, password))
}

/// The direction bit of the version byte: set on responses.
pub const RESPONSE: u8 = 0x80;
/// `ERROR` code of a protocol error, which is also how a server refuses a version.
pub const PROTOCOL_ERROR: i32 = 0x000A;
/// Size of an envelope header.
pub const HEADER_LEN: usize = 9;
/// Envelopes a handshake exchanges are small; anything claiming more is not believed.
pub const MAX_BODY: usize = 256 * 1024;
/// v5 segments: a 17-bit payload length.
pub const MAX_SEGMENT_PAYLOAD: usize = (1 << 17) - 1;

/// One message with its header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// The version byte as on the wire (direction bit included).
    pub version: u8,
    pub flags: u8,
    pub stream: i16,
    pub opcode: u8,
    pub body: Vec<u8>,
}

/// What an envelope header says, before its body is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub version: u8,
    pub flags: u8,
    pub stream: i16,
    pub opcode: u8,
    pub length: usize,
}

impl Envelope {
    pub fn request(version: u8, opcode: u8, body: Vec<u8>) -> Envelope {
        Envelope {
            version: version & 0x7f,
            flags: 0,
            stream: 0,
            opcode,
            body,
        }
    }

    pub fn response(version: u8, stream: i16, opcode: u8, body: Vec<u8>) -> Envelope {
        Envelope {
            version: (version & 0x7f) | RESPONSE,
            flags: 0,
            stream,
            opcode,
            body,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.body.len());
        out.push(self.version);
        out.push(self.flags);
        out.extend_from_slice(&self.stream.to_be_bytes());
        out.push(self.opcode);
        out.extend_from_slice(&(self.body.len() as u32).to_be_bytes());
        out.extend_from_slice(&self.body);
        out
    }

    /// An envelope from bytes holding exactly one.
    pub fn decode(bytes: &[u8]) -> Option<Envelope> {
        let header = Header::parse(bytes.get(..HEADER_LEN)?.try_into().ok()?)?;
        let body = bytes.get(HEADER_LEN..)?;
        (body.len() == header.length).then(|| Envelope {
            version: header.version,
            flags: header.flags,
            stream: header.stream,
            opcode: header.opcode,
            body: body.to_vec(),
        })
    }
}

impl Header {
    /// A plausible envelope header: protocol version 1 to 6, a known opcode, a body no
    /// larger than a handshake needs. Anything else is not CQL.
    pub fn parse(bytes: &[u8; HEADER_LEN]) -> Option<Header> {
        let version = bytes[0];
        let opcode = bytes[4];
        let length = u32::from_be_bytes([bytes[5], bytes[6], bytes[7], bytes[8]]) as usize;
        let known = (1..=6).contains(&(version & 0x7f)) && opcode <= 0x10 && opcode != 0x04;
        (known && length <= MAX_BODY).then_some(Header {
            version,
            flags: bytes[1],
            stream: i16::from_be_bytes([bytes[2], bytes[3]]),
            opcode,
            length,
        })
    }
}

fn put_string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let len = bytes.len().min(u16::MAX as usize);
    out.extend_from_slice(&(len as u16).to_be_bytes());
    out.extend_from_slice(&bytes[..len]);
}

/// `[string map]`.
pub fn string_map(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(pairs.len() as u16).to_be_bytes());
    for (k, v) in pairs {
        put_string(&mut out, k);
        put_string(&mut out, v);
    }
    out
}

/// `[string multimap]`.
pub fn string_multimap(pairs: &[(&str, &[&str])]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(pairs.len() as u16).to_be_bytes());
    for (k, values) in pairs {
        put_string(&mut out, k);
        out.extend_from_slice(&(values.len() as u16).to_be_bytes());
        for v in *values {
            put_string(&mut out, v);
        }
    }
    out
}

/// A cursor over a body; every read checks the bounds, so no input panics.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.bytes.get(..n)?, self.bytes.get(n..)?);
        self.bytes = rest;
        Some(head)
    }

    pub fn short(&mut self) -> Option<u16> {
        let b = self.take(2)?;
        Some(u16::from_be_bytes([b[0], b[1]]))
    }

    pub fn int(&mut self) -> Option<i32> {
        let b = self.take(4)?;
        Some(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn string(&mut self) -> Option<String> {
        let len = self.short()? as usize;
        Some(String::from_utf8_lossy(self.take(len)?).into_owned())
    }

    pub fn string_list(&mut self) -> Option<Vec<String>> {
        let n = self.short()?;
        (0..n).map(|_| self.string()).collect()
    }

    pub fn string_map(&mut self) -> Option<Vec<(String, String)>> {
        let n = self.short()?;
        (0..n)
            .map(|_| Some((self.string()?, self.string()?)))
            .collect()
    }

    pub fn string_multimap(&mut self) -> Option<Vec<(String, Vec<String>)>> {
        let n = self.short()?;
        (0..n)
            .map(|_| Some((self.string()?, self.string_list()?)))
            .collect()
    }
}

/// An `ERROR` body: `[int] code` and `[string] message`.
pub fn error_body(code: i32, message: &str) -> Vec<u8> {
    let mut out = code.to_be_bytes().to_vec();
    put_string(&mut out, message);
    out
}

pub fn parse_error(body: &[u8]) -> Option<(i32, String)> {
    let mut r = Reader::new(body);
    Some((r.int()?, r.string()?))
}

/// A v5 uncompressed segment: 3 bytes (payload length, self-contained flag at bit 17),
/// the CRC24 of those 3 bytes, the payload, the CRC32 of the payload; all little-endian.
pub fn encode_segment(payload: &[u8], self_contained: bool) -> Vec<u8> {
    let len = payload.len().min(MAX_SEGMENT_PAYLOAD);
    let header3 = len as u64 | if self_contained { 1 << 17 } else { 0 };
    let crc = u64::from(crc24(header3, 3));
    let header6 = header3 | (crc << 24);
    let mut out = header6.to_le_bytes()[..6].to_vec();
    out.extend_from_slice(&payload[..len]);
    out.extend_from_slice(&crc32(&payload[..len]).to_le_bytes());
    out
}

/// The payload length and self-contained flag of a segment header, if its CRC24 holds.
pub fn parse_segment_header(bytes: &[u8; 6]) -> Option<(usize, bool)> {
    let mut raw = [0u8; 8];
    raw[..6].copy_from_slice(bytes);
    let header6 = u64::from_le_bytes(raw);
    let header3 = header6 & 0x00FF_FFFF;
    let crc = (header6 >> 24) as u32 & 0x00FF_FFFF;
    (crc24(header3, 3) == crc).then_some(((header3 & 0x1_FFFF) as usize, header3 & (1 << 17) != 0))
}

/// Whether a segment payload's trailer matches.
pub fn payload_crc_ok(payload: &[u8], trailer: &[u8; 4]) -> bool {
    crc32(payload) == u32::from_le_bytes(*trailer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_round_trip() {
        let e = Envelope::request(5, STARTUP, string_map(&[("CQL_VERSION", "3.0.0")]));
        let bytes = e.encode();
        assert_eq!(&bytes[..5], &[0x05, 0, 0, 0, STARTUP]);
        assert_eq!(Envelope::decode(&bytes), Some(e));
    }

    #[test]
    fn multimaps_round_trip_and_truncation_is_none() {
        let body = string_multimap(&[
            ("CQL_VERSION", &["3.4.5"]),
            ("COMPRESSION", &["lz4", "snappy"]),
        ]);
        let parsed = Reader::new(&body).string_multimap().expect("parses");
        assert_eq!(
            parsed[1],
            (
                "COMPRESSION".to_string(),
                vec!["lz4".to_string(), "snappy".to_string()]
            )
        );
        for cut in 0..body.len() {
            assert!(
                Reader::new(&body[..cut]).string_multimap().is_none(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn segments_carry_their_checksums() {
        let payload = Envelope::request(5, OPTIONS, Vec::new()).encode();
        let segment = encode_segment(&payload, true);
        let header: [u8; 6] = segment[..6].try_into().expect("6 bytes");
        assert_eq!(parse_segment_header(&header), Some((payload.len(), true)));
        let body = &segment[6..6 + payload.len()];
        let trailer: [u8; 4] = segment[6 + payload.len()..].try_into().expect("4 bytes");
        assert!(payload_crc_ok(body, &trailer));
        let mut corrupt = header;
        corrupt[0] ^= 1;
        assert_eq!(parse_segment_header(&corrupt), None);
        let mut bad_trailer = trailer;
        bad_trailer[3] ^= 0x80;
        assert!(!payload_crc_ok(body, &bad_trailer));
    }

    #[test]
    fn http_is_not_an_envelope_header() {
        assert!(Header::parse(b"HTTP/1.1 ").is_none());
        assert!(Header::parse(&[0x84, 0, 0, 0, SUPPORTED, 0, 0, 0, 2]).is_some());
    }
}
