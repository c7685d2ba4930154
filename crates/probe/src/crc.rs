//! The two checksums of native protocol v5 framing (spec section 2.1), as Cassandra's
//! `Crc` class computes them.

const CRC24_INIT: u32 = 0x0087_5060;
const CRC24_POLY: u32 = 0x0197_4F0B;
/// Cassandra feeds these four bytes into CRC32 before the payload.
const CRC32_SEED: [u8; 4] = [0xFA, 0x2D, 0x55, 0xCA];

/// CRC24 over the low `len` bytes of `value`, least significant byte first (the order
/// they reach the wire in).
pub fn crc24(mut value: u64, len: usize) -> u32 {
    let mut crc = CRC24_INIT;
    for _ in 0..len {
        crc ^= ((value & 0xff) as u32) << 16;
        value >>= 8;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x0100_0000 != 0 {
                crc ^= CRC24_POLY;
            }
        }
    }
    crc & 0x00FF_FFFF
}

/// IEEE CRC32 (java.util.zip.CRC32) of the seed followed by `data`.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in CRC32_SEED.iter().chain(data) {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_is_ieee_after_the_seed() {
        // Without the seed, IEEE CRC32 of "123456789" is the well-known 0xCBF43926; the
        // seeded value must differ, and be stable.
        assert_ne!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"123456789"), crc32(b"123456789"));
        let mut plain = 0xFFFF_FFFFu32;
        for &b in b"123456789" {
            plain ^= u32::from(b);
            for _ in 0..8 {
                plain = if plain & 1 != 0 {
                    (plain >> 1) ^ 0xEDB8_8320
                } else {
                    plain >> 1
                };
            }
        }
        assert_eq!(!plain, 0xCBF4_3926, "the bitwise loop is IEEE CRC32");
    }

    #[test]
    fn crc24_changes_with_every_header_bit() {
        let base = crc24(0x02_0009, 3);
        for bit in 0..24 {
            assert_ne!(crc24(0x02_0009 ^ (1 << bit), 3), base, "bit {bit}");
        }
        assert!(base <= 0x00FF_FFFF);
    }
}
