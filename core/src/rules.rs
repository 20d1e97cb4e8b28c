//! The team's own rules, set by admins in Settings: approved landing domains and a topic
//! vocabulary for `utm_term`, each refused or only warned about (topics may also be accepted
//! as typed), per a setting. Campaign and creative validation applies them
//! ([`crate::CampaignDraft::validate_with`], [`crate::CreativeDraft::validate_with`]), so the
//! forms, REST, the import and the previews answer the same.

use crate::notice::{Code, Field, Notice};
use crate::slug::slugify;
use serde::{Deserialize, Serialize};

/// Most approved domains, topics, and aliases per topic.
pub const MAX_DOMAINS: usize = 200;
pub const MAX_TOPICS: usize = 500;
pub const MAX_ALIASES: usize = 20;

/// What happens to a value outside the team's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RuleMode {
    /// Refused: nothing is saved.
    #[default]
    Refuse,
    /// Saved, with a warning.
    Warn,
    /// Saved as typed (topics only).
    Accept,
}

impl RuleMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleMode::Refuse => "refuse",
            RuleMode::Warn => "warn",
            RuleMode::Accept => "accept",
        }
    }
}

/// One topic of the vocabulary and the other ways people type it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Topic {
    /// The `utm_term` value (a slug).
    pub topic: String,
    /// Other spellings that mean it ("CRM software", "crm tools"), kept as slugs.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The team's rules.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct TeamRules {
    /// `example.com` (exactly that host) or `*.example.com` (any subdomain of it), in ASCII
    /// (an IDN is kept in its `xn--` form). Empty: any domain.
    pub approved_domains: Vec<String>,
    /// Refuse or warn about a landing URL outside the list (`accept` is not offered).
    pub domain_mode: RuleMode,
    /// The topic vocabulary. Empty: any topic.
    pub topics: Vec<Topic>,
    pub topic_mode: RuleMode,
    /// Every link carries `utm_id` = its campaign's stable short id
    /// ([`crate::Campaign::utm_id`]): GA4's campaign ID, which cost-data import matches on and
    /// which a renamed campaign keeps.
    pub utm_id: bool,
}

/// The team's rules as stored, with the version a save must name (0: never saved).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredRules {
    pub rules: TeamRules,
    /// Send it back with a change: a save based on an older version is refused (409).
    pub version: i64,
    /// Unix milliseconds (0: never saved).
    pub updated_at: i64,
}

fn problem(code: Code, field: Field, message: String) -> Notice {
    Notice::new(code, field, message)
}

/// A domain pattern in its stored form, or why it is not one.
pub fn domain_pattern(input: &str) -> Result<String, String> {
    let raw = input.trim().trim_end_matches('.');
    let (wild, host) = match raw.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    if host.is_empty() {
        return Err("an empty domain".into());
    }
    if host.contains(['/', ':', '@', '?', '#', '*', ' ']) {
        return Err(format!(
            "“{}” is not a domain: give example.com or *.example.com, without https:// or a path",
            clip(input.trim())
        ));
    }
    match url::Host::parse(host) {
        Ok(url::Host::Domain(ascii)) if ascii.contains('.') && ascii.len() <= 253 => {
            Ok(if wild { format!("*.{ascii}") } else { ascii })
        }
        Ok(url::Host::Domain(_)) => Err(format!(
            "“{}” is not a public domain (it needs a dot, like example.com)",
            clip(input.trim())
        )),
        Ok(_) => Err(format!(
            "“{}” is an IP address: approve the domain name of the landing page",
            clip(input.trim())
        )),
        Err(e) => Err(format!("“{}” is not a domain: {e}", clip(input.trim()))),
    }
}

fn clip(s: &str) -> String {
    crate::notice::clip(s, 60)
}

impl TeamRules {
    /// Checks the rules as an admin typed them and answers them in stored form: domains in
    /// ASCII, lower case, without duplicates; topics and aliases as slugs, none used twice.
    pub fn validated(&self) -> Result<TeamRules, Vec<Notice>> {
        let mut errors = Vec::new();
        let mut domains: Vec<String> = Vec::new();
        if self.approved_domains.len() > MAX_DOMAINS {
            errors.push(problem(
                Code::TooMany,
                Field::Domains,
                format!(
                    "{} approved domains: at most {MAX_DOMAINS} (use *.example.com for subdomains)",
                    self.approved_domains.len()
                ),
            ));
        }
        for d in self
            .approved_domains
            .iter()
            .filter(|d| !d.trim().is_empty())
        {
            match domain_pattern(d) {
                Ok(p) if !domains.contains(&p) => domains.push(p),
                Ok(_) => {}
                Err(why) => errors.push(problem(Code::InvalidDomain, Field::Domains, why)),
            }
        }
        if self.domain_mode == RuleMode::Accept {
            errors.push(problem(
                Code::NotAllowed,
                Field::DomainMode,
                "a landing URL outside the approved domains is refused or warned about: choose refuse or warn (or approve no domain at all)".into(),
            ));
        }
        if self.topics.len() > MAX_TOPICS {
            errors.push(problem(
                Code::TooMany,
                Field::Topics,
                format!("{} topics: at most {MAX_TOPICS}", self.topics.len()),
            ));
        }
        let mut topics: Vec<Topic> = Vec::new();
        let mut seen: Vec<(String, String)> = Vec::new(); // (slug, the topic it belongs to)
        for t in self.topics.iter().take(MAX_TOPICS) {
            if t.topic.trim().is_empty() {
                if t.aliases.iter().any(|a| !a.trim().is_empty()) {
                    errors.push(problem(
                        Code::Required,
                        Field::Topics,
                        format!("aliases “{}” have no topic", clip(&t.aliases.join(", "))),
                    ));
                }
                continue;
            }
            let Ok(topic) = slugify(&t.topic) else {
                errors.push(problem(
                    Code::EmptyValue,
                    Field::Topics,
                    format!("the topic “{}” has no letters or digits", clip(&t.topic)),
                ));
                continue;
            };
            if t.aliases.len() > MAX_ALIASES {
                errors.push(problem(
                    Code::TooMany,
                    Field::Topics,
                    format!(
                        "{topic} has {} aliases: at most {MAX_ALIASES}",
                        t.aliases.len()
                    ),
                ));
            }
            let mut aliases = Vec::new();
            for (i, name) in std::iter::once(&t.topic)
                .chain(t.aliases.iter().take(MAX_ALIASES))
                .enumerate()
            {
                if name.trim().is_empty() {
                    continue;
                }
                let Ok(slug) = slugify(name) else {
                    errors.push(problem(
                        Code::EmptyValue,
                        Field::Topics,
                        format!(
                            "the alias “{}” of {topic} has no letters or digits",
                            clip(name)
                        ),
                    ));
                    continue;
                };
                match seen.iter().find(|(s, _)| *s == slug) {
                    Some((_, owner)) if *owner == topic => {}
                    Some((_, owner)) => errors.push(problem(
                        Code::Duplicate,
                        Field::Topics,
                        format!(
                            "“{}” would mean both {owner} and {topic}: keep it under one topic",
                            clip(name)
                        ),
                    )),
                    None => {
                        seen.push((slug.clone(), topic.clone()));
                        if i > 0 && slug != topic {
                            aliases.push(slug);
                        }
                    }
                }
            }
            topics.push(Topic { topic, aliases });
        }
        if errors.is_empty() {
            Ok(TeamRules {
                approved_domains: domains,
                domain_mode: self.domain_mode,
                topics,
                topic_mode: self.topic_mode,
                utm_id: self.utm_id,
            })
        } else {
            Err(errors)
        }
    }

    /// Whether `host` (ASCII, as a parsed URL has it) is approved; `true` when no list is set.
    pub fn domain_approved(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.approved_domains.is_empty()
            || self
                .approved_domains
                .iter()
                .any(|p| match p.strip_prefix("*.") {
                    Some(parent) => host
                        .strip_suffix(parent)
                        .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
                    None => host == *p,
                })
    }

    /// The notice about a landing URL on `host`, when it is outside the approved domains: an
    /// error to refuse it, or a warning (`Err` means refuse).
    pub fn check_host(&self, host: &str) -> Result<Option<Notice>, Notice> {
        if self.domain_approved(host) {
            return Ok(None);
        }
        let notice = Notice::new(
            Code::DomainNotApproved,
            Field::Url,
            format!(
                "{host} is not one of the team's approved landing domains ({}): use one of them, or ask an admin to add it in Settings",
                self.approved_domains.join(", ")
            ),
        );
        match self.domain_mode {
            RuleMode::Refuse => Err(notice),
            _ => Ok(Some(notice)),
        }
    }

    /// The `utm_term` for what was typed (already a slug): itself, the topic an alias stands
    /// for (with a warning), or — outside the vocabulary — an error, a warning or nothing, per
    /// the topic mode.
    pub fn resolve_topic(&self, slug: &str) -> Result<(String, Option<Notice>), Notice> {
        if self.topics.is_empty() || self.topics.iter().any(|t| t.topic == slug) {
            return Ok((slug.to_string(), None));
        }
        if let Some(t) = self
            .topics
            .iter()
            .find(|t| t.aliases.iter().any(|a| a == slug))
        {
            return Ok((
                t.topic.clone(),
                Some(Notice::new(
                    Code::TopicAlias,
                    Field::Term,
                    format!(
                        "“{slug}” is the team's topic {}: utm_term is {}",
                        t.topic, t.topic
                    ),
                )),
            ));
        }
        let listed: Vec<&str> = self
            .topics
            .iter()
            .take(12)
            .map(|t| t.topic.as_str())
            .collect();
        let more = if self.topics.len() > 12 { ", …" } else { "" };
        let notice = Notice::new(
            Code::UnknownTopic,
            Field::Term,
            format!(
                "“{slug}” is not one of the team's topics ({}{more}): pick one, or ask an admin to add it in Settings",
                listed.join(", ")
            ),
        );
        match self.topic_mode {
            RuleMode::Refuse => Err(notice),
            RuleMode::Warn => Ok((slug.to_string(), Some(notice))),
            RuleMode::Accept => Ok((slug.to_string(), None)),
        }
    }

    /// Every topic and alias, for a form's suggestions (`<datalist>`): topics first.
    pub fn suggestions(&self) -> Vec<String> {
        self.topics
            .iter()
            .map(|t| t.topic.clone())
            .chain(self.topics.iter().flat_map(|t| t.aliases.iter().cloned()))
            .collect()
    }
}

impl RuleMode {
    /// `refuse`, `warn` or `accept` (any case), else a notice naming `field`.
    pub fn parse(input: &str, field: Field) -> Result<RuleMode, Notice> {
        match input.trim().to_ascii_lowercase().as_str() {
            "refuse" | "" => Ok(RuleMode::Refuse),
            "warn" => Ok(RuleMode::Warn),
            "accept" => Ok(RuleMode::Accept),
            other => Err(Notice::new(
                Code::NotAllowed,
                field,
                format!("“{}” is not a choice: refuse, warn or accept", clip(other)),
            )),
        }
    }
}

impl TeamRules {
    /// The rules from the Settings form's text: domains one per line (or separated by commas
    /// or spaces), topics one per line as `topic: alias, alias`, `utm_id` from a checkbox.
    /// Checked further by [`TeamRules::validated`] when saved.
    pub fn from_text(
        domains: &str,
        domain_mode: &str,
        topics: &str,
        topic_mode: &str,
        utm_id: bool,
    ) -> Result<TeamRules, Vec<Notice>> {
        let domain_mode = RuleMode::parse(domain_mode, Field::DomainMode);
        let topic_mode = RuleMode::parse(topic_mode, Field::TopicMode);
        let rules = TeamRules {
            approved_domains: domains
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .collect(),
            domain_mode: *domain_mode.as_ref().unwrap_or(&RuleMode::Refuse),
            topics: topics
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|line| {
                    let (topic, aliases) = line.split_once(':').unwrap_or((line, ""));
                    Topic {
                        topic: topic.trim().to_string(),
                        aliases: aliases
                            .split(',')
                            .map(str::trim)
                            .filter(|a| !a.is_empty())
                            .map(str::to_string)
                            .collect(),
                    }
                })
                .collect(),
            topic_mode: *topic_mode.as_ref().unwrap_or(&RuleMode::Refuse),
            utm_id,
        };
        let errors: Vec<Notice> = [domain_mode.err(), topic_mode.err()]
            .into_iter()
            .flatten()
            .collect();
        if errors.is_empty() {
            Ok(rules)
        } else {
            Err(errors)
        }
    }

    /// The approved domains as the form shows them: one per line.
    pub fn domains_text(&self) -> String {
        self.approved_domains.join("\n")
    }

    /// The topics as the form shows them: `topic: alias, alias`, one per line.
    pub fn topics_text(&self) -> String {
        self.topics
            .iter()
            .map(|t| {
                if t.aliases.is_empty() {
                    t.topic.clone()
                } else {
                    format!("{}: {}", t.topic, t.aliases.join(", "))
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}
