//! Importing creatives from a spreadsheet: a CSV file or cells pasted from Excel or Google
//! Sheets (tab-separated). The header names the columns as `utmforge tag --csv` does; each
//! row becomes a creative draft, validated like the form, and planned against the creatives
//! the campaign already has: same variant (same `utm_content`) = update, never a duplicate.

use crate::campaign::{Campaign, Creative, CreativeDraft, ValidCreative};
use crate::notice::{Code, Field, Notice};
use crate::rules::TeamRules;
use crate::slug::slugify;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Most rows one import takes.
pub const MAX_IMPORT_ROWS: usize = 5_000;
/// Most columns a sheet may have (the header and every row).
pub const MAX_IMPORT_COLUMNS: usize = 64;
/// Largest cell, in bytes (notes are at most 2,000 characters).
pub const MAX_IMPORT_CELL: usize = 8 * 1024;

/// The columns an import reads; anything else is listed as ignored.
/// `content` (or `variant`) is the variant name; `term` (or `topic`) its topic; `url` (or
/// `landing_url`) its landing URL; `campaign` and `medium`, when filled, must be this campaign's.
const KNOWN: [(&str, Col); 12] = [
    ("content", Col::Variant),
    ("variant", Col::Variant),
    ("term", Col::Topic),
    ("topic", Col::Topic),
    ("url", Col::Url),
    ("landing_url", Col::Url),
    ("headline", Col::Headline),
    ("description", Col::Description),
    ("notes", Col::Notes),
    ("campaign", Col::Campaign),
    ("medium", Col::Medium),
    ("id", Col::Id),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Variant,
    Topic,
    Url,
    Headline,
    Description,
    Notes,
    Campaign,
    Medium,
    Id,
}

impl Col {
    const COUNT: usize = 9;
    fn name(self) -> &'static str {
        match self {
            Col::Variant => "content",
            Col::Topic => "term",
            Col::Url => "url",
            Col::Headline => "headline",
            Col::Description => "description",
            Col::Notes => "notes",
            Col::Campaign => "campaign",
            Col::Medium => "medium",
            Col::Id => "id",
        }
    }
}

/// What importing one row will do (or did).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RowAction {
    Create,
    Update,
    /// The campaign already has this creative exactly so.
    Unchanged,
    /// The row breaks a rule: it is never saved.
    Invalid,
}

/// One field an update changes: its value before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    /// `variant`, `topic`, `landing_url`, `headline`, `description` or `notes`.
    pub field: String,
    pub old: String,
    pub new: String,
}

/// One row of the sheet, planned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedRow {
    /// The line in the sheet (the header is line 1).
    pub line: u64,
    pub variant: String,
    pub action: RowAction,
    /// The URL the creative will carry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// For an update that changes the URL: the URL the creative carries today (ads that use
    /// it keep it until they are edited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_url: Option<String>,
    /// For an update: each field that changes, old → new.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
    pub warnings: Vec<Notice>,
    /// Why the row cannot be imported.
    pub errors: Vec<Notice>,
    /// The creative that is updated, with the version read.
    #[serde(skip)]
    pub existing: Option<(String, i64)>,
    #[serde(skip)]
    pub valid: Option<ValidCreative>,
}

/// The preview of an import: every row and what will happen to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportPlan {
    pub rows: Vec<PlannedRow>,
    /// Columns of the sheet that are not read.
    pub ignored_columns: Vec<String>,
    /// Columns an update leaves as they are, because the sheet does not have them.
    pub kept_columns: Vec<String>,
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub invalid: usize,
    /// Identifies the data this plan was made against (the campaign and each creative, with
    /// their versions). Importing with it is refused (409) if anything changed since.
    pub token: String,
    /// Live URLs of an active campaign the import would change: importing needs the
    /// live-link confirmation when this is not 0.
    #[serde(default)]
    pub live_changes: usize,
}

impl ImportPlan {
    /// The URL each saved row changes: (variant, old URL, new URL).
    pub fn link_changes(&self) -> Vec<crate::campaign::LinkChange> {
        self.rows
            .iter()
            .filter(|r| r.valid.is_some() && r.previous_url.is_some())
            .map(|r| (r.variant.clone(), r.previous_url.clone(), r.url.clone()))
            .collect()
    }
}

/// The token of a plan made against `campaign` and its `existing` creatives: a hash of their
/// ids and versions. Any save to any of them changes it.
pub fn plan_token(campaign: &Campaign, existing: &[Creative]) -> String {
    // FNV-1a, 64 bits: stable across builds and platforms (a concurrency check, not a secret).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes.iter().chain(b"\x1f") {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(campaign.id.as_bytes());
    feed(&campaign.version.to_le_bytes());
    let mut ids: Vec<(&str, i64)> = existing
        .iter()
        .map(|k| (k.id.as_str(), k.version))
        .collect();
    ids.sort_unstable();
    for (id, version) in ids {
        feed(id.as_bytes());
        feed(&version.to_le_bytes());
    }
    format!("v{}-{hash:016x}", campaign.version)
}

/// Reads `text` (CSV, or tab-separated when the header line has a tab) and plans every row
/// against `campaign` and its `existing` creatives. A column the sheet does not have keeps the
/// existing creative's value (a sheet of only `content,url` changes only URLs); an empty cell
/// in a column it has clears the value. An error only when the sheet itself cannot be read (no
/// header, no variant column, too many rows or columns).
pub fn plan_import(
    text: &str,
    campaign: &Campaign,
    existing: &[Creative],
) -> Result<ImportPlan, Notice> {
    plan_import_with(text, campaign, existing, &TeamRules::default())
}

/// [`plan_import`], applying the team's approved domains and topic vocabulary to every row as
/// the forms do.
pub fn plan_import_with(
    text: &str,
    campaign: &Campaign,
    existing: &[Creative],
    rules: &TeamRules,
) -> Result<ImportPlan, Notice> {
    let text = text.trim_start_matches('\u{feff}');
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    // Refuse a header of a million columns before the CSV reader splits it.
    if header_line.bytes().filter(|b| *b == delimiter).count() >= MAX_IMPORT_COLUMNS {
        return Err(too_many_columns());
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let sheet_error = |message: String| Notice::new(Code::InvalidSheet, Field::Sheet, message);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| sheet_error(format!("the sheet cannot be read: {e}")))?
        .iter()
        .map(|h| h.trim().chars().take(100).collect())
        .collect();
    if header.len() > MAX_IMPORT_COLUMNS {
        return Err(too_many_columns());
    }
    if header.iter().all(|h| h.is_empty()) {
        return Err(sheet_error(
            "the sheet is empty: paste a header row (content, term, url, …) and one row per creative".into(),
        ));
    }
    // Each known column's index, worked out once.
    let mut index: [Option<usize>; Col::COUNT] = [None; Col::COUNT];
    let mut ignored = Vec::new();
    for (i, h) in header.iter().enumerate() {
        match KNOWN.iter().find(|(name, _)| h.eq_ignore_ascii_case(name)) {
            Some((_, col)) => {
                let slot = &mut index[*col as usize];
                if slot.is_none() {
                    *slot = Some(i);
                }
            }
            None if !h.is_empty() => ignored.push(h.clone()),
            None => {}
        }
    }
    if index[Col::Variant as usize].is_none() {
        return Err(sheet_error(format!(
            "the header has no content (variant name) column; it has: {}. Name the columns content, term, url (and optionally headline, description, notes)",
            header.join(", ")
        )));
    }
    let kept_columns: Vec<String> = [Col::Topic, Col::Url, Col::Headline, Col::Notes]
        .into_iter()
        .filter(|c| index[*c as usize].is_none())
        .map(|c| c.name().to_string())
        .collect();

    let by_content: HashMap<&str, &Creative> =
        existing.iter().map(|k| (k.content.as_str(), k)).collect();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut plan = ImportPlan {
        rows: Vec::new(),
        ignored_columns: ignored,
        kept_columns,
        create: 0,
        update: 0,
        unchanged: 0,
        invalid: 0,
        token: plan_token(campaign, existing),
        live_changes: 0,
    };
    for record in reader.records() {
        if plan.rows.len() >= MAX_IMPORT_ROWS {
            return Err(Notice::new(
                Code::TooMany,
                Field::Sheet,
                format!("the sheet has more than {MAX_IMPORT_ROWS} rows: split it"),
            ));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                plan.rows.push(invalid_row(
                    line,
                    String::new(),
                    vec![sheet_error(format!("the row cannot be read: {e}"))],
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() > MAX_IMPORT_COLUMNS {
            plan.rows
                .push(invalid_row(line, String::new(), vec![too_many_columns()]));
            continue;
        }
        if let Some((i, _)) = record
            .iter()
            .enumerate()
            .find(|(_, c)| c.len() > MAX_IMPORT_CELL)
        {
            let name = header.get(i).map_or("?", String::as_str);
            plan.rows.push(invalid_row(
                line,
                String::new(),
                vec![Notice::new(
                    Code::TooLong,
                    Field::Sheet,
                    format!(
                        "the cell in column “{name}” is over {} KiB",
                        MAX_IMPORT_CELL / 1024
                    ),
                )],
            ));
            continue;
        }
        let cell = |col: Col| -> Option<String> {
            index[col as usize].map(|i| record.get(i).unwrap_or("").trim().to_string())
        };
        let variant = cell(Col::Variant).unwrap_or_default();
        let current = slugify(&variant)
            .ok()
            .and_then(|c| by_content.get(c.as_str()).copied());
        // A column the sheet lacks keeps the existing creative's value.
        let keep = |col: Col, old: Option<&str>| {
            cell(col).unwrap_or_else(|| old.unwrap_or("").to_string())
        };
        let draft = CreativeDraft {
            topic: keep(Col::Topic, current.and_then(|k| k.topic.as_deref())),
            landing_url: keep(Col::Url, current.and_then(|k| k.landing_url.as_deref())),
            headline: keep(Col::Headline, current.map(|k| k.headline.as_str())),
            description: keep(Col::Description, current.map(|k| k.description.as_str())),
            notes: keep(Col::Notes, current.map(|k| k.notes.as_str())),
            variant,
        };
        let mut errors = Vec::new();
        let campaign_cell = cell(Col::Campaign).unwrap_or_default();
        if !campaign_cell.is_empty()
            && slugify(&campaign_cell).ok().as_deref() != Some(campaign.slug.as_str())
        {
            errors.push(Notice::new(
                Code::NotAllowed,
                Field::Campaign,
                format!(
                    "this row is for campaign “{campaign_cell}”, not {} ({})",
                    campaign.name, campaign.slug
                ),
            ));
        }
        let medium_cell = cell(Col::Medium).unwrap_or_default();
        if !medium_cell.is_empty()
            && !medium_cell.eq_ignore_ascii_case(campaign.buying_model.utm_medium())
        {
            errors.push(Notice::new(
                Code::InvalidMedium,
                Field::Medium,
                format!(
                    "this row's medium is “{medium_cell}”, the campaign is bought by {}",
                    campaign.buying_model.utm_medium()
                ),
            ));
        }
        match draft.validate_with(campaign, rules) {
            Err(mut e) => {
                errors.append(&mut e);
                plan.rows.push(invalid_row(line, draft.variant, errors));
            }
            Ok(_) if !errors.is_empty() => plan.rows.push(invalid_row(line, draft.variant, errors)),
            Ok(valid) => {
                if let Some(first) = seen.get(&valid.content) {
                    plan.rows.push(invalid_row(
                        line,
                        draft.variant,
                        vec![Notice::new(
                            Code::Duplicate,
                            Field::Content,
                            format!(
                                "line {first} already has this variant (utm_content={}): each variant once",
                                valid.content
                            ),
                        )],
                    ));
                    continue;
                }
                seen.insert(valid.content.clone(), line);
                let (action, existing, changes, previous_url) =
                    match by_content.get(valid.content.as_str()) {
                        None => (RowAction::Create, None, Vec::new(), None),
                        Some(k) => {
                            let changes = changes(k, &valid);
                            if changes.is_empty() {
                                (RowAction::Unchanged, None, changes, None)
                            } else {
                                let before = k.tagged_url(campaign, rules).ok().map(|t| t.url);
                                let previous = before.filter(|u| *u != valid.tagged.url);
                                (
                                    RowAction::Update,
                                    Some((k.id.clone(), k.version)),
                                    changes,
                                    previous,
                                )
                            }
                        }
                    };
                plan.rows.push(PlannedRow {
                    line,
                    variant: valid.variant.clone(),
                    action,
                    url: Some(valid.tagged.url.clone()),
                    previous_url,
                    changes,
                    warnings: valid.tagged.warnings.clone(),
                    errors: Vec::new(),
                    existing,
                    valid: Some(valid),
                });
            }
        }
    }
    for row in &plan.rows {
        match row.action {
            RowAction::Create => plan.create += 1,
            RowAction::Update => plan.update += 1,
            RowAction::Unchanged => plan.unchanged += 1,
            RowAction::Invalid => plan.invalid += 1,
        }
    }
    // The live-link rule's own count (one notice per link after its summary).
    plan.live_changes = crate::campaign::live_link_refusal(campaign, &plan.link_changes(), false)
        .map_or(0, |n| n.len() - 1);
    Ok(plan)
}

fn too_many_columns() -> Notice {
    Notice::new(
        Code::TooMany,
        Field::Sheet,
        format!("the sheet has more than {MAX_IMPORT_COLUMNS} columns: keep content, term, url, headline, description, notes"),
    )
}

fn invalid_row(line: u64, variant: String, errors: Vec<Notice>) -> PlannedRow {
    PlannedRow {
        line,
        variant,
        action: RowAction::Invalid,
        url: None,
        previous_url: None,
        changes: Vec::new(),
        warnings: Vec::new(),
        errors,
        existing: None,
        valid: None,
    }
}

/// The fields that differ between a stored creative and the row that would replace it.
fn changes(k: &Creative, v: &ValidCreative) -> Vec<FieldChange> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    [
        ("variant", k.variant.clone(), v.variant.clone()),
        ("topic", opt(&k.topic), opt(&v.topic)),
        ("landing_url", opt(&k.landing_url), opt(&v.landing_url)),
        ("headline", k.headline.clone(), v.headline.clone()),
        ("description", k.description.clone(), v.description.clone()),
        ("notes", k.notes.clone(), v.notes.clone()),
    ]
    .into_iter()
    .filter(|(_, old, new)| old != new)
    .map(|(field, old, new)| FieldChange {
        field: field.into(),
        old,
        new,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BuyingModel, CampaignStatus, ConversionEvent};

    fn campaign() -> Campaign {
        Campaign {
            id: "c1".into(),
            name: "Spring Sale".into(),
            slug: "spring-sale".into(),
            buying_model: BuyingModel::Cpc,
            topic: Some("crm".into()),
            landing_url: "https://example.com/spring".into(),
            conversion: ConversionEvent::OrderCreated,
            status: CampaignStatus::Active,
            notes: String::new(),
            version: 1,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn existing(variant: &str, content: &str) -> Creative {
        Creative {
            id: format!("k-{content}"),
            campaign_id: "c1".into(),
            variant: variant.into(),
            content: content.into(),
            topic: None,
            landing_url: None,
            headline: String::new(),
            description: String::new(),
            notes: String::new(),
            version: 3,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn pasted_cells_plan_creates_updates_unchanged_and_invalid_rows() {
        let sheet = "Content\tTerm\tURL\tOwner\n\
                     Headline A\t\t\tana\n\
                     Headline B\tBudget apps\thttps://example.com/b?x=1\tbo\n\
                     Headline C\t\tjavascript:alert(1)\tcy\n\
                     headline a\t\t\tdup\n\
                     New One\t\t\t\n";
        let plan = plan_import(
            sheet,
            &campaign(),
            &[
                existing("Headline A", "headline-a"),
                existing("Old B", "headline-b"),
            ],
        )
        .unwrap();
        let actions: Vec<(u64, RowAction)> = plan.rows.iter().map(|r| (r.line, r.action)).collect();
        assert_eq!(
            actions,
            [
                (2, RowAction::Unchanged),
                (3, RowAction::Update),
                (4, RowAction::Invalid),
                (5, RowAction::Invalid),
                (6, RowAction::Create),
            ]
        );
        assert_eq!(plan.ignored_columns, ["Owner"]);
        assert_eq!(
            (plan.create, plan.update, plan.unchanged, plan.invalid),
            (1, 1, 1, 2)
        );
        assert_eq!(plan.rows[1].existing, Some(("k-headline-b".into(), 3)));
        assert_eq!(
            plan.rows[1].url.as_deref(),
            Some("https://example.com/b?x=1&utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=headline-b&utm_term=budget-apps")
        );
        assert_eq!(plan.rows[2].errors[0].code, Code::SchemeNotAllowed);
        assert!(plan.rows[3].errors[0]
            .message
            .contains("line 2 already has this variant"));
    }

    #[test]
    fn csv_with_campaign_and_medium_columns_must_match_the_campaign() {
        let sheet = "url,campaign,medium,content\n\
                     ,Spring Sale,CPC,a\n\
                     ,Autumn,cpc,b\n\
                     ,spring-sale,cpm,c\n";
        let plan = plan_import(sheet, &campaign(), &[]).unwrap();
        assert_eq!(plan.rows[0].action, RowAction::Create);
        assert_eq!(plan.rows[1].errors[0].field, Field::Campaign);
        assert_eq!(plan.rows[2].errors[0].field, Field::Medium);
    }

    #[test]
    fn a_sheet_without_a_variant_column_is_refused_naming_its_columns() {
        let e = plan_import("link,name\nx,y\n", &campaign(), &[]).unwrap_err();
        assert!(e.message.contains("has: link, name"), "{}", e.message);
        assert!(plan_import("", &campaign(), &[]).is_err());
    }

    #[test]
    fn a_column_the_sheet_lacks_keeps_the_existing_value_and_changes_are_listed() {
        let mut k = existing("Headline A", "headline-a");
        k.headline = "Save 20% today".into();
        k.notes = "approved by legal".into();
        k.topic = Some("crm".into());
        let plan = plan_import(
            "content,url\nHeadline A,https://example.com/new\n",
            &campaign(),
            std::slice::from_ref(&k),
        )
        .unwrap();
        let row = &plan.rows[0];
        assert_eq!(row.action, RowAction::Update);
        let valid = row.valid.as_ref().unwrap();
        assert_eq!(valid.headline, "Save 20% today");
        assert_eq!(valid.notes, "approved by legal");
        assert_eq!(valid.topic.as_deref(), Some("crm"));
        assert_eq!(
            row.changes,
            [FieldChange {
                field: "landing_url".into(),
                old: String::new(),
                new: "https://example.com/new".into()
            }]
        );
        assert_eq!(
            row.previous_url.as_deref(),
            Some("https://example.com/spring?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=headline-a&utm_term=crm")
        );
        assert_eq!(plan.kept_columns, ["term", "headline", "notes"]);
        // A column that is there but empty clears the value.
        let plan = plan_import("content,notes\nHeadline A,\n", &campaign(), &[k]).unwrap();
        assert_eq!(plan.rows[0].changes[0].field, "notes");
        assert_eq!(plan.rows[0].valid.as_ref().unwrap().notes, "");
    }

    #[test]
    fn the_token_changes_when_any_version_changes() {
        let a = existing("A", "a");
        let t1 = plan_token(&campaign(), std::slice::from_ref(&a));
        let mut b = a.clone();
        b.version += 1;
        assert_ne!(t1, plan_token(&campaign(), &[b]));
        let mut c = campaign();
        c.version += 1;
        assert_ne!(t1, plan_token(&c, std::slice::from_ref(&a)));
        assert_eq!(t1, plan_token(&campaign(), &[a]));
    }

    #[test]
    fn too_many_columns_or_a_huge_cell_is_refused_with_a_clear_message() {
        let wide = format!("content{}\n", ",x".repeat(1_000_000));
        let e = plan_import(&wide, &campaign(), &[]).unwrap_err();
        assert_eq!((e.code, e.field), (Code::TooMany, Field::Sheet));
        let huge = format!(
            "content,notes\nA,{}\nB,ok\n",
            "n".repeat(MAX_IMPORT_CELL + 1)
        );
        let plan = plan_import(&huge, &campaign(), &[]).unwrap();
        assert_eq!(plan.rows[0].action, RowAction::Invalid);
        assert!(plan.rows[0].errors[0].message.contains("“notes”"));
        assert_eq!(plan.rows[1].action, RowAction::Create);
    }
}
