//! The rules a campaign's and a creative's fields follow: a draft (text) becomes a `Valid…` value
//! or every problem, each naming its field; the tagged URL a creative gets.

#[allow(unused_imports)]
use super::*;

pub(super) fn required(errors: &mut Vec<Notice>, field: Field, label: &str, value: &str) {
    if value.trim().is_empty() {
        errors.push(Notice::new(
            Code::Required,
            field,
            format!("{label} is required"),
        ));
    }
}

pub(super) fn max_len(
    errors: &mut Vec<Notice>,
    field: Field,
    label: &str,
    value: &str,
    max: usize,
) {
    let len = value.chars().count();
    if len > max {
        errors.push(Notice::new(
            Code::TooLong,
            field,
            format!("{label} is {len} characters long; at most {max} are allowed"),
        ));
    }
}

/// The slug a campaign will carry: the one typed, or one derived from the name.
pub fn campaign_slug(name: &str, slug: &str) -> Result<String, Notice> {
    let (source, label) = if slug.trim().is_empty() {
        (name, "name")
    } else {
        (slug, "slug")
    };
    slugify(source).map_err(|_| {
        Notice::new(
            Code::EmptyValue,
            Field::Campaign,
            format!("the {label} has no letters or digits to make a utm_campaign value from"),
        )
    })
}

/// The host of a landing URL as typed, when it parses.
pub(super) fn landing_host(url: &str) -> Option<String> {
    parse_destination(url)
        .ok()
        .and_then(|d| d.url.host_str().map(str::to_string))
}

/// A topic as typed, through the team's vocabulary: errors and warnings go to their lists.
pub(super) fn team_topic(
    rules: &TeamRules,
    topic: Option<String>,
    errors: &mut Vec<Notice>,
    warnings: &mut Vec<Notice>,
) -> Option<String> {
    match rules.resolve_topic(&topic?) {
        Ok((topic, notice)) => {
            warnings.extend(notice);
            Some(topic)
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// A landing URL's host against the team's approved domains.
pub(super) fn team_domain(
    rules: &TeamRules,
    url: &str,
    errors: &mut Vec<Notice>,
    warnings: &mut Vec<Notice>,
) {
    if let Some(host) = landing_host(url) {
        match rules.check_host(&host) {
            Ok(warning) => warnings.extend(warning),
            Err(e) => errors.push(e),
        }
    }
}

impl CampaignDraft {
    /// Validates with no team rules (any domain, any topic).
    pub fn validate(&self) -> Result<ValidCampaign, Vec<Notice>> {
        self.validate_with(&TeamRules::default())
    }

    /// Validates, applying the team's approved domains and topic vocabulary.
    pub fn validate_with(&self, rules: &TeamRules) -> Result<ValidCampaign, Vec<Notice>> {
        let mut errors = Vec::new();
        required(&mut errors, Field::Name, "Name", &self.name);
        max_len(
            &mut errors,
            Field::Name,
            "Name",
            self.name.trim(),
            MAX_NAME_LEN,
        );
        max_len(
            &mut errors,
            Field::Notes,
            "Notes",
            &self.notes,
            MAX_NOTES_LEN,
        );
        required(&mut errors, Field::Url, "Landing URL", &self.landing_url);
        max_len(
            &mut errors,
            Field::Url,
            "Landing URL",
            &self.landing_url,
            MAX_URL_INPUT_LEN,
        );

        let slug = if self.name.trim().is_empty() && self.slug.trim().is_empty() {
            None
        } else {
            campaign_slug(&self.name, &self.slug)
                .map_err(|e| errors.push(e))
                .ok()
        };
        let buying_model = self
            .buying_model
            .parse::<BuyingModel>()
            .map_err(|_| {
                errors.push(Notice::new(
                    Code::InvalidMedium,
                    Field::Medium,
                    "choose a buying model: CPC or CPM",
                ))
            })
            .ok();
        let conversion = self
            .conversion
            .parse::<ConversionEvent>()
            .map_err(|_| {
                errors.push(Notice::new(
                    Code::NotAllowed,
                    Field::Conversion,
                    "choose one of the pixel's standard events",
                ))
            })
            .ok();
        let status = if self.status.trim().is_empty() {
            Some(CampaignStatus::Draft)
        } else {
            self.status
                .parse::<CampaignStatus>()
                .map_err(|_| {
                    errors.push(Notice::new(
                        Code::NotAllowed,
                        Field::Status,
                        "status is draft, active, paused or archived",
                    ))
                })
                .ok()
        };
        let mut rule_warnings = Vec::new();
        let topic = optional_slug(&mut errors, Field::Term, "Topic", &self.topic);
        let topic = team_topic(rules, topic, &mut errors, &mut rule_warnings);

        // The landing URL and the values, checked by the tagging rules themselves.
        let mut warnings = Vec::new();
        if !self.landing_url.trim().is_empty() {
            team_domain(rules, &self.landing_url, &mut errors, &mut rule_warnings);
            match (&slug, buying_model) {
                (Some(slug), Some(buying_model)) => match tag(&TagRequest {
                    url: self.landing_url.clone(),
                    campaign: slug.clone(),
                    medium: buying_model,
                    content: None,
                    term: topic.clone(),
                    id: None,
                }) {
                    Ok(tagged) => warnings = tagged.warnings,
                    Err(TagErrors(tag_errors)) => errors.extend(tag_errors),
                },
                // Other fields are wrong too: still say what is wrong with the URL.
                _ => {
                    if let Err(e) = parse_destination(&self.landing_url) {
                        errors.push(e);
                    }
                }
            }
        }
        warnings.extend(rule_warnings);
        match (errors.is_empty(), slug, buying_model, conversion, status) {
            (true, Some(slug), Some(buying_model), Some(conversion), Some(status)) => {
                Ok(ValidCampaign {
                    name: self.name.trim().to_string(),
                    slug,
                    buying_model,
                    topic,
                    landing_url: self.landing_url.trim().to_string(),
                    conversion,
                    status,
                    notes: self.notes.trim().to_string(),
                    warnings,
                })
            }
            _ => Err(errors),
        }
    }
}

pub(super) fn optional_slug(
    errors: &mut Vec<Notice>,
    field: Field,
    label: &str,
    value: &str,
) -> Option<String> {
    if value.trim().is_empty() {
        return None;
    }
    match slugify(value) {
        Ok(slug) => Some(slug),
        Err(_) => {
            errors.push(Notice::new(
                Code::EmptyValue,
                field,
                format!("{label} has no letters or digits to make a slug from"),
            ));
            None
        }
    }
}

impl CreativeDraft {
    /// Validates a creative of `campaign` with no team rules, and computes its URL.
    pub fn validate(&self, campaign: &Campaign) -> Result<ValidCreative, Vec<Notice>> {
        self.validate_with(campaign, &TeamRules::default())
    }

    /// Validates a creative of `campaign`, applying the team's approved domains (to its own
    /// landing URL) and topic vocabulary, and computes the URL it will carry.
    pub fn validate_with(
        &self,
        campaign: &Campaign,
        rules: &TeamRules,
    ) -> Result<ValidCreative, Vec<Notice>> {
        let mut errors = Vec::new();
        required(&mut errors, Field::Content, "Variant name", &self.variant);
        max_len(
            &mut errors,
            Field::Content,
            "Variant name",
            self.variant.trim(),
            MAX_SLUG_LEN,
        );
        max_len(
            &mut errors,
            Field::Headline,
            "Headline",
            &self.headline,
            MAX_HEADLINE_LEN,
        );
        max_len(
            &mut errors,
            Field::Description,
            "Description",
            self.description.trim(),
            MAX_DESCRIPTION_LEN,
        );
        max_len(
            &mut errors,
            Field::Notes,
            "Notes",
            &self.notes,
            MAX_NOTES_LEN,
        );
        max_len(
            &mut errors,
            Field::Url,
            "Landing URL",
            &self.landing_url,
            MAX_URL_INPUT_LEN,
        );
        let mut rule_warnings = Vec::new();
        let topic = optional_slug(&mut errors, Field::Term, "Topic", &self.topic);
        let topic = team_topic(rules, topic, &mut errors, &mut rule_warnings);
        let landing_url = Some(self.landing_url.trim().to_string()).filter(|u| !u.is_empty());
        if let Some(url) = &landing_url {
            team_domain(rules, url, &mut errors, &mut rule_warnings);
        }
        let content = optional_slug(&mut errors, Field::Content, "Variant name", &self.variant);
        if !errors.is_empty() {
            return Err(errors);
        }
        let Some(content) = content else {
            return Err(errors);
        };
        let mut tagged = creative_url(
            campaign,
            &content,
            topic.as_deref(),
            landing_url.as_deref(),
            rules,
        )
        .map_err(|e| e.0)?;
        tagged.warnings.extend(rule_warnings);
        Ok(ValidCreative {
            variant: self.variant.trim().to_string(),
            content,
            topic,
            landing_url,
            headline: self.headline.trim().to_string(),
            description: self.description.trim().to_string(),
            notes: self.notes.trim().to_string(),
            tagged,
        })
    }
}

/// The URL a creative carries: its landing URL (else the campaign's), the campaign's slug and
/// buying model, its content value, its topic (else the campaign's), and the campaign's
/// `utm_id` when the team's rules say links carry it.
pub fn creative_url(
    campaign: &Campaign,
    content: &str,
    topic: Option<&str>,
    landing_url: Option<&str>,
    rules: &TeamRules,
) -> Result<TaggedUrl, TagErrors> {
    tag(&TagRequest {
        url: landing_url.unwrap_or(&campaign.landing_url).to_string(),
        campaign: campaign.slug.clone(),
        medium: campaign.buying_model,
        content: Some(content.to_string()),
        term: topic.or(campaign.topic.as_deref()).map(str::to_string),
        id: rules.utm_id.then(|| campaign.utm_id()),
    })
}
