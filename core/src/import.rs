//! Importing creatives from a spreadsheet: a CSV file or cells pasted from Excel or Google
//! Sheets (tab-separated). The header names the columns as `utmforge tag --csv` does; each
//! row becomes a creative draft, validated like the form, and planned against the creatives
//! the campaign already has: same variant (same `utm_content`) = update, never a duplicate.

use crate::campaign::{Campaign, Creative, CreativeDraft, ValidCreative};
use crate::notice::{Code, Field, Notice};
use crate::slug::slugify;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Most rows one import takes.
pub const MAX_IMPORT_ROWS: usize = 5_000;

/// The columns an import reads; anything else is listed as ignored.
/// `content` (or `variant`) is the variant name; `term` (or `topic`) its topic; `url` (or
/// `landing_url`) its landing URL; `campaign` and `medium`, when filled, must be this campaign's.
const KNOWN: [(&str, Col); 11] = [
    ("content", Col::Variant),
    ("variant", Col::Variant),
    ("term", Col::Topic),
    ("topic", Col::Topic),
    ("url", Col::Url),
    ("landing_url", Col::Url),
    ("headline", Col::Headline),
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
    Notes,
    Campaign,
    Medium,
    Id,
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
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub invalid: usize,
}

/// Reads `text` (CSV, or tab-separated when the header line has a tab) and plans every row
/// against `campaign` and its `existing` creatives. An error only when the sheet itself cannot
/// be read (no header, no variant column, too many rows).
pub fn plan_import(
    text: &str,
    campaign: &Campaign,
    existing: &[Creative],
) -> Result<ImportPlan, Notice> {
    let text = text.trim_start_matches('\u{feff}');
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let sheet_error = |message: String| Notice::new(Code::InvalidUrl, Field::Content, message);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| sheet_error(format!("the sheet cannot be read: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header.iter().all(|h| h.is_empty()) {
        return Err(sheet_error(
            "the sheet is empty: paste a header row (content, term, url, …) and one row per creative".into(),
        ));
    }
    let mut columns: Vec<Option<Col>> = Vec::new();
    let mut ignored = Vec::new();
    for h in &header {
        let col = KNOWN
            .iter()
            .find(|(name, _)| h.eq_ignore_ascii_case(name))
            .map(|(_, c)| *c);
        if col.is_none() && !h.is_empty() {
            ignored.push(h.clone());
        }
        columns.push(col);
    }
    if !columns.contains(&Some(Col::Variant)) {
        return Err(sheet_error(format!(
            "the header has no content (variant name) column; it has: {}. Name the columns content, term, url (and optionally headline, notes)",
            header.join(", ")
        )));
    }

    let by_content: HashMap<&str, &Creative> =
        existing.iter().map(|k| (k.content.as_str(), k)).collect();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut plan = ImportPlan {
        rows: Vec::new(),
        ignored_columns: ignored,
        create: 0,
        update: 0,
        unchanged: 0,
        invalid: 0,
    };
    for record in reader.records() {
        if plan.rows.len() >= MAX_IMPORT_ROWS {
            return Err(sheet_error(format!(
                "the sheet has more than {MAX_IMPORT_ROWS} rows: split it"
            )));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                plan.rows.push(invalid_row(
                    line,
                    String::new(),
                    vec![Notice::new(
                        Code::InvalidUrl,
                        Field::Content,
                        format!("the row cannot be read: {e}"),
                    )],
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |col: Col| -> String {
            columns
                .iter()
                .position(|c| *c == Some(col))
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let draft = CreativeDraft {
            variant: cell(Col::Variant),
            topic: cell(Col::Topic),
            landing_url: cell(Col::Url),
            headline: cell(Col::Headline),
            notes: cell(Col::Notes),
        };
        let mut errors = Vec::new();
        let campaign_cell = cell(Col::Campaign);
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
        let medium_cell = cell(Col::Medium);
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
        match draft.validate(campaign) {
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
                let (action, existing) = match by_content.get(valid.content.as_str()) {
                    None => (RowAction::Create, None),
                    Some(k) if same(k, &valid) => (RowAction::Unchanged, None),
                    Some(k) => (RowAction::Update, Some((k.id.clone(), k.version))),
                };
                plan.rows.push(PlannedRow {
                    line,
                    variant: valid.variant.clone(),
                    action,
                    url: Some(valid.tagged.url.clone()),
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
    Ok(plan)
}

fn invalid_row(line: u64, variant: String, errors: Vec<Notice>) -> PlannedRow {
    PlannedRow {
        line,
        variant,
        action: RowAction::Invalid,
        url: None,
        warnings: Vec::new(),
        errors,
        existing: None,
        valid: None,
    }
}

fn same(k: &Creative, v: &ValidCreative) -> bool {
    k.variant == v.variant
        && k.topic == v.topic
        && k.landing_url == v.landing_url
        && k.headline == v.headline
        && k.notes == v.notes
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
}
