//! 24-hex object ids shaped like MongoDB ObjectIds: creation second, a per-org random part, a counter.
//! Ids made by one factory in creation order sort in creation order, which is JumpCloud's default order.

use std::fmt;

use super::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId([u8; 12]);

impl ObjectId {
    /// Parses exactly 24 hex digits (either case).
    pub fn parse(s: &str) -> Option<ObjectId> {
        if s.len() != 24 {
            return None;
        }
        let mut out = [0u8; 12];
        for (i, byte) in out.iter_mut().enumerate() {
            let pair = s.get(i * 2..i * 2 + 2)?;
            *byte = u8::from_str_radix(pair, 16).ok()?;
        }
        Some(ObjectId(out))
    }

    pub fn is_well_formed(s: &str) -> bool {
        s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit())
    }

    /// An id from a creation time and a 64-bit sequence, for records built on demand.
    pub fn from_parts(unix_secs: i64, sequence: u64) -> ObjectId {
        let mut out = [0u8; 12];
        let secs = u32::try_from(unix_secs.max(0)).unwrap_or(u32::MAX);
        out[..4].copy_from_slice(&secs.to_be_bytes());
        out[4..].copy_from_slice(&sequence.to_be_bytes());
        ObjectId(out)
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId({self})")
    }
}

/// Hands out ids for one org.
pub struct IdFactory {
    machine: [u8; 5],
    counter: u32,
}

impl IdFactory {
    pub fn new(rng: &mut Rng) -> Self {
        let bits = rng.next_u64().to_be_bytes();
        let mut machine = [0u8; 5];
        machine.copy_from_slice(&bits[..5]);
        // Start low enough that even millions of ids never wrap the 24-bit counter.
        let counter = u32::try_from(rng.below(0x0010_0000)).unwrap_or(0);
        IdFactory { machine, counter }
    }

    pub fn next(&mut self, created_ms: i64) -> ObjectId {
        let mut out = [0u8; 12];
        let secs = u32::try_from((created_ms / 1000).max(0)).unwrap_or(u32::MAX);
        out[..4].copy_from_slice(&secs.to_be_bytes());
        out[4..9].copy_from_slice(&self.machine);
        self.counter = self.counter.wrapping_add(1) & 0x00ff_ffff;
        out[9..].copy_from_slice(&self.counter.to_be_bytes()[1..]);
        ObjectId(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_as_24_lowercase_hex_and_parse_back() {
        let mut f = IdFactory::new(&mut Rng::new(3));
        let id = f.next(1_600_000_000_000);
        let text = id.to_string();
        assert_eq!(text.len(), 24);
        assert!(text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_eq!(ObjectId::parse(&text), Some(id));
        assert_eq!(ObjectId::parse("zz"), None);
    }

    #[test]
    fn ids_sort_in_creation_order() {
        let mut f = IdFactory::new(&mut Rng::new(3));
        let a = f.next(1_600_000_000_000);
        let b = f.next(1_600_000_000_000);
        let c = f.next(1_600_000_001_000);
        assert!(a < b && b < c);
    }
}
