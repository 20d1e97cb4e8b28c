//! `utm_id`: a campaign's stable short id, derived from its internal id, so GA4 keeps its
//! history when the campaign is renamed.

/// Letters of a `utm_id`: digits and lowercase letters without i, l, o, u (Crockford's
/// base 32), so that it is read and typed back without confusion.
const UTM_ID_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Characters of a `utm_id` (60 bits: two of 10,000 campaigns share one with a chance of about
/// 1 in 10^10).
pub const UTM_ID_LEN: usize = 12;

/// A campaign's stable short id for `utm_id`, derived from its id (which never changes: not
/// with a new name or slug, not through `db copy`): FNV-1a over the id, mixed by SplitMix64's
/// finalizer, 60 bits in base 32.
pub fn utm_id_of(campaign_id: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in campaign_id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    (0..UTM_ID_LEN)
        .map(|i| UTM_ID_ALPHABET[((h >> (5 * i)) & 31) as usize] as char)
        .collect()
}
