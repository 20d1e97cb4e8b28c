//! The campaigns list at scale: what a person can filter and sort by, pages of at most
//! [`MAX_LIMIT`] rows, and the opaque cursor that says where the next (or previous) page starts.
//! Pages are keyset pages: a cursor holds the last row's sort key and id, so a page costs the
//! same at row 10 and row 10,000, and rows added meanwhile never shift a page (no duplicates,
//! no gaps).

use crate::campaign::{CampaignStatus, ConversionEvent};
use crate::medium::BuyingModel;
use crate::notice::{clip, Code, Field, Notice};
use serde::{Deserialize, Serialize};

/// Rows per page unless asked otherwise, and the most one page holds.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 200;
/// Longest search text.
pub const MAX_SEARCH_LEN: usize = 100;

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum CampaignSort {
    /// Most recently changed first.
    #[default]
    Updated,
    /// By name, A to Z (letter case ignored).
    Name,
    /// Most creatives first.
    Creatives,
}

impl CampaignSort {
    pub const ALL: [CampaignSort; 3] = [
        CampaignSort::Updated,
        CampaignSort::Name,
        CampaignSort::Creatives,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CampaignSort::Updated => "updated",
            CampaignSort::Name => "name",
            CampaignSort::Creatives => "creatives",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CampaignSort::Updated => "Recently updated",
            CampaignSort::Name => "Name",
            CampaignSort::Creatives => "Most creatives",
        }
    }
}

/// Where a page starts: after (or, going back, before) the row with this sort key and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "s")]
    pub sort: CampaignSort,
    /// The row's key in that order: `updated_at` or the creative count, else the name.
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub number: Option<i64>,
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(rename = "i")]
    pub id: String,
    /// True: the page before this row.
    #[serde(rename = "b", default)]
    pub backward: bool,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl Cursor {
    /// The cursor at `campaign` (which has `creative_count` creatives) in order `sort`: the
    /// page after it, or (`backward`) before it.
    pub fn at(
        sort: CampaignSort,
        campaign: &crate::Campaign,
        creative_count: i64,
        backward: bool,
    ) -> Cursor {
        Cursor {
            sort,
            number: match sort {
                CampaignSort::Updated => Some(campaign.updated_at),
                CampaignSort::Creatives => Some(creative_count),
                CampaignSort::Name => None,
            },
            text: (sort == CampaignSort::Name).then(|| campaign.name.to_lowercase()),
            id: campaign.id.clone(),
            backward,
        }
    }

    /// The cursor as the opaque text an answer carries (hex of its JSON).
    pub fn encode(&self) -> String {
        to_hex(&serde_json::to_vec(self).unwrap_or_default())
    }

    /// A cursor given back; anything else is 422 `invalid-cursor` naming `cursor`.
    pub fn decode(text: &str) -> Result<Cursor, Notice> {
        let bad = || {
            Notice::new(
                Code::InvalidCursor,
                Field::Cursor,
                format!(
                    "“{}” is not a cursor from this list: use the next_cursor (or prev_cursor) of a previous answer, or none for the first page",
                    clip(text, 40)
                ),
            )
        };
        let cursor: Cursor = from_hex(text)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(bad)?;
        let keyed = match cursor.sort {
            CampaignSort::Name => cursor.text.is_some() && cursor.number.is_none(),
            _ => cursor.number.is_some() && cursor.text.is_none(),
        };
        if keyed {
            Ok(cursor)
        } else {
            Err(bad())
        }
    }
}

/// `bytes` as lower-case hex: a cursor's opaque text.
fn to_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .flat_map(|b| {
            [
                HEX[usize::from(b >> 4)] as char,
                HEX[usize::from(b & 15)] as char,
            ]
        })
        .collect()
}

/// The bytes of hex `text` (at most 1,000 of them), or None.
fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 2_000 {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
            Some(digit(pair[0])? << 4 | digit(pair[1])?)
        })
        .collect()
}

/// `limit` as given: a page size from 1 to [`MAX_LIMIT`]; none: [`DEFAULT_LIMIT`].
fn page_size(limit: Option<&str>) -> Result<usize, Notice> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(Notice::new(
                Code::NotAllowed,
                Field::Limit,
                format!(
                    "limit “{}” is not a number from 1 to {MAX_LIMIT}",
                    clip(s, 20)
                ),
            )),
        },
    }
}

/// Where a page of the trash starts: after the item deleted at `deleted_at` with id `id` (the
/// trash lists the most recently deleted first, then by id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrashCursor {
    #[serde(rename = "d")]
    pub deleted_at: i64,
    #[serde(rename = "i")]
    pub id: String,
}

impl TrashCursor {
    /// The opaque text an answer carries (hex of its JSON).
    pub fn encode(&self) -> String {
        to_hex(&serde_json::to_vec(self).unwrap_or_default())
    }

    /// A cursor given back; anything else (a campaigns-list cursor too) is 422
    /// `invalid-cursor` naming `cursor`.
    pub fn decode(text: &str) -> Result<TrashCursor, Notice> {
        from_hex(text)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                Notice::new(
                    Code::InvalidCursor,
                    Field::Cursor,
                    format!(
                        "“{}” is not a cursor of the trash: use the next_cursor of a previous answer, or none for the first page",
                        clip(text, 40)
                    ),
                )
            })
    }
}

/// A page of the trash, as given (a query string).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct TrashFilter {
    /// Items per page: 1 to 200 (default 50; empty: the default).
    #[cfg_attr(feature = "openapi", param(pattern = "^\\s*\\+?[0-9]*\\s*$"))]
    pub limit: Option<String>,
    /// The next_cursor of a previous answer; none: the most recently deleted.
    pub cursor: Option<String>,
}

impl TrashFilter {
    /// (page size, where it starts); every problem named by its field (422).
    pub fn query(&self) -> Result<(usize, Option<TrashCursor>), Vec<Notice>> {
        let limit = page_size(some(&self.limit));
        let cursor = some(&self.cursor).map(TrashCursor::decode).transpose();
        match (limit, cursor) {
            (Ok(limit), Ok(cursor)) => Ok((limit, cursor)),
            (limit, cursor) => Err(limit.err().into_iter().chain(cursor.err()).collect()),
        }
    }
}

/// The list's filters, order and page, as checked from what a person or a script gave.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CampaignQuery {
    /// Part of the name or of `utm_campaign` (letter case ignored).
    pub search: Option<String>,
    pub status: Option<CampaignStatus>,
    pub buying_model: Option<BuyingModel>,
    pub conversion: Option<ConversionEvent>,
    /// Changed on or after this UTC day (its first millisecond).
    pub updated_since: Option<i64>,
    pub sort: CampaignSort,
    pub limit: usize,
    pub cursor: Option<Cursor>,
}

/// The list's parameters as text (a query string, a form).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct CampaignFilter {
    /// Part of the name or utm_campaign (at most 100 characters; case ignored).
    pub q: Option<String>,
    /// draft, active, paused or archived (any letter case; empty: any).
    pub status: Option<String>,
    /// cpc or cpm.
    pub medium: Option<String>,
    /// A conversion event, e.g. order_created.
    pub conversion: Option<String>,
    /// Changed on or after this UTC day, YYYY-MM-DD.
    pub updated_since: Option<String>,
    /// updated (default: most recent first), name (A–Z) or creatives (most first).
    pub sort: Option<String>,
    /// Rows per page: 1 to 200 (default 50; empty: the default).
    #[cfg_attr(feature = "openapi", param(pattern = "^\\s*\\+?[0-9]*\\s*$"))]
    pub limit: Option<String>,
    /// The next_cursor (or prev_cursor) of a previous answer; none: the first page.
    pub cursor: Option<String>,
}

fn some(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl CampaignFilter {
    /// The query these parameters mean; every problem named by its field (422).
    pub fn query(&self) -> Result<CampaignQuery, Vec<Notice>> {
        let mut errors = Vec::new();
        let not_one = |field: Field, what: &str, value: &str, choices: &str| {
            Notice::new(
                Code::NotAllowed,
                field,
                format!("{what} “{}” is not one of {choices}", clip(value, 40)),
            )
        };
        let search = some(&self.q).map(str::to_string);
        if let Some(s) = &search {
            if s.chars().count() > MAX_SEARCH_LEN {
                errors.push(Notice::new(
                    Code::TooLong,
                    Field::Query,
                    format!(
                        "the search is {} characters long; at most {MAX_SEARCH_LEN} are allowed",
                        s.chars().count()
                    ),
                ));
            }
        }
        let status = some(&self.status).and_then(|s| {
            s.parse::<CampaignStatus>()
                .map_err(|_| {
                    errors.push(not_one(
                        Field::Status,
                        "status",
                        s,
                        "draft, active, paused, archived",
                    ))
                })
                .ok()
        });
        let buying_model = some(&self.medium).and_then(|s| {
            s.parse::<BuyingModel>()
                .map_err(|_| errors.push(not_one(Field::Medium, "medium", s, "cpc, cpm")))
                .ok()
        });
        let conversion = some(&self.conversion).and_then(|s| {
            s.parse::<ConversionEvent>()
                .map_err(|_| {
                    let all: Vec<&str> = ConversionEvent::ALL.iter().map(|c| c.as_str()).collect();
                    errors.push(not_one(Field::Conversion, "conversion", s, &all.join(", ")))
                })
                .ok()
        });
        let updated_since = some(&self.updated_since).and_then(|d| {
            crate::history::day_bounds(d)
                .map(|(start, _)| start)
                .map_err(|mut e| {
                    e.field = Field::UpdatedSince;
                    errors.push(e)
                })
                .ok()
        });
        let sort = match some(&self.sort) {
            None => CampaignSort::default(),
            Some(s) => CampaignSort::ALL
                .into_iter()
                .find(|o| o.as_str() == s)
                .unwrap_or_else(|| {
                    errors.push(not_one(Field::Sort, "sort", s, "updated, name, creatives"));
                    CampaignSort::default()
                }),
        };
        let limit = page_size(some(&self.limit)).unwrap_or_else(|e| {
            errors.push(e);
            DEFAULT_LIMIT
        });
        let cursor = some(&self.cursor).and_then(|c| match Cursor::decode(c) {
            Ok(cursor) if cursor.sort == sort => Some(cursor),
            Ok(_) => {
                errors.push(Notice::new(
                    Code::InvalidCursor,
                    Field::Cursor,
                    "this cursor belongs to another order of the list: start again from the first page".to_string(),
                ));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        });
        if errors.is_empty() {
            Ok(CampaignQuery {
                search,
                status,
                buying_model,
                conversion,
                updated_since,
                sort,
                limit,
                cursor,
            })
        } else {
            Err(errors)
        }
    }
}

/// The `LIKE` pattern of a search: `%text%` with `%`, `_` and `\` escaped (by `\`), lower case.
pub fn like_pattern(search: &str) -> String {
    let mut p = String::with_capacity(search.len() + 2);
    p.push('%');
    for c in search.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_anything_else_is_refused() {
        let c = Cursor {
            sort: CampaignSort::Name,
            number: None,
            text: Some("spring \"sale\" ✓".into()),
            id: "0193".into(),
            backward: true,
        };
        assert_eq!(Cursor::decode(&c.encode()), Ok(c));
        for bad in ["", "zz", "abc", "7b7d", &"00".repeat(1_001)] {
            let e = Cursor::decode(bad).unwrap_err();
            assert_eq!(
                (e.code, e.field),
                (Code::InvalidCursor, Field::Cursor),
                "{bad}"
            );
        }
        // A name cursor without its name: refused, not a page from nowhere.
        let wrong = Cursor {
            sort: CampaignSort::Name,
            number: Some(3),
            text: None,
            id: "x".into(),
            backward: false,
        };
        assert!(Cursor::decode(&wrong.encode()).is_err());
    }

    #[test]
    fn filters_are_checked_field_by_field() {
        let q = CampaignFilter {
            q: Some("  Spring ".into()),
            status: Some("active".into()),
            medium: Some("CPM".into()),
            conversion: Some("order_created".into()),
            updated_since: Some("2026-11-01".into()),
            sort: Some("name".into()),
            limit: Some("10".into()),
            cursor: None,
        }
        .query()
        .unwrap();
        assert_eq!(q.search.as_deref(), Some("Spring"));
        assert_eq!(q.buying_model, Some(BuyingModel::Cpm));
        assert_eq!((q.sort, q.limit), (CampaignSort::Name, 10));
        assert_eq!(q.updated_since, Some(1_793_491_200_000));
        assert_eq!(
            CampaignFilter::default().query().unwrap().limit,
            DEFAULT_LIMIT
        );

        let e = CampaignFilter {
            q: Some("x".repeat(101)),
            status: Some("gone".into()),
            medium: Some("cpa".into()),
            conversion: Some("sale".into()),
            updated_since: Some("yesterday".into()),
            sort: Some("size".into()),
            limit: Some("0".into()),
            cursor: Some("nope".into()),
        }
        .query()
        .unwrap_err();
        let fields: Vec<Field> = e.iter().map(|n| n.field).collect();
        assert_eq!(
            fields,
            [
                Field::Query,
                Field::Status,
                Field::Medium,
                Field::Conversion,
                Field::UpdatedSince,
                Field::Sort,
                Field::Limit,
                Field::Cursor
            ]
        );
        // A cursor of another order.
        let updated = Cursor {
            sort: CampaignSort::Updated,
            number: Some(5),
            text: None,
            id: "x".into(),
            backward: false,
        };
        let e = CampaignFilter {
            sort: Some("name".into()),
            cursor: Some(updated.encode()),
            ..Default::default()
        }
        .query()
        .unwrap_err();
        assert_eq!(e[0].code, Code::InvalidCursor);
    }

    #[test]
    fn search_text_is_literal_in_like() {
        assert_eq!(like_pattern("50%_Off\\"), "%50\\%\\_off\\\\%");
    }
}
