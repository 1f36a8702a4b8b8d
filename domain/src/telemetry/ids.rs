//! Trace and span ids: fixed-size byte arrays, shown and stored as lowercase hex as W3C
//! Trace Context writes them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! hex_id {
    ($name:ident, $len:literal, $what:literal) => {
        #[doc = concat!("A ", $what, " id: ", stringify!($len), " bytes, never all zero.")]
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub [u8; $len]);

        impl $name {
            /// Takes raw bytes as OTLP protobuf carries them; all-zero and wrong lengths
            /// are invalid ids by the OTLP specification.
            pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
                let array: [u8; $len] = bytes.try_into().ok()?;
                (array != [0; $len]).then_some($name(array))
            }

            /// Parses lowercase or uppercase hex of exactly the right length.
            pub fn parse_hex(text: &str) -> Option<Self> {
                let text = text.as_bytes();
                if text.len() != $len * 2 {
                    return None;
                }
                let mut out = [0u8; $len];
                for (i, pair) in text.chunks_exact(2).enumerate() {
                    out[i] = (hex_digit(pair[0])? << 4) | hex_digit(pair[1])?;
                }
                Self::from_bytes(&out)
            }

            pub fn to_hex(&self) -> String {
                let mut out = String::with_capacity($len * 2);
                for byte in self.0 {
                    out.push(char::from(HEX[usize::from(byte >> 4)]));
                    out.push(char::from(HEX[usize::from(byte & 0xf)]));
                }
                out
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_hex())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.to_hex())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.to_hex())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse_hex(&text).ok_or_else(|| {
                    serde::de::Error::custom(concat!(
                        "a ",
                        $what,
                        " id is ",
                        stringify!($len),
                        " bytes of hex, not all zero"
                    ))
                })
            }
        }
    };
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

hex_id!(TraceId, 16, "trace");
hex_id!(SpanId, 8, "span");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_hex_and_refuse_zero_and_bad_lengths() {
        let id = TraceId::parse_hex("4BF92F3577B34DA6A3CE929D0E0E4736").unwrap();
        assert_eq!(id.to_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(TraceId::from_bytes(&id.0), Some(id));
        assert!(TraceId::parse_hex(&"0".repeat(32)).is_none());
        assert!(TraceId::parse_hex("4bf92f").is_none());
        assert!(SpanId::parse_hex("00f067aa0ba902bz").is_none());
        assert!(SpanId::from_bytes(&[1, 2, 3]).is_none());
        assert_eq!(
            SpanId::parse_hex("00f067aa0ba902b7").unwrap().to_hex(),
            "00f067aa0ba902b7"
        );
    }
}
