//! Whatever a server sends, decoding it never panics.

use proptest::prelude::*;
use ringfence_probe::cql::{self, Envelope, Header, Reader};
use ringfence_probe::outcome::classify;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn any_bytes_decode_or_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = Envelope::decode(&bytes);
        let header = <[u8; cql::HEADER_LEN]>::try_from(bytes.get(..cql::HEADER_LEN).unwrap_or(&[]));
        if let Some(h) = header.ok().and_then(|h| Header::parse(&h)) {
            prop_assert!(h.length <= cql::MAX_BODY);
        }
        let _ = Reader::new(&bytes).string_multimap();
        let _ = Reader::new(&bytes).string_map();
        let _ = cql::parse_error(&bytes);
        if let Ok(six) = <[u8; 6]>::try_from(bytes.get(..6).unwrap_or(&[])) {
            let _ = cql::parse_segment_header(&six);
        }
        let _ = classify(&bytes);
    }

    #[test]
    fn segments_round_trip(payload in prop::collection::vec(any::<u8>(), 0..2000), self_contained in any::<bool>()) {
        let segment = cql::encode_segment(&payload, self_contained);
        let header: [u8; 6] = segment[..6].try_into().expect("6 bytes");
        prop_assert_eq!(cql::parse_segment_header(&header), Some((payload.len(), self_contained)));
        let trailer: [u8; 4] = segment[6 + payload.len()..].try_into().expect("4 bytes");
        prop_assert!(cql::payload_crc_ok(&segment[6..6 + payload.len()], &trailer));
    }
}
